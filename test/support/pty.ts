import pty from '@lydell/node-pty';
import { BIN, cleanEnv, ROOT } from './cli.js';

/**
 * The built CLI in a real pseudo-terminal: stdin, stdout and stderr are a TTY, as for a person at a
 * terminal. Tests wait for what the screen shows, then type, like that person would.
 */
export interface Terminal {
  /** Everything shown so far, with escape sequences (colours, cursor moves) removed. */
  readonly screen: string;
  /** Everything shown so far, escape sequences included. */
  readonly raw: string;
  /** Wait until `text` appears after the previous match; the next wait starts after this one. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Type characters (an answer, "\r" for Enter, KEY.* for control keys). */
  type(text: string): void;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number>;
  kill(): void;
}

export const KEY = { enter: '\r', ctrlC: '\x03', ctrlU: '\x15', esc: '\x1b', down: '\x1b[B' } as const;

// CSI sequences (colours, cursor), OSC sequences, and the lone controls a terminal interprets.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '').replace(/\r/g, '');

export interface PtyOptions {
  cwd: string;
  /** Added to a clean environment (no CI: the CLI must decide it is interactive). */
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
}

export function spawnInTerminal(args: string[], o: PtyOptions): Terminal {
  const env = cleanEnv({ TERM: 'xterm-256color', ...o.env }) as Record<string, string>;
  const child = pty.spawn(process.execPath, [BIN, ...args], {
    cwd: o.cwd ?? ROOT,
    env,
    cols: o.cols ?? 120,
    rows: o.rows ?? 40,
    name: 'xterm-256color',
  });
  let raw = '';
  let from = 0;
  const waiters = new Set<() => void>();
  child.onData((d) => {
    raw += d;
    for (const w of waiters) w();
  });
  const exited = new Promise<number>((resolve) => {
    child.onExit(({ exitCode }) => {
      for (const w of waiters) w();
      resolve(exitCode);
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  return {
    get screen() {
      return stripAnsi(raw);
    },
    get raw() {
      return raw;
    },
    waitFor(text, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          const rest = stripAnsi(raw).slice(from);
          const m =
            typeof text === 'string'
              ? rest.includes(text)
                ? { index: rest.indexOf(text), length: text.length }
                : undefined
              : (() => {
                  const r = text.exec(rest);
                  return r ? { index: r.index, length: r[0].length } : undefined;
                })();
          if (m) {
            from += m.index + m.length;
            finish();
            resolve();
          } else if (done) {
            finish();
            reject(new Error(`the CLI ended before showing ${String(text)}. Screen:\n${stripAnsi(raw)}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${String(text)}. Screen:\n${stripAnsi(raw)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    type: (text) => child.write(text),
    exited,
    kill: () => {
      if (!done) child.kill();
    },
  };
}

/** A run of questions and answers: for each pair, wait for the prompt, then type the answer. */
export async function answer(t: Terminal, dialogue: ReadonlyArray<readonly [prompt: string | RegExp, typed: string]>): Promise<void> {
  for (const [prompt, typed] of dialogue) {
    await t.waitFor(prompt);
    t.type(typed);
  }
}
