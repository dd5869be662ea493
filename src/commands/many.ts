import { Writable } from 'node:stream';
import type { DoctorConfigsOptions, PlanConfigsOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { ExitCode, ExitError, UsageError, type ExitCodeValue } from '../cli/errors.js';
import { INPUT_SPECS, SECRET_ENV } from '../settings/inputs.js';
import { fileValuesOf } from '../settings/resolve.js';
import { JobSummary, SUMMARY_MAX_BYTES } from '../core/report/job-summary.js';
import { parsePins, pinFor, PINS_VAR, type PinEntry } from '../core/pins.js';
import { parseSecretRef } from '../core/config/secret-ref.js';
import { errorMessage, joinShown, machine, quote, shown, stringifyVisible, visible, type Shown } from '../core/text.js';
import { expandConfigs } from '../io/config-globs.js';
import { configFileFrom, readConfigText } from '../io/config-read.js';
import { loadConfig } from '../io/config-loader.js';
import { formatGithub, formatText, jsonDocument } from '../report/findings.js';
import { appendJobSummary } from '../report/job-summary.js';
import { createOutput, loadChalkFor, wrapProse, type Output } from '../io/output.js';
import { exitFor, worseVerdict } from '../report/verdict.js';
import type { ConfigOutcome, Tell } from '../report/outcome.js';

/**
 * §17: `doctor` and `plan` over many configs. The configs named by `--config` and as arguments (globs
 * expanded here) are checked by the one-config command, at most four at once, each with its own resolved
 * settings, its own output (held, then printed under its file name, in the order named) and its own
 * pins; the AWS clients are shared, one per region and credentials. Then one summary table and the worst
 * exit (§3). One config, or none (the default file), runs the one-config command exactly as before.
 */

type Command = 'doctor' | 'plan';
/** At most this many configs are checked at once (§17). */
export const CONFIGS_AT_ONCE = 4;

export const doctorConfigs = (opts: DoctorConfigsOptions, ctx: Context) => runConfigs('doctor', opts, ctx);
export const planConfigs = (opts: PlanConfigsOptions, ctx: Context) => runConfigs('plan', opts, ctx);

type AnyOptions = (DoctorConfigsOptions | PlanConfigsOptions) & Record<string, unknown>;

async function runConfigs(command: Command, { configs, ...opts }: DoctorConfigsOptions | PlanConfigsOptions, ctx: Context): Promise<void> {
  const files = await expandConfigs(configs, ctx.cwd);
  const one = await commandModule(command);
  // One config runs the one-config command as before — unless CREATIO_SSO_PINS is set: then it pins this
  // one config too (a drift job over envs/*.yaml must not lose its pins when the folder holds one file).
  const pinsSet = (ctx.env[PINS_VAR] ?? '').trim() !== '';
  if (files.length <= 1 && !pinsSet) return one({ ...opts, ...(files.length ? { config: files[0] } : {}) }, ctx);
  if (files.length === 0) files.push(await configFileFrom(undefined, ctx.cwd));

  const o = opts as AnyOptions;
  await refuseSingleValueInputs(o, ctx.env, files.length);
  const pins = parsePins(ctx.env[PINS_VAR]);
  if (!pins.ok) throw new UsageError(pins.problem);

  const { AwsClientCache } = await import('../aws/shared-clients.js');
  const awsClients = new AwsClientCache();
  const base = await baseEnvironment(ctx.env, pins.entries);
  const results: (ConfigResult | undefined)[] = Array.from({ length: files.length });
  let printed = 0;
  // Each config is printed as soon as it and the ones named before it are done: output keeps the order named.
  const flush = () => {
    while (printed < files.length && results[printed]) printConfig(ctx, o.format, results[printed++]!);
  };
  try {
    await eachBounded(files, CONFIGS_AT_ONCE, async (file, i) => {
      results[i] = await checkOne(command, one, file, o, { ctx, base, pins: pins.entries, awsClients });
      flush();
    });
  } finally {
    awsClients.close();
  }
  if (ctx.signal.aborted)
    throw ctx.signal.reason instanceof ExitError ? ctx.signal.reason : new ExitError(ExitCode.cancelled, 'Cancelled.');
  const done = results as ConfigResult[];
  const code = done.reduce<ExitCodeValue>((worst, r) => worseVerdict(worst, r.code), ExitCode.ok);
  if (o.format === 'json') ctx.output.out(machine(`${stringifyVisible(manyDocument(done, command), 2)}\n`));
  else {
    const table = summaryTable(done, command, ctx.output);
    if (o.format === 'github') ctx.output.err(table);
    else ctx.output.out(table);
  }
  await appendJobSummary(ctx, () => manySummary(done, command, code, ctx.output.redact));
  exitFor(code, command, { configs: { failing: done.filter((r) => r.code !== ExitCode.ok).length, of: done.length } });
}

type OneRun = (opts: Record<string, unknown>, ctx: Context, tell?: Tell) => Promise<void>;

async function commandModule(command: Command): Promise<OneRun> {
  const m = command === 'doctor' ? await import('./doctor.js') : await import('./plan.js');
  return m.run as OneRun;
}

/** Run `work` on every item, at most `limit` at once. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** §3's inputs that name one config's value (§17): with many configs, only a pin may give them. */
const PINNED_INPUTS = ['creatioUrl', 'userPoolId', 'domain', 'clientId', 'providerCode'] as const;

/**
 * §17: the inputs that name one value would apply to every config; with many configs they are a usage
 * error, all named at once. What §10 needs from outside the files comes from CREATIO_SSO_PINS instead.
 */
async function refuseSingleValueInputs(opts: Record<string, unknown>, env: NodeJS.ProcessEnv, count: number): Promise<void> {
  const flags: [string, string][] = [
    ...PINNED_INPUTS.map((key): [string, string] => [key, INPUT_SPECS[key].flag]),
    ['clientSecretStdin', '--client-secret-stdin'],
    ['clientSecretEnv', '--client-secret-env'],
    ['creatioPasswordStdin', '--creatio-password-stdin'],
    ['login', '--login'],
    ['passwordStdin', '--password-stdin'],
  ];
  const named = flags.filter(([key]) => opts[key] !== undefined && opts[key] !== false).map(([, flag]) => flag);
  named.push(...(await singleValueVariables()).filter((name) => env[name] !== undefined && env[name] !== ''));
  if (!named.length) return;
  const clash =
    count > 1
      ? `With ${count} configs, ${named.join(', ')} would apply to every one of them.`
      : `${named.join(', ')} and ${PINS_VAR} would both name what the config needs.`;
  throw new UsageError(
    `${clash} Name what each config needs in ${PINS_VAR} (a JSON list, one entry per environment: {"userPoolId", "creatioUrl"?, "domain"?, "clientId"?, "clientSecretEnv"?, "creatioCredentials"?}), or check one config at a time.`,
  );
}

/** The variables that hold one config's value (§3's table, the secret, Creatio's credentials, the test user's password). */
async function singleValueVariables(): Promise<string[]> {
  const [{ CREATIO_ENV }, { TEST_PASSWORD_ENV }] = await Promise.all([import('../creatio/input.js'), import('../core/login.js')]);
  return [...PINNED_INPUTS.map((key) => INPUT_SPECS[key].env), SECRET_ENV, ...Object.values(CREATIO_ENV), TEST_PASSWORD_ENV];
}

/**
 * Every config's environment starts from this: the run's, without the pins, the job summary (written once,
 * here), the single-value variables, and every variable an entry names for its credentials. A config gets
 * its own entry's values through pinEnvironment; another entry's secret is not in its environment at all,
 * so a file's `${env:OTHER_CUSTOMERS_SECRET}` resolves to nothing (§10 per config).
 */
async function baseEnvironment(env: NodeJS.ProcessEnv, entries: readonly PinEntry[]): Promise<NodeJS.ProcessEnv> {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of [PINS_VAR, 'GITHUB_STEP_SUMMARY', ...(await singleValueVariables()), ...heldByPins(entries)]) delete out[name];
  return out;
}

/** Every variable a CREATIO_SSO_PINS entry names for a credential. */
function heldByPins(entries: readonly PinEntry[]): Set<string> {
  const names = entries.flatMap((e) => {
    const c = e.creatioCredentials;
    return [e.clientSecretEnv, c?.usernameEnv, c?.passwordEnv, c?.oauthClientIdEnv, c?.oauthClientSecretEnv];
  });
  return new Set(names.filter((n): n is string => n !== undefined));
}

interface ConfigResult {
  file: string;
  code: ExitCodeValue;
  /** What the one-config run printed: stdout and stderr, already escaped and masked by its own output. */
  out: string;
  err: string;
  outcome?: ConfigOutcome;
  /** The entry that pinned it (`CREATIO_SSO_PINS[2]`), or what was skipped for want of one. */
  pin: { by: string } | { skipped: string };
  /** A run that ended before its report (a usage error): its message. */
  error?: string;
}

interface Shared {
  ctx: Context;
  base: NodeJS.ProcessEnv;
  pins: readonly PinEntry[];
  awsClients: Context['awsClients'];
}

const UNPINNED = {
  doctor: `no ${PINS_VAR} entry names this config's pool: the checks that need a pin are skipped (the token probe unless the domain is an AWS-operated prefix host, Creatio's signed-in checks)`,
  plan: `no ${PINS_VAR} entry names this config's pool: the Creatio half needs a pinned site and its credentials`,
} as const;

async function checkOne(command: Command, one: OneRun, file: string, opts: AnyOptions, s: Shared): Promise<ConfigResult> {
  const { ctx } = s;
  const keys = configKeys(file, ctx.cwd);
  const pin = pinFor(s.pins, keys);
  const out = new Held(Boolean(ctx.stdout.isTTY), ctx.output.outColumns);
  const err = new Held(false, ctx.output.errColumns);
  const output = createOutput(
    await loadChalkFor({
      color: ctx.output.chalk.level > 0,
      verbose: ctx.output.verbose,
      stdout: out,
      stderr: err,
      stderrIsTTY: false,
      env: ctx.env,
    }),
  );
  const result = (code: ExitCodeValue, extra: Partial<ConfigResult> = {}): ConfigResult => ({
    file,
    code,
    // JSON: the config's document is kept (outcome), not its printed copy.
    out: opts.format === 'json' ? '' : out.text,
    err: err.text,
    pin: pin ? { by: `${PINS_VAR}[${pin.index}]` } : { skipped: UNPINNED[command] },
    ...extra,
  });
  let env: NodeJS.ProcessEnv;
  try {
    env = { ...s.base, ...pinEnvironment(pin, ctx.env, output) };
  } catch (e) {
    // §3: a config with errors is judged first: its findings and exit 1, before a usage error about its pin.
    const broken = await configErrors(file, opts, ctx, output);
    return broken ? result(ExitCode.failed, broken) : result(ExitCode.usage, { error: errorMessage(e) });
  }
  // A context of its own (the run's, read through its descriptors: stdin is built only when read).
  const own = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ctx)) as Context;
  Object.assign(own, { env, output, interactive: false, awsClients: s.awsClients });
  if (pin) {
    own.pinnedBy = `${PINS_VAR}[${pin.index}]`;
    if (pin.clientSecretEnv !== undefined) own.pinnedSecretEnv = pin.clientSecretEnv;
  }
  // A config that names no pool says why in its own findings; one that does is told what it skips.
  else if (keys.userPoolId !== undefined) output.err(shown`${wrapProse(shown`Not pinned: ${UNPINNED[command]}.`, output.errColumns, 2)}\n`);
  // A file that names another config's secret variable gets nothing from it (baseEnvironment): say why.
  const ref = keys.clientSecret === undefined ? undefined : parseSecretRef(keys.clientSecret);
  if (ref?.kind === 'env' && heldByPins(s.pins).has(ref.name) && pin?.clientSecretEnv !== ref.name)
    output.err(
      shown`${wrapProse(shown`cognito.clientSecret names ${quote(ref.name, 80)}, which ${PINS_VAR} holds for another config: this config is checked without it.`, output.errColumns, 2)}\n`,
    );
  const skipReasons =
    command === 'plan' && !pin && !(opts.skip as ReadonlySet<string> | undefined)?.has('creatio') ? { creatio: UNPINNED.plan } : undefined;

  let outcome: ConfigOutcome | undefined;
  try {
    // The job summary's section is kept only when there is a summary to write.
    const keep = (o: ConfigOutcome): ConfigOutcome => (ctx.env.GITHUB_STEP_SUMMARY ? o : { document: o.document, summary: () => '' });
    await one({ ...opts, config: file, ...(skipReasons ? { skipReasons } : {}) }, own, (o) => (outcome = keep(o)));
    return result(ExitCode.ok, outcome ? { outcome } : {});
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    if (e instanceof ExitError) {
      if (!e.silent) output.err(shown`${e.exitCode === ExitCode.usage ? 'Usage error: ' : '✖ '}${e.message}\n`);
      return result(e.exitCode, { ...(outcome ? { outcome } : {}), ...(e.silent ? {} : { error: e.message }) });
    }
    // A bug in one config's run never hides the others' results.
    output.err(shown`Unexpected error: ${errorMessage(e)}\n`);
    return result(ExitCode.failed, { error: `Unexpected error: ${errorMessage(e)}` });
  }
}

/**
 * The offline findings of a config that has errors, printed in the run's format (JSON: its document), for a
 * config whose pin cannot be used; undefined when the file has no error.
 */
async function configErrors(file: string, opts: AnyOptions, ctx: Context, output: Output): Promise<Partial<ConfigResult> | undefined> {
  const loaded = await loadConfig(readConfigText(file, ctx.cwd));
  if (!loaded.findings.some((f) => f.severity === 'error')) return undefined;
  const report = { file, findings: loaded.findings };
  const strict = Boolean(opts.strict);
  if (opts.format === 'json') return { outcome: { document: jsonDocument([report], strict, output.redact), summary: () => '' } };
  if (opts.format === 'github') output.out(formatGithub([report], output.redact));
  else output.out(formatText([report], output.color, strict, output.outColumns, output.redact));
  return {};
}

/**
 * The pool and the site a config names, to find its pin, and its secret reference: looked up as the
 * settings look them up (aliases and merge keys resolved, the same size and nesting limits); nothing when
 * the file does not read (its run says why).
 */
function configKeys(file: string, cwd: string): { userPoolId?: string; creatioUrl?: string; clientSecret?: string } {
  const { inFile } = fileValuesOf(readConfigText(file, cwd));
  const keys: { userPoolId?: string; creatioUrl?: string; clientSecret?: string } = {};
  const pool = inFile(['cognito', 'userPoolId']);
  const url = inFile(['creatio', 'url']);
  const secret = inFile(['cognito', 'clientSecret']);
  if (pool !== undefined) keys.userPoolId = pool;
  if (url !== undefined) keys.creatioUrl = url;
  if (secret !== undefined) keys.clientSecret = secret;
  return keys;
}

/**
 * A pin as the variables the one-config command reads (§10's machinery stays one): its values count as
 * named outside the file for this config only, and the credentials come from the variables it names. A
 * named variable that is unset is a usage error for this config (never a silent fall-back to the file's).
 */
function pinEnvironment(pin: PinEntry | undefined, env: NodeJS.ProcessEnv, output: Output): NodeJS.ProcessEnv {
  if (!pin) return {};
  const at = `${PINS_VAR}[${pin.index}]`;
  const read = (field: string, name: string, secret: boolean): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new UsageError(`${at}.${field} names ${name}, which is not set.`);
    if (secret) output.addSecret(value, { anyLength: true });
    return value;
  };
  const out: NodeJS.ProcessEnv = { [INPUT_SPECS.userPoolId.env]: pin.userPoolId };
  if (pin.creatioUrl !== undefined) out[INPUT_SPECS.creatioUrl.env] = pin.creatioUrl;
  if (pin.domain !== undefined) out[INPUT_SPECS.domain.env] = pin.domain;
  if (pin.clientId !== undefined) out[INPUT_SPECS.clientId.env] = pin.clientId;
  if (pin.clientSecretEnv !== undefined) out[SECRET_ENV] = read('clientSecretEnv', pin.clientSecretEnv, true);
  const c = pin.creatioCredentials;
  if (c?.usernameEnv !== undefined && c.passwordEnv !== undefined) {
    out.CREATIO_SSO_CREATIO_USERNAME = read('creatioCredentials.usernameEnv', c.usernameEnv, false);
    out.CREATIO_SSO_CREATIO_PASSWORD = read('creatioCredentials.passwordEnv', c.passwordEnv, true);
  } else if (c?.oauthClientIdEnv !== undefined && c.oauthClientSecretEnv !== undefined) {
    out.CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID = read('creatioCredentials.oauthClientIdEnv', c.oauthClientIdEnv, false);
    out.CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET = read('creatioCredentials.oauthClientSecretEnv', c.oauthClientSecretEnv, true);
    if (c.identityUrl !== undefined) out.CREATIO_SSO_CREATIO_IDENTITY_URL = c.identityUrl;
  }
  return out;
}

/** A config's output, held until it is printed under its file name. */
class Held extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/** Each config under its file name: its messages on stderr, its report on stdout (JSON: all in one document at the end). */
function printConfig(ctx: Context, format: string, r: ConfigResult): void {
  const { output } = ctx;
  if (format === 'json') {
    if (r.err) output.err(shown`${r.file}:\n${machine(r.err)}`);
    return;
  }
  const heading = shown`── ${r.file} ──`;
  output.out(shown`${output.color.bold(heading)}\n`);
  if (r.err) output.err(machine(r.err));
  if (r.out) output.out(machine(r.out));
  output.out(shown`\n`);
}

const RESULT_WORDS: Partial<Record<ExitCodeValue, string>> = {
  [ExitCode.ok]: 'passed',
  [ExitCode.failed]: 'failed',
  [ExitCode.usage]: 'usage error',
  [ExitCode.inconclusive]: 'inconclusive',
  [ExitCode.changesPending]: 'changes pending',
};
const resultWord = (code: ExitCodeValue) => RESULT_WORDS[code] ?? `exit ${code}`;

interface Check {
  name: string;
  status: string;
}
interface HalfView {
  status: string;
  reason?: string;
  resources: { action: string }[];
}

const CONFIG_HAS_ERRORS = 'the config has errors';
const STATUS_ORDER = ['fail', 'inconclusive', 'warn', 'pass', 'skip'];

/** The summary table's two columns: Cognito (the hosted UI and the AWS audit, or the plan's half) and Creatio. */
function columnsOf(r: ConfigResult, command: Command): [string, string] {
  const doc = r.outcome?.document;
  if (!doc) return ['-', '-'];
  if (command === 'doctor') {
    const checks = (doc.checks ?? []) as Check[];
    // A config with errors was not looked at: its findings say why.
    if (checks.find((k) => k.name === 'config')?.status === 'fail') return ['-', '-'];
    const worst = (names: string[]) => {
      const among = checks.filter((k) => names.includes(k.name));
      const status = STATUS_ORDER.find((s) => among.some((k) => k.status === s)) ?? 'skip';
      const which = among.filter((k) => k.status === status).map((k) => k.name);
      return status === 'pass' || status === 'skip' ? status : `${status} (${which.join(', ')})`;
    };
    return [worst(['discovery', 'authorize', 'token', 'logout', 'aws']), worst(['creatio'])];
  }
  const halves = doc.halves as Record<'cognito' | 'creatio', HalfView>;
  if (halves.cognito.reason === CONFIG_HAS_ERRORS && halves.creatio.reason === CONFIG_HAS_ERRORS) return ['-', '-'];
  const half = (h: HalfView) => {
    if (h.status !== 'checked') return h.status;
    const pending = h.resources.filter((x) => x.action === 'create' || x.action === 'update').length;
    return pending ? `${pending} to change` : 'no changes';
  };
  return [half(halves.cognito), half(halves.creatio)];
}

/** §17's one summary table: file, Cognito, Creatio, result; then the verdict in one line. */
function summaryTable(results: readonly ConfigResult[], command: Command, output: Output): Shown {
  const rows = [
    ['file', 'Cognito', 'Creatio', 'result'],
    ...results.map((r) => [r.file, ...columnsOf(r, command), resultWord(r.code)]),
  ].map((row) => row.map((v) => visible(v)));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    shown`  ${joinShown(row.map((v, i) => (i === row.length - 1 ? shown`${v}` : shown`${v}${' '.repeat(widths[i]! - v.length)}  `)))}\n`;
  const failed = results.filter((r) => r.code !== ExitCode.ok).length;
  return shown`\n${output.color.bold(`Summary: ${results.length} configs, ${failed ? `${failed} not passed` : 'all passed'}`)}\n${joinShown(rows.map(line))}`;
}

/** §9's many-config document: `ok`, the sums of the one-config summaries, and each config's own document under its file. */
function manyDocument(results: readonly ConfigResult[], command: Command): Record<string, unknown> {
  const sums: Record<string, number> = { configs: results.length, failed: 0 };
  const configs = results.map((r) => {
    const doc = r.outcome?.document;
    if (r.code !== ExitCode.ok && r.code !== ExitCode.changesPending) sums.failed!++;
    for (const [k, v] of Object.entries((doc?.summary ?? {}) as Record<string, unknown>))
      if (typeof v === 'number') sums[k] = (sums[k] ?? 0) + v;
    const pin = 'by' in r.pin ? { pinnedBy: r.pin.by } : { notPinned: r.pin.skipped };
    if (!doc) return { file: r.file, ok: false, exitCode: r.code, ...(r.error ? { error: r.error } : {}), ...pin };
    const ok = command === 'plan' ? r.code === ExitCode.ok || r.code === ExitCode.changesPending : r.code === ExitCode.ok;
    return { file: r.file, ...doc, ok, exitCode: r.code, ...pin };
  });
  return {
    ok: results.every((r) => r.code === ExitCode.ok || (command === 'plan' && r.code === ExitCode.changesPending)),
    summary: sums,
    configs,
  };
}

/** §17's job summary over every config: the table, then each config's own section, within the 1 MiB. */
function manySummary(results: readonly ConfigResult[], command: Command, code: ExitCodeValue, redact: (text: string) => string): string {
  const head = new JobSummary(redact, SUMMARY_MAX_BYTES / 4)
    .own(`## creatio-sso ${command}: ${results.length} configs, ${resultWord(code)}`)
    .table(
      ['File', 'Cognito', 'Creatio', 'Result'],
      results.map((r) => [r.file, ...columnsOf(r, command), resultWord(r.code)]),
    )
    .text();
  const parts = [head];
  let size = Buffer.byteLength(head);
  let left = 0;
  for (const r of results) {
    const section =
      r.outcome?.summary() ??
      new JobSummary(redact)
        .own(`## creatio-sso ${command}`)
        .table(['File', 'Result'], [[r.file, r.error ?? resultWord(r.code)]])
        .text();
    if (left || size + Buffer.byteLength(section) > SUMMARY_MAX_BYTES - 1024) {
      left++;
      continue;
    }
    parts.push(`\n${section}`);
    size += Buffer.byteLength(section) + 1;
  }
  if (left) parts.push(`\n… and ${left} more config${left === 1 ? '' : 's'} (the summary stops at 1 MiB).\n`);
  return parts.join('');
}
