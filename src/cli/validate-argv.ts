import { DEFAULT_FORMAT, DEFAULT_TIMEOUT_MS, REPORT_FORMATS, timeoutOf, type ReportFormat } from '../settings/inputs.js';

/**
 * `validate` as a pre-commit hook or a CI step runs it (`creatio-sso validate [--format F] [--strict]
 * [--online] [--no-color] [--timeout MS] [--verbose] [files…]`), read without commander: loading
 * commander (and the child_process module it requires) is a fifth of such a run. Anything else — help,
 * `--`, an unknown or malformed option, a value commander would refuse — returns undefined, and commander
 * reads the whole command line as usual, usage errors included. test/cli/validate-argv.test.ts holds this
 * reader to commander's result on generated command lines.
 */

/** What commander gives validate's runner: its options with the files, and the options with the globals. */
export interface QuickValidate {
  opts: { format: ReportFormat; strict?: true; online?: true; files: string[] };
  globals: { color: boolean; timeout: number; verbose?: true; format: ReportFormat; strict?: true; online?: true };
}

const FLAGS = new Set(['--strict', '--online', '--no-color', '--verbose']);

/** `args`: the command line after `node` and the script. */
export function validateArgv(args: readonly string[]): QuickValidate | undefined {
  if (args[0] !== 'validate') return undefined;
  let format: ReportFormat = DEFAULT_FORMAT;
  let timeout = DEFAULT_TIMEOUT_MS;
  const set = new Set<string>();
  const files: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    if (FLAGS.has(arg)) {
      set.add(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name !== '--format' && name !== '--timeout') return undefined;
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value.startsWith('-')) return undefined;
    if (name === '--format') {
      if (!(REPORT_FORMATS as readonly string[]).includes(value)) return undefined;
      format = value as ReportFormat;
    } else {
      const ms = timeoutOf(value);
      if (ms === undefined) return undefined;
      timeout = ms;
    }
  }
  const own = { format, ...(set.has('--strict') && { strict: true as const }), ...(set.has('--online') && { online: true as const }) };
  return {
    opts: { ...own, files },
    globals: { color: !set.has('--no-color'), timeout, ...(set.has('--verbose') && { verbose: true as const }), ...own },
  };
}
