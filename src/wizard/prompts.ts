import { emitKeypressEvents, type Interface } from 'node:readline';
import type { ChalkInstance } from 'chalk';
import { visible } from '../core/text.js';
import { cancellation } from '../cli/stop.js';
import { CancelledError } from '../cli/errors.js';

/**
 * The one seam between the wizard and the terminal (STYLE.md §4): the wizard asks through this
 * interface only, so tests answer by question text and the real prompts (@inquirer/prompts) load
 * only when a person is at a terminal.
 */

/** Returns `true` when the answer is usable, else the reason shown under the prompt (and the question is asked again). */
export type Validate = (answer: string) => true | string;

export interface TextQuestion {
  message: string;
  /** Taken when the user just presses Enter. */
  default?: string;
  validate?: Validate;
}

export interface SecretQuestion {
  message: string;
  validate?: Validate;
}

export interface ChoiceQuestion<T extends string> {
  message: string;
  choices: readonly { value: T; name: string; description?: string }[];
  default?: T;
}

export interface YesNoQuestion {
  message: string;
  default: boolean;
}

export interface Prompts {
  text(q: TextQuestion): Promise<string>;
  /** Typed characters are shown masked. */
  secret(q: SecretQuestion): Promise<string>;
  choice<T extends string>(q: ChoiceQuestion<T>): Promise<T>;
  yesNo(q: YesNoQuestion): Promise<boolean>;
}

export interface TerminalOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The tool's colours: level 0 (NO_COLOR, --no-color) gives plain prompts too. */
  color: ChalkInstance;
  /** The writer's masking (Output.redact): prompts are drawn on the terminal past Output.err. */
  redact?: (text: string) => string;
  /** The run's stop signal (ctx.signal): SIGTERM or SIGHUP during a question ends it like Esc does. */
  signal?: AbortSignal;
}

/** inquirer's ways of saying "the user stopped": Ctrl-C (ExitPromptError), our Esc abort (AbortPromptError), cancel(). */
const STOPPED = new Set(['ExitPromptError', 'AbortPromptError', 'CancelPromptError']);
export const isPromptStopped = (e: unknown): boolean => e instanceof Error && STOPPED.has(e.name);

type Inquirer = typeof import('@inquirer/prompts');

/**
 * How long a lone Esc waits to be told apart from the start of an escape sequence (an arrow key, say).
 * Node's readline waits 500 ms, which shows as a lag after every Esc; a terminal sends a sequence in
 * one write, so its bytes arrive together, and 50 ms is what the `prompts` library settled on.
 */
export const ESCAPE_PAUSE_MS = 50;

/** The real prompts. Ctrl-C or Esc at any of them ends the wizard with CancelledError (exit 130). */
export function terminalPrompts(o: TerminalOptions): Prompts {
  // readline decodes a stream's keys once, with the pause of the first interface that asks: this one,
  // before inquirer's own interfaces (which keep the 500 ms default) are made.
  emitKeypressEvents(o.input, { escapeCodeTimeout: ESCAPE_PAUSE_MS } as unknown as Interface);
  let loaded: Promise<Inquirer> | undefined;
  const inquirer = () => (loaded ??= import('@inquirer/prompts'));
  const redact = o.redact ?? ((t: string) => t);
  const theme = themeFrom(o.color, redact);
  // What is typed (or a default taken as the answer) is drawn as it is while the prompt is open: escaped too.
  const transformer = (value: string, { isFinal }: { isFinal: boolean }) => (isFinal ? theme.style.answer(value) : visible(redact(value)));

  type Start<T> = (context: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal }) => Promise<T>;

  /**
   * Run one prompt with an abort signal tied to the Esc key. The prompt creates its readline
   * synchronously, so keypress events are flowing by the time the listener is added. Esc asks
   * "Cancel set-up?" before the answers are thrown away (Esc there, or yes, cancels; no asks again).
   */
  async function ask<T>(start: Start<T>, onEscape: 'confirm' | 'cancel' = 'confirm'): Promise<T> {
    for (;;) {
      const controller = new AbortController();
      let escaped = false;
      const onKey = (_: unknown, key?: { name?: string }) => {
        if (key?.name !== 'escape') return;
        escaped = true;
        controller.abort();
      };
      const onStop = () => controller.abort();
      o.signal?.addEventListener('abort', onStop, { once: true });
      try {
        if (o.signal?.aborted) throw cancellation(o.signal);
        const answer = start({ input: o.input, output: o.output, signal: controller.signal });
        o.input.on('keypress', onKey);
        return await answer;
      } catch (e) {
        // Stopped by a signal: its reason carries the exit code (143, 129); Ctrl-C and Esc are 130.
        if (o.signal?.aborted) throw cancellation(o.signal);
        if (!isPromptStopped(e)) throw e;
        if (!escaped || onEscape === 'cancel') throw new CancelledError();
      } finally {
        o.input.removeListener('keypress', onKey);
        o.signal?.removeEventListener('abort', onStop);
      }
      const { confirm } = await inquirer();
      const cancel = await ask(
        (context) => confirm({ message: 'Cancel set-up? The answers so far are not kept.', default: false, theme }, context),
        'cancel',
      );
      if (cancel) throw new CancelledError();
    }
  }

  return {
    text: async (q) => {
      const { input } = await inquirer();
      return ask((context) => input({ message: q.message, default: q.default, validate: q.validate, theme, transformer }, context));
    },
    secret: async (q) => {
      const { password } = await inquirer();
      return ask((context) => password({ message: q.message, mask: '*', validate: q.validate, theme }, context));
    },
    choice: async <T extends string>(q: ChoiceQuestion<T>) => {
      const { select } = await inquirer();
      return ask((context) => select<T>({ message: q.message, choices: q.choices, default: q.default, theme }, context));
    },
    yesNo: async (q) => {
      const { confirm } = await inquirer();
      return ask((context) => confirm({ message: q.message, default: q.default, theme }, context));
    },
  };
}

/**
 * inquirer's default look, drawn with the tool's chalk instance so --no-color and NO_COLOR apply to prompts too.
 * Prompts are lines like any other (§10): every text inquirer hands to the theme — the question, a default
 * taken from the environment, the typed answer, a validation message quoting it, a choice — is masked and
 * escaped (`visible`) before it is coloured, so none can break the line or hold an escape sequence.
 */
function themeFrom(c: ChalkInstance, redact: (text: string) => string) {
  const v = (t: string) => visible(redact(t));
  return {
    prefix: { idle: c.blue('?'), done: c.green('✔') },
    icon: { cursor: '❯' },
    style: {
      answer: (t: string) => c.cyan(v(t)),
      message: (t: string) => c.bold(v(t)),
      error: (t: string) => c.red(`> ${v(t)}`),
      defaultAnswer: (t: string) => c.dim(`(${v(t)})`),
      help: (t: string) => c.dim(v(t)),
      highlight: (t: string) => c.cyan(v(t)),
      key: (t: string) => c.cyan(c.bold(`<${v(t)}>`)),
      description: (t: string) => c.cyan(v(t)),
      disabled: (t: string) => c.dim(`- ${v(t)}`),
      keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${c.bold(key)} ${c.dim(action)}`).join(c.dim(' • ')),
    },
  };
}
