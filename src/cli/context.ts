import type { AwsClientCache } from '../aws/shared-clients.js';
import type { WriterFs } from '../io/files.js';
import type { Output } from '../io/output.js';

/** What a command may touch, decided once in cli.ts and passed down (tests build their own). */
export interface Context {
  output: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * The raw streams, for what draws on a terminal itself (prompts, spinners). Text goes through
   * `output`, which masks secrets.
   */
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Prompts are allowed: stdin and stdout are terminals, CI is unset, no --non-interactive. */
  interactive: boolean;
  /** Per-request limit for every network request, in milliseconds (--timeout). */
  timeoutMs: number;
  verbose: boolean;
  /**
   * Aborted when the run is stopped (SIGINT, SIGTERM, SIGHUP; cli.ts owns the handlers). Its reason is
   * the CancelledError that carries the exit code. Spinners, prompts, requests and the writer listen.
   */
  signal: AbortSignal;
  /** The file system the writer uses (default: node:fs/promises); tests inject failures here. */
  fs?: WriterFs;
  /** A run over many configs (§17): the AWS clients all of them share, one per region and credentials. */
  awsClients?: AwsClientCache;
  /**
   * Many configs: the CREATIO_SSO_PINS entry (`CREATIO_SSO_PINS[2]`) whose values this config's environment
   * carries in the single-config variables, so notices name the entry rather than a variable nobody set.
   */
  pinnedBy?: string;
  /** Many configs: the variable that entry names for the client secret (a file naming the same one is no override). */
  pinnedSecretEnv?: string;
}

/**
 * Decide interactivity once (§5): terminals on both ends, no CI, and not refused by flag. stdout is asked
 * first: a piped or CI run never touches stdin (Node builds process.stdin, a stream, on first access).
 */
export function isInteractive(
  opts: { nonInteractive?: boolean },
  io: { stdinIsTTY: boolean; stdoutIsTTY: boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  if (opts.nonInteractive) return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0') return false;
  return io.stdoutIsTTY && io.stdinIsTTY;
}
