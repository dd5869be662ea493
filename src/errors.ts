/**
 * Typed failures. Commands throw these; only src/cli.ts turns them into messages and exit codes (§3).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  inconclusive: 3,
  /** `plan --exit-code` only: changes pending and nothing else failed. */
  changesPending: 4,
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class ExitError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    /** Already reported to the user (findings printed): print nothing more. */
    readonly silent = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags, missing inputs in non-interactive mode: exit 2. */
export class UsageError extends ExitError {
  constructor(message: string) {
    super(ExitCode.usage, message);
  }
}

/** The configuration has errors, or a live check failed: exit 1. */
export class ConfigError extends ExitError {
  constructor(message: string, silent = false) {
    super(ExitCode.failed, message, silent);
  }
}

/** A live check could not be completed (network, timeout): exit 3. */
export class InconclusiveError extends ExitError {
  constructor(message: string, silent = false) {
    super(ExitCode.inconclusive, message, silent);
  }
}

/** The user pressed Ctrl-C or aborted a prompt: exit 130. */
export class CancelledError extends ExitError {
  constructor(message = 'Cancelled: nothing was written.') {
    super(ExitCode.cancelled, message);
  }
}

/** A file the tool would write already exists: exit 1, and say how to overwrite. */
export class FileExistsError extends ExitError {
  constructor(readonly path: string) {
    super(ExitCode.failed, `${path} already exists. Use --force to overwrite it, or --out-dir for another folder.`);
  }
}
