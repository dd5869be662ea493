import type { Output } from './io/output.js';

/** What a command may touch, decided once in cli.ts and passed down (tests build their own). */
export interface Context {
  output: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Prompts are allowed: stdin and stdout are terminals, CI is unset, no --non-interactive. */
  interactive: boolean;
  /** Per-request limit for every network request, in milliseconds (--timeout). */
  timeoutMs: number;
  verbose: boolean;
}

/** Decide interactivity once (§5): terminals on both ends, no CI, and not refused by flag. */
export function isInteractive(
  opts: { nonInteractive?: boolean },
  io: { stdinIsTTY: boolean; stdoutIsTTY: boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  if (opts.nonInteractive) return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0') return false;
  return io.stdinIsTTY && io.stdoutIsTTY;
}
