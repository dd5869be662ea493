import type { ApplyOptions, HalfName, PlanOptions } from '../cli/program.js';
import { loadConfig } from '../io/config-loader.js';
import type { Context } from '../cli/context.js';
import { PENDING_CLIENT_ID, type ResolvedConfig } from '../core/config/checks.js';
import type { Finding } from '../core/findings.js';
import { UsageError } from '../cli/errors.js';
import { HALVES } from '../cli/program.js';
import type { LoadedConfig } from '../io/config-loader.js';
import { oneLine, shown } from '../core/text.js';
import { startSpinner } from '../io/spinner.js';
import { wrapProse } from '../io/output.js';
import { overrideFinding, overrideNotice, resolveFileSettings, type FileSettings } from '../settings/resolve.js';
import type { Half, HalfContext, PlannedHalf } from '../plan/half.js';
import { AWS_HOW } from '../settings/aws.js';

/**
 * What `plan` and `apply` share before they part (§13): resolve the settings, check the config, fail closed
 * on a half without credentials, and plan each half in order (Cognito first).
 */
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

/** What the spinner says while a half is read. */
const READING: Record<HalfName, string> = {
  cognito: 'Reading the Cognito user pool and app client (AWS API)…',
  creatio: 'Reading the Creatio provider, feature and setting (Creatio API)…',
};

const skippedHalf = (reason: string): PlannedHalf => ({ half: { status: 'skipped', reason, items: [] }, findings: [], pending: 0 });

/** Why a half is left out when not by --skip (many configs: a config no CREATIO_SSO_PINS entry pins, §17). */
export interface PlanSkipReasons {
  readonly skipReasons?: Partial<Record<HalfName, string>>;
}

export async function preparePlan(opts: (PlanOptions | ApplyOptions) & PlanSkipReasons, ctx: Context): Promise<PreparedPlan> {
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
  const loaded = await loadConfig(settings.read, overrides);
  const findings: Finding[] = [...(json ? settings.overridden.map(overrideFinding) : []), ...loaded.findings];
  const resolved = loaded.resolved;
  const secretFindings = resolved ? settings.secret.findings.map(loaded.locate) : [];
  findings.push(...secretFindings);

  // A config with errors is judged first (§3, §13): its findings and exit 1, before any word about credentials.
  const planned = {} as Record<HalfName, PlannedHalf>;
  if (!resolved || secretFindings.some((f) => f.severity === 'error')) {
    for (const name of HALVES) planned[name] = skippedHalf('the config has errors');
    return { settings, loaded, findings, planned, clientIdAbsent };
  }
  const secretUsable = settings.secret.value !== undefined;
  const context: HalfContext = {
    opts,
    settings,
    resolved,
    ...(standIn ? {} : { clientId: resolved.clientId }),
    ...(secretUsable ? { clientSecret: settings.secret.value } : {}),
    ctx,
  };

  // 3. Fail closed (§13): a half is left out only when --skip says so; one without credentials is a usage error.
  const skip: ReadonlySet<string> = new Set([...(opts.skip ?? []), ...Object.keys(opts.skipReasons ?? {})]);
  const wanted = HALVES.filter((name) => !skip.has(name));
  if (wanted.length === 0) {
    throw new UsageError(
      'Both halves were skipped (--skip cognito,creatio): there is nothing to check. Leave at least one of them out of --skip.',
    );
  }
  const missing: string[] = [];
  if (wanted.includes('cognito')) {
    if (!settings.aws.wanted) missing.push(`Cognito: ${AWS_HOW}`);
  }
  if (wanted.includes('creatio')) {
    const { creatioHalfInput, creatioCredentialsGap } = await import('../creatio/input.js');
    context.creatio = await creatioHalfInput(settings, resolved, opts, ctx);
    const gap = creatioCredentialsGap(context.creatio);
    if (gap !== undefined) missing.push(`Creatio: ${gap}`);
  }
  if (missing.length) {
    const skips = missing.map((m) => `--skip ${m.startsWith('Cognito') ? 'cognito' : 'creatio'}`).join(' or ');
    throw new UsageError(
      `A half without credentials cannot be checked (a drift check must not pass by reading nothing):\n${missing.map((m) => `  - ${m}`).join('\n')}\n  Give the credentials, or leave the half out explicitly with ${skips}.`,
    );
  }

  // 4. Look: each half reads its side, in §13's order.
  for (const name of HALVES) {
    if (!wanted.includes(name)) {
      planned[name] = skippedHalf(opts.skipReasons?.[name] ?? `--skip ${name}`);
      continue;
    }
    // A wait names what it waits for, at a terminal only (§13); the half's notes follow once it is cleared.
    const spinner = await startSpinner(ctx, READING[name]);
    let p: PlannedHalf;
    try {
      p = await HALF_PLANNERS[name](context);
    } finally {
      spinner.stop();
    }
    for (const note of p.notes ?? []) ctx.output.err(shown`${wrapProse(oneLine(note), ctx.output.errColumns, 2)}\n`);
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

/** The halves in §13's order: Cognito first (a created client's ID is what Creatio then gets). Each loads when planned. */
export const HALF_PLANNERS = {
  cognito: async (h: HalfContext): Promise<PlannedHalf> => (await import('../aws/half.js')).planCognitoHalf(h),
  creatio: async (h: HalfContext): Promise<PlannedHalf> => (await import('../creatio/half.js')).planCreatioHalf(h),
} as const;
