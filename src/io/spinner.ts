import type { Context } from '../cli/context.js';
import { wrapProse } from './output.js';
import { shown, type Shown, type ShownPart } from '../core/text.js';

export interface Spinner {
  /** New text: composed (`Shown`) or a value, which is escaped; masked like every other line (§10). */
  update(text: ShownPart): void;
  stop(final?: Shown): void;
}

/**
 * A spinner on stderr while something slow runs, only when stderr is a terminal; elsewhere one plain
 * line at the end (CI logs stay clean). yocto-spinner loads only when a spinner is shown.
 *
 * Its text is a line like any other (§10): escaped (`shown`: an AWS `Status` of `CREATING\e]0;…` shows
 * as `\u001b]0;…`), masked by the writer's redactor (Output.redact) and one line (no line break of
 * its own), because yocto-spinner writes it to the stream itself, past Output.err.
 *
 * When the run is stopped (ctx.signal: Ctrl-C, SIGTERM, SIGHUP) the spinner stops by itself, so the
 * line is cleared and the cursor comes back before cli.ts says why the run ended. yocto-spinner's own
 * signal handling is off: it would exit the process at once and skip the rollback and the message.
 */
export async function startSpinner(ctx: Pick<Context, 'output' | 'stderr' | 'signal'>, text: ShownPart): Promise<Spinner> {
  const { output, signal } = ctx;
  if (!output.errIsTTY) {
    return { update: () => {}, stop: (final) => final && output.err(shown`${wrapProse(final, output.errColumns, 2)}\n`) };
  }
  const line = (t: ShownPart): string => output.redact(shown`${t}`).replace(/\n/g, ' ');
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text: line(text), stream: ctx.stderr as NodeJS.WriteStream, handleSignals: false }).start();
  let stopped = false;
  const halt = () => {
    if (stopped) return;
    stopped = true;
    signal.removeEventListener('abort', halt);
    spinner.stop();
  };
  if (signal.aborted) halt();
  else signal.addEventListener('abort', halt, { once: true });
  return {
    update: (t) => {
      if (!stopped) spinner.text = line(t);
    },
    stop: (final) => {
      halt();
      if (final) output.err(shown`${wrapProse(final, output.errColumns, 2)}\n`);
    },
  };
}
