/**
 * Typed failures. Commands throw these; only src/cli/run.ts turns them into messages and exit codes (§3).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  inconclusive: 3,
  /** 128 + the signal's number (§3). */
  hangup: 129,
  /** `plan --exit-code` only: changes pending and nothing else failed. */
  changesPending: 4,
  cancelled: 130,
  terminated: 143,
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

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * The run was stopped: Ctrl-C or Esc (exit 130), SIGTERM (143) or SIGHUP (129). Whatever was being
 * written has been rolled back by the time this reaches cli.ts.
 */
export class CancelledError extends ExitError {
  constructor(
    message = 'Cancelled: nothing was written.',
    readonly signal: StopSignal = 'SIGINT',
  ) {
    super(signal === 'SIGTERM' ? ExitCode.terminated : signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.cancelled, message);
  }
}

/** The error a stop signal turns into: the reason of the context's AbortSignal. */
export function stoppedBy(signal: StopSignal): CancelledError {
  if (signal === 'SIGINT') return new CancelledError();
  const why = signal === 'SIGTERM' ? 'Stopped by SIGTERM' : 'Stopped by SIGHUP (the terminal went away)';
  return new CancelledError(`${why}: nothing was written.`, signal);
}

/** A file could not be written (EACCES, ENOSPC, EROFS, …): exit 1; whatever was written is rolled back. */
export class WriteError extends ExitError {
  constructor(
    message: string,
    /** What failed, without what it means for the run ("Could not rename …: no space left (ENOSPC)"). */
    readonly detail?: string,
  ) {
    super(ExitCode.failed, message);
  }
}

/** Files the tool would write already exist (and --force was not given): exit 1, nothing written. */
export class FileExistsError extends ExitError {
  readonly paths: readonly string[];
  constructor(paths: string | readonly string[]) {
    const list = typeof paths === 'string' ? [paths] : paths;
    const named = list.length === 1 ? `${list[0]} already exists` : `${list.slice(0, -1).join(', ')} and ${list.at(-1)} already exist`;
    super(ExitCode.failed, `${named}. Nothing was written. Use --force to overwrite, or --out-dir for another folder.`);
    this.paths = list;
  }
}
