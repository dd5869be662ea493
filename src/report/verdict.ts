import { ExitCode, ExitError, type ExitCodeValue } from '../cli/errors.js';
import type { Finding } from '../core/findings.js';
import { RESULT } from '../core/report/job-summary.js';
import { isInconclusive } from '../live/inconclusive.js';

/**
 * The one verdict (§3): the exit code that findings (and --strict, and pending changes) call for.
 * Precedence 2 (a usage finding: `trust/unpinned-host`, a credential not sent because only the file named
 * where it would go) > 1 (a definite error, or a warning with --strict) > 3 (a check that could not be
 * completed) > 4 (changes pending) > 0. Other usage errors (2) stop a command before it has findings.
 */
export function verdict(findings: readonly Finding[], opts: { strict: boolean; pending?: boolean }): ExitCodeValue {
  if (findings.some((f) => USAGE_CODES.has(f.code))) return ExitCode.usage;
  let inconclusive = false;
  for (const f of findings) {
    if (!failing(f, opts.strict)) continue;
    if (!isInconclusive(f)) return ExitCode.failed;
    inconclusive = true;
  }
  if (inconclusive) return ExitCode.inconclusive;
  return opts.pending ? ExitCode.changesPending : ExitCode.ok;
}

/** Findings that make the run a usage error (exit 2, §3): the user must name something outside the file. */
const USAGE_CODES: ReadonlySet<string> = new Set(['trust/unpinned-host']);

const PRECEDENCE: readonly ExitCodeValue[] = [ExitCode.usage, ExitCode.failed, ExitCode.inconclusive, ExitCode.changesPending, ExitCode.ok];

/** The verdict of a run made of parts (files checked one by one): the one first in §3's precedence. */
export const worseVerdict = (a: ExitCodeValue, b: ExitCodeValue): ExitCodeValue =>
  PRECEDENCE.indexOf(a) <= PRECEDENCE.indexOf(b) || !PRECEDENCE.includes(b) ? a : b;

export const failing = (f: Finding, strict: boolean) => f.severity === 'error' || (strict && f.severity === 'warning');

/** The commands that end in a verdict. */
export type VerdictCommand = 'validate' | 'doctor' | 'plan' | 'apply' | 'generate';

/** What a command says when its verdict is not 0; `silent` when the findings and summary above said it already. */
type Ending = { message: string; silent: boolean };
const ENDINGS: Record<VerdictCommand, { inconclusive: Ending; failed: Ending }> = {
  validate: {
    inconclusive: {
      message: 'Inconclusive: some live checks could not be completed (network or timeout). Run again, or raise --timeout.',
      silent: false,
    },
    failed: { message: 'validate found problems; see the findings above.', silent: true },
  },
  doctor: {
    inconclusive: { message: 'Inconclusive: Cognito could not be asked; see the findings above.', silent: true },
    failed: { message: 'doctor found problems; see the findings above.', silent: true },
  },
  plan: {
    inconclusive: { message: 'Inconclusive: a side could not be read; see the findings above.', silent: true },
    failed: { message: 'plan found problems; see the findings above.', silent: true },
  },
  apply: {
    inconclusive: { message: 'Inconclusive: a side could not be read; see the findings above.', silent: true },
    failed: { message: 'apply found problems; see the findings above.', silent: true },
  },
  generate: {
    inconclusive: {
      message:
        'Nothing was written: the live checks could not be completed (see above). Run again, raise --timeout, or pass --offline to skip them.',
      silent: false,
    },
    failed: { message: 'Nothing was written: fix the findings above.', silent: false },
  },
};

/**
 * The one exit rule: end `command` with `code`, the verdict. 0 returns; anything else throws the ExitError
 * that carries it, with the command's closing line (none when `quiet`: a JSON document is the output).
 */
export function exitFor(code: ExitCodeValue, command: VerdictCommand, opts: EndingOptions = {}): void {
  if (code !== ExitCode.ok) throw endingError(code, command, opts);
}

interface EndingOptions {
  /** The output is a JSON document: no closing line. */
  quiet?: boolean;
  /** A run over many configs (§17): how many of them the verdict comes from ("2 of 5 configs"). */
  configs?: { failing: number; of: number };
}

/** The error that ends `command` with `code` (0 counts as 1: the caller knows the run failed). */
export function endingError(code: ExitCodeValue, command: VerdictCommand, { quiet = false, configs }: EndingOptions = {}): ExitError {
  const exitCode = code === ExitCode.ok ? ExitCode.failed : code;
  if (configs) {
    // Each config's own ending was said under its name; the run's names how many configs it comes from.
    const what = `${configs.failing} of ${configs.of} configs`;
    const message =
      code === ExitCode.changesPending
        ? `Changes are pending in ${what} (--exit-code).`
        : code === ExitCode.inconclusive
          ? `Inconclusive: ${what} could not be checked completely; see above.`
          : `${command} found problems in ${what}; see above.`;
    return new ExitError(exitCode, message, true);
  }
  if (code === ExitCode.changesPending) return new ExitError(code, 'Changes are pending (--exit-code).', true);
  const ending = code === ExitCode.inconclusive ? ENDINGS[command].inconclusive : ENDINGS[command].failed;
  return new ExitError(exitCode, ending.message, ending.silent || quiet);
}

/** A verdict in a job summary's words (§17). */
export const resultOf = (code: number): string =>
  code === ExitCode.ok
    ? RESULT.ok
    : code === ExitCode.changesPending
      ? RESULT.pending
      : code === ExitCode.inconclusive
        ? RESULT.inconclusive
        : RESULT.failed;
