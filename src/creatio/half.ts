import type { ResolvedConfig } from '../core/config/checks.js';
import type { AuthorizeExpectation } from '../core/creatio/authorize.js';
import {
  checkCreatioState,
  desiredCreatioOf,
  FEATURE_CODE,
  FEATURE_RESOURCE,
  identifyProvider,
  planCreatio,
  PROVIDER_RESOURCE,
  type CreatioPlan,
  type DesiredCreatio,
  type PlanItem,
} from '../core/creatio/provider.js';
import { finding, type Finding } from '../core/findings.js';
import { quote } from '../core/text.js';
import type { Context } from '../cli/context.js';
import { untilStopped } from '../cli/stop.js';
import type { Half, HalfContext, PlannedHalf } from '../plan/half.js';
import { httpClientFor } from '../net/http.js';
import type { HttpClient } from '../net/types.js';
import { type CreatioSecretTrust } from '../core/trust.js';
import { applyCreatio } from './apply.js';
import { CreatioClient, CreatioFailure } from './client.js';
import { checkCreatioAuthorize, connectCreatio, NO_CREATIO_CREDENTIALS } from './connect.js';
import { readCreatioState } from './read.js';
import { creatioHalfInput, withCreatedClient, type CreatioHalfInput } from './input.js';

/**
 * The Creatio half of `plan`, `apply` and `doctor` (§12, §13) in one call each: credentials from the
 * environment or stdin only, the site they go to pinned outside the config file (§10), then read, judge
 * and (apply) write. Every expected failure is a finding and a `stopped` half, never a throw.
 */

/** §9's half. */
export interface CreatioHalf {
  status: 'checked' | 'skipped' | 'stopped';
  reason?: string;
  items: PlanItem[];
}

export interface CreatioHalfResult {
  half: CreatioHalf;
  /** Errors that stopped the half or that the re-read found (apply); a `trust/unpinned-host` one means exit 2. */
  findings: Finding[];
  /** Lines for the user (the provider.code to add to the config, an adopted record, a cache not cleared). Never a secret. */
  notes: string[];
  /** inspect: the plan read in this run, to hand to applyCreatioHalf (so apply does what was shown). */
  plan?: CreatioPlan;
  /** apply: the half read again after the changes (nothing pending when all went well). */
  after?: CreatioHalf;
  /** apply: the code of the provider it inserted or updated. */
  providerCode?: string;
  /** apply: the code the config must name from now on (inserted or adopted without provider.code), for apply to write (§13). */
  configCode?: string;
}

export interface CreatioHalfDeps {
  /** An HTTP client to share (closed by its owner); default: one made from the context and closed here. */
  http?: HttpClient;
}

/** The desired state of the half's input (pure). */
export const desiredOf = (input: CreatioHalfInput): DesiredCreatio =>
  desiredCreatioOf(input.resolved, { providerCode: input.providerCode, writeSecret: Boolean(input.writeSecret) });

type Connected = { kind: 'client'; client: CreatioClient } | { kind: 'done'; result: CreatioHalfResult };

function connect(http: HttpClient, input: CreatioHalfInput): Connected {
  const c = connectCreatio(http, { pinnedUrl: input.pinnedUrl, fileUrl: input.fileUrl, ...input.credentials });
  if (c.kind === 'no-credentials') {
    const reason = input.credentialsGap ? `incomplete Creatio credentials: ${input.credentialsGap}` : NO_CREATIO_CREDENTIALS;
    return { kind: 'done', result: { half: { status: 'skipped', reason: `${reason}.`, items: [] }, findings: [], notes: [] } };
  }
  if (c.kind === 'refused') return { kind: 'done', result: stopped(c.findings, [], []) };
  return { kind: 'client', client: c.client };
}

const stopped = (findings: Finding[], items: PlanItem[], notes: string[]): CreatioHalfResult => ({
  half: { status: 'stopped', reason: findings[0]?.message ?? 'stopped', items },
  findings,
  notes,
});

async function withHttp<T>(ctx: Context, deps: CreatioHalfDeps, work: (http: HttpClient) => Promise<T>): Promise<T> {
  if (deps.http) return work(deps.http);
  const http = httpClientFor(ctx);
  try {
    return await work(http);
  } finally {
    await http.close();
  }
}

/** Read the live state and plan: what `plan` prints for Creatio. Reads only. */
export function inspectCreatioHalf(input: CreatioHalfInput, ctx: Context, deps: CreatioHalfDeps = {}): Promise<CreatioHalfResult> {
  return withHttp(ctx, deps, async (http) => {
    const c = connect(http, input);
    if (c.kind === 'done') return c.result;
    const inspected = await inspectWith(c.client, desiredOf(input));
    // The plan says now what apply would refuse (§10): the secret would go to a pool or domain only the file names.
    const refused = inspected.plan && writesSecretIn(inspected.plan) ? secretRefusal(input.secretTrust) : undefined;
    return refused ? { ...inspected, findings: [...inspected.findings, refused] } : inspected;
  });
}

const writesSecretIn = (plan: CreatioPlan): boolean =>
  plan.items.some((i) => i.resource === PROVIDER_RESOURCE && i.field === 'ClientSecret' && i.action !== 'same');

async function inspectWith(client: CreatioClient, desired: DesiredCreatio): Promise<CreatioHalfResult> {
  let plan: CreatioPlan;
  try {
    plan = planCreatio(desired, await readCreatioState(client, desired));
  } catch (e) {
    if (e instanceof CreatioFailure) return stopped([e.finding], [], []);
    throw e;
  }
  if (plan.provider.kind === 'stopped') return { ...stopped(plan.findings, [], plan.notes), plan };
  return { half: { status: 'checked', items: plan.items }, findings: plan.findings, notes: plan.notes, plan };
}

/**
 * Carry out the Creatio half (§13): the plan given (from inspectCreatioHalf in this run) or one read now,
 * then read again. `applied` marks each pending item; on a failure the finding says what was applied.
 */
export function applyCreatioHalf(
  input: CreatioHalfInput,
  ctx: Context,
  deps: CreatioHalfDeps & { plan?: CreatioPlan; onApplied?: (item: PlanItem) => void } = {},
): Promise<CreatioHalfResult> {
  return withHttp(ctx, deps, async (http) => {
    const c = connect(http, input);
    if (c.kind === 'done') return c.result;
    const desired = desiredOf(input);
    let plan = deps.plan;
    if (!plan) {
      const inspected = await inspectWith(c.client, desired);
      if (!inspected.plan || inspected.half.status !== 'checked') return inspected;
      plan = inspected.plan;
    }
    const writesSecret = writesSecretIn(plan);
    if (writesSecret && input.clientSecret === undefined) {
      const f = finding(
        'client-secret/unresolved',
        'cognito.clientSecret',
        'apply writes the app client secret into the Creatio provider, but none was given: set the variable cognito.clientSecret names, or use --client-secret-env / --client-secret-stdin. Nothing was changed in Creatio.',
      );
      return stopped([f], plan.items, plan.notes);
    }
    // §10: Creatio relays the secret to the token endpoint its provider names; only a pool (and custom domain) named outside the file.
    const refused = writesSecret ? secretRefusal(input.secretTrust) : undefined;
    if (refused) return stopped([refused], plan.items, plan.notes);

    const result = await applyCreatio(c.client, desired, plan, input.clientSecret ?? '', deps.onApplied);
    if (!result.ok) return stopped(result.findings, result.items, result.notes);

    // The re-read: what doctor would say now, and what a second plan would show (the secret as written).
    const code = result.insertedCode ?? (plan.provider.kind === 'update' ? plan.provider.code : undefined);
    const again = { ...desired, writeSecret: false, providerCode: input.providerCode ?? code };
    const findings: Finding[] = [];
    let after: CreatioHalf;
    try {
      const live = await readCreatioState(c.client, again);
      const replan = planCreatio(again, live);
      after = { status: replan.provider.kind === 'stopped' ? 'stopped' : 'checked', items: replan.items };
      const featureSet = result.items.some((i) => i.resource === FEATURE_RESOURCE && i.applied === true);
      findings.push(
        ...checkCreatioState(again, live).map((f) => (featureSet && f.code === 'creatio/feature-off' ? featureStillOff(f) : f)),
      );
    } catch (e) {
      if (!(e instanceof CreatioFailure)) throw e;
      after = { status: 'stopped', reason: e.finding.message, items: [] };
      findings.push(e.finding);
    }
    if (code !== undefined && after.status === 'checked') findings.push(...(await authorizeFindings(c.client, input.resolved, code)));
    const adopted = plan.provider.kind === 'update' && plan.provider.adopted;
    const configCode =
      code !== undefined && (adopted || (result.insertedCode !== undefined && desired.providerCode === undefined)) ? code : undefined;
    return {
      half: { status: 'checked', items: result.items },
      findings,
      notes: result.notes,
      after,
      ...(code !== undefined ? { providerCode: code } : {}),
      ...(configCode !== undefined ? { configCode } : {}),
    };
  });
}

/**
 * apply switched the feature on, yet Creatio still reports it off: "run apply" would go round in circles.
 * Whether SetFeatureStateForAllUsers creates a feature row the site lacks is not confirmed (§12): the manual step.
 */
const featureStillOff = (f: Finding): Finding => ({
  ...f,
  message: `apply switched on the feature ${FEATURE_CODE} for all users, but Creatio still reports it off (the site may have no row for it, which the API may not create). Switch it on by hand at <CreatioURL>/0/Flags (SETUP.md, "Creatio: switch on OpenID Connect"), then run plan.`,
});

/** The expectation for Creatio's own authorize URL: the configured domain, client, callback (canonical values). */
export const authorizeExpectation = (r: ResolvedConfig, providerCode: string): AuthorizeExpectation => ({
  domainHost: r.domain.host,
  clientId: r.clientId,
  callbackUrl: r.urls.callbackUrl,
  providerCode,
});

/** The anonymous GetOpenIdAuthorizeUrl check (§12) against `client`'s site; failures as findings. */
export async function authorizeFindings(client: CreatioClient, r: ResolvedConfig, providerCode: string): Promise<Finding[]> {
  return (await checkCreatioAuthorize(client, authorizeExpectation(r, providerCode))).findings;
}

export interface CreatioDoctorResult {
  status: 'pass' | 'fail' | 'skip' | 'inconclusive';
  summary: string;
  findings: Finding[];
}

/**
 * doctor's Creatio section: with credentials (pinned site) the provider record compared field by field and
 * the feature on-site; then, anonymously against creatio.url, Creatio's own authorize URL for the provider
 * code given, or found with credentials — never for a derived default.
 */
export function doctorCreatioHalf(input: CreatioHalfInput, ctx: Context, deps: CreatioHalfDeps = {}): Promise<CreatioDoctorResult> {
  return withHttp(ctx, deps, async (http) => {
    const findings: Finding[] = [];
    const said: string[] = [];
    const desired = desiredOf(input);
    let code = input.providerCode;
    const c = connect(http, input);
    let signedIn = false;
    if (c.kind === 'client') {
      try {
        const live = await readCreatioState(c.client, desired);
        signedIn = true;
        const state = checkCreatioState(desired, live);
        findings.push(...state);
        const match = identifyProvider(live.providers, desired);
        if (match.kind === 'found') {
          code ??= match.record.Code;
          if (!state.some((f) => f.code === 'creatio/drift'))
            said.push(`provider ${quote(match.record.Code)} matches the config (ClientSecret cannot be compared)`);
        }
      } catch (e) {
        if (!(e instanceof CreatioFailure)) throw e;
        findings.push(e.finding);
      }
    } else if (c.result.half.status === 'stopped') {
      findings.push(...c.result.findings);
    }

    const notes: string[] = [];
    if (code !== undefined) {
      // returnUrl follows the site's path style: the signed-in client's, when it read the same site.
      const site = input.resolved.creatioUrl.replace(/\/+$/, '');
      const pathStyle = signedIn && c.kind === 'client' && c.client.site === site ? c.client.pathStyle() : undefined;
      const anonymous = new CreatioClient({ http, site, auth: { kind: 'anonymous' }, pathStyle });
      const authorize = await authorizeFindings(anonymous, input.resolved, code);
      findings.push(...authorize);
      notes.push(...anonymous.notes);
      if (!authorize.length) said.push(`Creatio's authorize URL for ${quote(code)} matches`);
    }
    const noted = (summary: string) => (notes.length ? `${summary} (note: ${notes.join(' ')})` : summary);

    const skipReason = c.kind === 'done' && c.result.half.status === 'skipped' ? c.result.half.reason : undefined;
    if (code === undefined && !findings.length) {
      const why = skipReason ?? 'no provider found';
      return {
        status: 'skip',
        summary: `skipped: no provider code given (provider.code, --provider-code or CREATIO_SSO_PROVIDER_CODE) and ${why.replace(/\.$/, '')}`,
        findings,
      };
    }
    const errors = findings.filter((f) => f.severity === 'error');
    const codes = [...new Set(errors.map((f) => f.code))].join(', ');
    if (errors.length && errors.every((f) => f.code === 'creatio/unreachable'))
      return { status: 'inconclusive', summary: noted(`no answer (${codes})`), findings };
    if (errors.length) return { status: 'fail', summary: noted(codes), findings };
    const record = signedIn ? '' : skipReason ? ' (provider record not compared: no Creatio credentials)' : '';
    return { status: 'pass', summary: noted(`${said.join('; ')}${record}`), findings };
  });
}

/** The refusal to write the client secret into Creatio (exit 2), or undefined when the destination is confirmed. */
export function secretRefusal(trust: CreatioSecretTrust | undefined): Finding | undefined {
  if (trust?.confirmed) return undefined;
  const why = trust?.why ?? 'the pool and domain it names were not confirmed in this run';
  const fix = trust?.fix ?? 'Name the pool with CREATIO_SSO_USER_POOL_ID (or --user-pool-id) in the environment of the run';
  return finding(
    'trust/unpinned-host',
    'cognito.userPoolId',
    `Not writing the client secret into Creatio: ${why}. ${fix}. Nothing was changed in Creatio.`,
  );
}

/**
 * The Creatio half (src/creatio/half.ts): read the site through its API, plan, and return `apply` like
 * the Cognito half does. Skipped without Creatio credentials; `trust/unpinned-host` (exit 2) when only
 * the file names the site.
 */
export async function planCreatioHalf(h: HalfContext): Promise<PlannedHalf> {
  const input = h.creatio ?? (await creatioHalfInput(h.settings, h.resolved, h.opts, h.ctx));
  const inspected = await untilStopped(h.ctx.signal, inspectCreatioHalf(input, h.ctx));
  const notes = inspected.notes;
  const code = providerCodeOf(inspected.plan);
  const half: Half = {
    status: inspected.half.status,
    ...(inspected.half.reason ? { reason: inspected.half.reason } : {}),
    items: inspected.half.items,
    ids: { providerCode: code },
  };
  const pending = inspected.half.status === 'checked' ? half.items.filter((i) => i.action === 'add' || i.action === 'change').length : 0;
  // With --create-client the provider gets the new client's ID and secret even when nothing else differs.
  if (inspected.half.status !== 'checked' || (pending === 0 && !h.opts.createClient))
    return { half, findings: inspected.findings, pending, notes };
  return {
    half,
    findings: inspected.findings,
    pending,
    notes,
    apply: async (progress, prior) => {
      progress('Applying the Creatio changes…');
      const created = prior?.createdClient;
      // A client created in this run: Creatio gets its ID and its secret (§13), so plan again with it.
      const withClient = created ? withCreatedClient(input, { clientId: created.clientId, clientSecret: created.clientSecret }) : input;
      const applied = await untilStopped(
        h.ctx.signal,
        applyCreatioHalf(withClient, h.ctx, {
          ...(created || !inspected.plan ? {} : { plan: inspected.plan }),
          ...(prior?.onApplied ? { onApplied: prior.onApplied } : {}),
        }),
      );
      const ok = applied.half.status === 'checked' && !applied.findings.some((f) => f.severity === 'error');
      return {
        half: {
          status: applied.half.status,
          ...(applied.half.reason ? { reason: applied.half.reason } : {}),
          items: applied.half.items,
          ids: { providerCode: applied.providerCode ?? code },
        },
        ok,
        findings: applied.findings,
        notes: applied.notes,
        ...(applied.configCode !== undefined ? { configCode: applied.configCode } : {}),
      };
    },
  };
}

/** The code of the provider a Creatio plan inserts or updates. */
const providerCodeOf = (plan: CreatioPlan | undefined): string | undefined =>
  plan && plan.provider.kind !== 'stopped' ? plan.provider.code : undefined;
