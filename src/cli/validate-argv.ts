import { DEFAULT_FORMAT, DEFAULT_TIMEOUT_MS, REPORT_FORMATS, timeoutOf, type ReportFormat } from '../settings/inputs.js';

/**
 * `validate` as a pre-commit hook or a CI step runs it (`creatio-sso validate [--format F] [--strict]
 * [--online] [--no-color] [--timeout MS] [--verbose] [files…]`), and `doctor` as it is usually run
 * (`creatio-sso doctor [--config FILE]… [--format F] [--strict] [--no-color] [--timeout MS] [--verbose]
 * [configs…]`), read without commander: loading commander (and the child_process module it requires) and
 * declaring every command is a fifth of such a validate, and comes before doctor's first request. Anything
 * else — help, `--`, an unknown or malformed option, a value commander would refuse — returns undefined,
 * and commander reads the whole command line as usual, usage errors included.
 * test/cli/validate-argv.test.ts holds this reader to commander's result on generated command lines.
 */

/** What commander gives validate's runner: its options with the files, and the options with the globals. */
export interface QuickValidate {
  opts: { format: ReportFormat; strict?: true; online?: true; files: string[] };
  globals: { color: boolean; timeout: number; verbose?: true; format: ReportFormat; strict?: true; online?: true };
}

/** What commander gives doctor's runner (run.ts): its options with the configs, and the options (`config` among them) with the globals. */
export interface QuickDoctor {
  opts: { format: ReportFormat; strict?: true; configs: string[] };
  globals: { color: boolean; timeout: number; verbose?: true; format: ReportFormat; strict?: true; config?: string[] };
}

/** A command line read: the switches given, the values of --format, --timeout and --config, the arguments. */
interface Read {
  set: Set<string>;
  format: ReportFormat;
  timeout: number;
  configs: string[];
  args: string[];
}

/** Read `args` (after the command's name) with these switches, and --config when `config` is true; undefined: leave it to commander. */
function read(args: readonly string[], switches: ReadonlySet<string>, config: boolean): Read | undefined {
  const r: Read = { set: new Set(), format: DEFAULT_FORMAT, timeout: DEFAULT_TIMEOUT_MS, configs: [], args: [] };
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      r.args.push(arg);
      continue;
    }
    if (switches.has(arg)) {
      r.set.add(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name !== '--format' && name !== '--timeout' && !(config && name === '--config')) return undefined;
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value.startsWith('-')) return undefined;
    if (name === '--config') r.configs.push(value);
    else if (name === '--format') {
      if (!(REPORT_FORMATS as readonly string[]).includes(value)) return undefined;
      r.format = value as ReportFormat;
    } else {
      const ms = timeoutOf(value);
      if (ms === undefined) return undefined;
      r.timeout = ms;
    }
  }
  return r;
}

/** The program's own options, as commander gives them to every command. */
const globalsOf = (r: Read) => ({
  color: !r.set.has('--no-color'),
  timeout: r.timeout,
  ...(r.set.has('--verbose') && { verbose: true as const }),
});

const VALIDATE_SWITCHES = new Set(['--strict', '--online', '--no-color', '--verbose']);

/** `args`: the command line after `node` and the script. */
export function validateArgv(args: readonly string[]): QuickValidate | undefined {
  if (args[0] !== 'validate') return undefined;
  const r = read(args, VALIDATE_SWITCHES, false);
  if (!r) return undefined;
  const own = {
    format: r.format,
    ...(r.set.has('--strict') && { strict: true as const }),
    ...(r.set.has('--online') && { online: true as const }),
  };
  return { opts: { ...own, files: r.args }, globals: { ...globalsOf(r), ...own } };
}

const DOCTOR_SWITCHES = new Set(['--strict', '--no-color', '--verbose']);

/** `args`: the command line after `node` and the script. */
export function doctorArgv(args: readonly string[]): QuickDoctor | undefined {
  if (args[0] !== 'doctor') return undefined;
  const r = read(args, DOCTOR_SWITCHES, true);
  if (!r) return undefined;
  const own = { format: r.format, ...(r.set.has('--strict') && { strict: true as const }) };
  return {
    opts: { ...own, configs: [...r.configs, ...r.args] },
    globals: { ...globalsOf(r), ...own, ...(r.configs.length && { config: r.configs }) },
  };
}
