import type { ApplyOptions, HalfName, PlanOptions } from '../cli.js';
import type { Context } from '../context.js';
import { planLines } from '../core/aws-plan.js';
import type { ResolvedConfig } from '../core/checks.js';
import type { Finding } from '../core/findings.js';
import { ExitCode, ExitError, type ExitCodeValue } from '../errors.js';
import type { LoadedConfig } from '../io/config-loader.js';
import { clip, joinShown, machine, oneLine, shown, stringifyVisible, type Shown } from '../core/text.js';
import { clipped, fileOk, formatFindingsText, verdict } from '../report.js';
import { checkFileSettings, overrideFinding, overrideNotice, resolveFileSettings, type FileSettings } from '../settings.js';
import { HALF_PLANNERS, type Half, type PlannedHalf } from './halves.js';

/**
 * `creatio-sso plan`: read both live sides and print, field by field, what `apply` would change (§13).
 * Reads, never writes. One pass down: resolve the settings, check them, plan each half, one report.
 */
export async function run(opts: PlanOptions, ctx: Context): Promise<void> {
  const prepared = await preparePlan(opts, ctx);
  const halves = halvesOf(prepared.planned);
  const findings = [...prepared.findings, ...allFindings(prepared.planned)];
  const changes = pendingOf(prepared.planned);
  const strict = Boolean(opts.strict);
  const unmet = unmetRequirements(opts.require, halves);
  const code = unmet.length ? ExitCode.usage : verdict(findings, { strict, pending: Boolean(opts.exitCode) && changes > 0 });
  printPlan(ctx, opts.format, { file: prepared.settings.file, halves, findings, changes, strict, ok: okOf(code) });
  if (opts.format !== 'json') ctx.output.err(shown`${oneLine(changesLine(changes, halves))}\n`);
  endWith(code, unmet, 'plan');
}

/** What plan and apply share: the settings, the config's findings, each half planned. */
export interface PreparedPlan {
  settings: FileSettings;
  loaded: LoadedConfig;
  resolved?: ResolvedConfig;
  /** The config's findings (and the overrides' in JSON). */
  findings: Finding[];
  planned: Record<HalfName, PlannedHalf>;
  /** cognito.clientId is absent (only allowed with --create-client). */
  clientIdAbsent: boolean;
}

/** A client ID that passes the config's checks while --create-client stands in for the real one. */
const PENDING_CLIENT_ID = 'pendingcreateclient0000000';

export async function preparePlan(opts: PlanOptions | ApplyOptions, ctx: Context): Promise<PreparedPlan> {
  // 1. Resolve: the file, flags, variables and the secret, once.
  const settings = await resolveFileSettings(opts, ctx);
  const json = opts.format === 'json';
  if (!json) for (const o of settings.overridden) ctx.output.err(shown`${overrideNotice(o)}\n`);

  // 2. Check (pure). With --create-client a config may leave cognito.clientId out: apply fills it in.
  const clientIdAbsent = !settings.inputs.has('clientId');
  const standIn = opts.createClient === true && clientIdAbsent;
  const overrides = standIn
    ? [...settings.overrides, { path: ['cognito', 'clientId'], value: PENDING_CLIENT_ID, from: '--create-client' }]
    : settings.overrides;
  const loaded = await checkFileSettings(settings, overrides);
  const findings: Finding[] = [...(json ? settings.overridden.map(overrideFinding) : []), ...loaded.findings];
  const resolved = loaded.resolved;

  // 3. Look: each half reads its side. A config with errors is not planned.
  const planned = {} as Record<HalfName, PlannedHalf>;
  if (!resolved) {
    for (const name of Object.keys(HALF_PLANNERS) as HalfName[]) {
      planned[name] = { half: { status: 'skipped', reason: 'the config has errors', items: [] }, findings: [], pending: 0 };
    }
    return { settings, loaded, findings, planned, clientIdAbsent };
  }
  const secretFindings = settings.secret.resolved.findings.map(loaded.locate);
  findings.push(...secretFindings);
  const secretUsable = settings.secret.value !== undefined && !secretFindings.some((f) => f.severity === 'error');
  const context = {
    opts,
    settings,
    resolved,
    ...(standIn ? {} : { clientId: resolved.clientId }),
    ...(secretUsable ? { clientSecret: settings.secret.value } : {}),
    ctx,
  };
  for (const [name, planHalf] of Object.entries(HALF_PLANNERS) as [HalfName, (typeof HALF_PLANNERS)[HalfName]][]) {
    const p = await planHalf(context);
    planned[name] = { ...p, findings: p.findings.map(loaded.locate) };
  }
  return { settings, loaded, resolved, findings, planned, clientIdAbsent };
}

export const halvesOf = (planned: Record<HalfName, { half: Half }>): Record<HalfName, Half> => ({
  cognito: planned.cognito.half,
  creatio: planned.creatio.half,
});
export const allFindings = (planned: Record<HalfName, { findings: Finding[] }>): Finding[] => [
  ...planned.cognito.findings,
  ...planned.creatio.findings,
];
export const pendingOf = (planned: Record<HalfName, PlannedHalf>): number => planned.cognito.pending + planned.creatio.pending;

/** The halves --require names that were skipped (§13: exit 2). */
export function unmetRequirements(required: ReadonlySet<HalfName> | undefined, halves: Record<HalfName, Half>): HalfName[] {
  return [...(required ?? [])].filter((name) => halves[name].status === 'skipped');
}

const okOf = (code: ExitCodeValue) => code === ExitCode.ok || code === ExitCode.changesPending;

const TITLES: Record<HalfName, string> = { cognito: 'Cognito', creatio: 'Creatio' };

export function changesLine(n: number, halves?: Record<HalfName, Half>): string {
  if (n > 0) return `${n} change${n === 1 ? '' : 's'} pending.`;
  const checked = halves ? (Object.keys(halves) as HalfName[]).filter((name) => halves[name].status === 'checked') : ['cognito', 'creatio'];
  if (checked.length === 0) {
    // A half that stopped (refused, unreachable) was not skipped: say so, or the reader looks for missing credentials.
    const stopped = halves ? (Object.keys(halves) as HalfName[]).filter((name) => halves[name].status === 'stopped') : [];
    if (stopped.length > 0)
      return `Nothing was compared: the ${stopped.map((name) => TITLES[name]).join(' and the ')} half stopped (see the findings above).`;
    return 'Nothing was checked: both halves were skipped (see above for how to give credentials).';
  }
  if (checked.length === 1) return `No changes: the ${TITLES[checked[0] as HalfName]} side matches the config (the other was not checked).`;
  return 'No changes: both sides match the config.';
}

export interface PlanReport {
  file: string;
  halves: Record<HalfName, Half>;
  findings: Finding[];
  changes: number;
  strict: boolean;
  ok: boolean;
}

/** §13's text (lines grouped under "Cognito" and "Creatio", then the findings) or §9's one JSON document. */
export function printPlan(ctx: Context, format: 'text' | 'json', r: PlanReport): void {
  const { output } = ctx;
  if (format === 'json') {
    const doc = {
      ok: r.ok,
      changes: r.changes,
      halves: r.halves,
      findings: r.findings.map((f) => clipped(f, output.redact)),
    };
    output.out(machine(`${stringifyVisible(doc, 2)}\n`));
    return;
  }
  const c = output.color;
  // Every line is composed (`shown`): a reason or a plan line is one line, its values escaped.
  const lines: Shown[] = [];
  for (const name of Object.keys(TITLES) as HalfName[]) {
    const half = r.halves[name];
    lines.push(shown`${c.bold(TITLES[name])}\n`);
    if (half.status === 'skipped') lines.push(shown`  ${c.dim(shown`- skipped: ${half.reason ?? ''}`)}\n`);
    else if (half.status === 'stopped') lines.push(shown`  ${c.red(shown`✖ stopped: ${clip(output.redact(half.reason ?? ''))}`)}\n`);
    for (const [i, line] of planLines(half.items).entries()) {
      const item = half.items[i]!;
      const mark = item.applied === true ? c.green(' (applied)') : item.applied === false ? c.red(' (not applied)') : '';
      lines.push(shown`${colourOf(c, item.action)(line)}${mark}\n`);
    }
  }
  if (r.findings.length) lines.push(shown`\n${formatFindingsText({ file: r.file, findings: r.findings }, c, undefined, output.redact)}`);
  else if (!fileOk({ file: r.file, findings: r.findings }, r.strict)) lines.push(shown`\n`);
  output.out(joinShown(lines));
}

const colourOf = (c: Context['output']['color'], action: string) =>
  action === 'add' ? c.green : action === 'change' ? c.yellow : action === 'manual' ? c.cyan : (t: string) => t;

/** The exit: --require unmet (2), then the verdict's code; findings are printed already. */
export function endWith(code: ExitCodeValue, unmet: readonly HalfName[], command: string): void {
  if (unmet.length) {
    throw new ExitError(
      ExitCode.usage,
      `--require ${unmet.join(',')}: the ${unmet.map((n) => TITLES[n]).join(' and ')} half was skipped (see above for how to enable it).`,
    );
  }
  if (code === ExitCode.changesPending) throw new ExitError(code, 'Changes are pending (--exit-code): run apply.', true);
  if (code === ExitCode.inconclusive) throw new ExitError(code, `Inconclusive: a side could not be read; see the findings above.`, true);
  if (code !== ExitCode.ok) throw new ExitError(code, `${command} found problems; see the findings above.`, true);
}
