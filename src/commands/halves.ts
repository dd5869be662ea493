/**
 * The two halves of `plan` and `apply` (§13), one function per half per command: Cognito (through the AWS
 * API, src/aws/half.ts) and Creatio (through its API). Each `plan…Half` reads and judges its side and
 * returns §9's H with its findings, and, when it has changes to make, an `apply` that makes them and
 * reads again. plan.ts and apply.ts only order, print and judge what these return.
 */
import type { ApplyOptions, PlanOptions } from '../cli.js';
import type { Context } from '../context.js';
import { untilStopped } from '../context.js';
import type { CognitoPlan, PlanItem } from '../core/aws-plan.js';
import { headingOf, resourcesOf, type ResourceIds } from '../core/plan-view.js';
import type { CognitoState } from '../core/aws-state.js';
import type { ResolvedConfig } from '../core/checks.js';
import { finding, type Finding } from '../core/findings.js';
import { UsageError } from '../errors.js';
import type { CreatedClient } from '../aws/apply.js';
import type { CognitoHalfInput } from '../aws/half.js';
import type { CreatioHalfInput } from '../creatio/half.js';
import type { CreatioPlan } from '../core/creatio-provider.js';
import type { FileSettings } from '../settings.js';
import type { InputFlags } from '../inputs.js';

/** How a half went, and its items; `ids` say which resource each is (§9's H is `viewOf` this). */
export type Half = { status: 'checked' | 'skipped' | 'stopped'; reason?: string; items: PlanItem[]; ids?: ResourceIds };

/** A half read and judged: what `plan` prints, and what `apply` makes of it. */
export interface PlannedHalf {
  half: Half;
  findings: Finding[];
  /** Items that would change something (add/change); skipped halves and manual steps count none. */
  pending: number;
  /** Lines for the user once the half is read (never a secret): printed by the command, after its spinner. */
  notes?: string[];
  /** Makes the changes, then reads the side again. Present only when `pending` > 0. */
  apply?: (
    progress: (message: string) => void,
    prior?: { createdClient?: CreatedClient; onApplied?: (item: PlanItem) => void },
  ) => Promise<AppliedHalf>;
}

/** A half after `apply`: the items marked `applied`, and the findings of reading it again (or the failure). */
export interface AppliedHalf {
  half: Half;
  ok: boolean;
  findings: Finding[];
  /** `apply --create-client`: the new client (its secret is not enumerable, so JSON never shows it). */
  createdClient?: CreatedClient;
  /** Lines for the user (never a secret): printed by the command once its spinner is cleared. */
  notes?: string[];
  /** The provider code the config must name from now on (a record inserted or adopted without one): apply writes it. */
  configCode?: string;
}

type SharedOptions = Pick<PlanOptions & ApplyOptions, 'aws' | 'awsProfile' | 'createClient' | 'writeSecret' | 'creatioPasswordStdin'> &
  InputFlags;

/** What every half reads: the options, the resolved settings and the checked config, the context. */
export interface HalfContext {
  opts: SharedOptions;
  settings: FileSettings;
  resolved: ResolvedConfig;
  /** cognito.clientId as configured; absent with `--create-client` and no client in the file. */
  clientId?: string;
  /** The configured client secret, when it resolved without errors. */
  clientSecret?: string;
  /** The Creatio half's input, resolved once (its credentials decide whether the half can run). */
  creatio?: CreatioHalfInput;
  ctx: Context;
}

/** How to give AWS credentials, for a skipped Cognito half. */
export const AWS_HOW =
  'no AWS credentials in the environment: pass --aws-profile <name> (or --aws for the [default] profile or an instance role), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

const awsExplicit = (opts: SharedOptions) => opts.aws === true || (opts.awsProfile !== undefined && opts.awsProfile.trim() !== '');

/**
 * The test suite's clock for the retry back-off (CREATIO_SSO_TEST_RETRY_SCALE, read only with
 * CREATIO_SSO_TEST=1): end-to-end runs against the time-scaled rate-limit stand-in back off on its clock.
 */
function testRetryScale(env: NodeJS.ProcessEnv): { retryDelayScale?: number } {
  const scale = env.CREATIO_SSO_TEST === '1' ? Number(env.CREATIO_SSO_TEST_RETRY_SCALE) : NaN;
  return scale > 0 && scale <= 1 ? { retryDelayScale: scale } : {};
}

/** The inputs of src/aws/half.ts, from the settings and the context (never `process`). */
export function cognitoInputOf(h: HalfContext): CognitoHalfInput {
  const r = h.resolved;
  return {
    env: h.ctx.env,
    region: r.region,
    ...(h.opts.awsProfile !== undefined ? { profile: h.opts.awsProfile } : {}),
    timeoutMs: h.ctx.timeoutMs,
    signal: h.ctx.signal,
    ...(h.ctx.awsClients ? { shared: h.ctx.awsClients } : {}),
    ...testRetryScale(h.ctx.env),
    explicit: h.opts.aws === true,
    userPoolId: r.userPoolId,
    callbackUrl: r.urls.callbackUrl,
    signOutUrl: r.urls.signOutUrl,
    domain: r.domain,
    ...(h.clientId !== undefined ? { clientId: h.clientId } : {}),
    ...(h.opts.createClient === true ? { createClient: true } : {}),
    jit: { employees: r.jit.employees, externalUsers: r.jit.externalUsers, claims: Object.fromEntries(r.jit.claims) },
    ...(h.clientSecret !== undefined ? { clientSecret: h.clientSecret } : {}),
  };
}

/**
 * `aws/credentials` when the user asked for AWS (--aws, --aws-profile) is a usage error (§3, §11): exit 2,
 * before anything else is judged.
 */
export function refuseMissingCredentials(opts: SharedOptions, findings: readonly Finding[]): void {
  const missing = findings.find((f) => f.code === 'aws/credentials');
  if (missing && awsExplicit(opts)) {
    const flag = opts.awsProfile ? `--aws-profile ${opts.awsProfile}` : '--aws';
    throw new UsageError(`${missing.message} ${flag} asks for the AWS API: give credentials, or leave out ${flag.split(' ')[0]}.`);
  }
}

/** The hosted UI hosts DescribeUserPool named for the pool (§10: they confirm the domain for the token probe). */
export function describedDomainsOf(state: CognitoState | undefined, region: string): string[] {
  if (!state) return [];
  const hosts: string[] = [];
  if (state.prefixDomain)
    hosts.push(`${state.prefixDomain}.auth.${region}.amazoncognito.com`, `${state.prefixDomain}.auth-fips.${region}.amazoncognito.com`);
  if (state.customDomain) hosts.push(state.customDomain.toLowerCase());
  return hosts;
}

/** §13: at set-up time a pool without a domain is a warning that names the fix. */
function noDomainWarning(state: CognitoState, h: HalfContext): Finding[] {
  if (state.prefixDomain !== undefined || state.customDomain !== undefined) return [];
  const fix =
    h.resolved.domain.kind === 'prefix'
      ? `apply creates the prefix domain ${h.resolved.domain.prefix} (CreateUserPoolDomain)`
      : 'a custom domain needs a certificate: create it';
  return [
    finding(
      'discovery/no-hosted-ui-domain',
      'cognito.domain',
      `The user pool ${h.resolved.userPoolId} has no hosted UI domain yet: ${fix}, or add one under Cognito → User pools → ${h.resolved.userPoolId} → Branding → Domain.`,
      'warning',
    ),
  ];
}

/** The plan items (resource or field) whose change makes an audit finding go away. */
const FIXED_BY: Partial<Record<string, readonly string[]>> = {
  'aws/callback-missing': ['CallbackURLs'],
  'aws/logout-missing': ['LogoutURLs'],
  'aws/flow-missing': ['AllowedOAuthFlows', 'AllowedOAuthFlowsUserPoolClient'],
  'aws/scope-missing': ['AllowedOAuthScopes'],
  'aws/no-identity-provider': ['SupportedIdentityProviders'],
  'aws/no-branding': ['ManagedLoginBranding'],
  'aws/client-not-found': ['ClientName'],
};

/** Codes of the audit findings a plan line fixes: shown as info, and in text not printed again (§13). */
export const RESTATED: ReadonlySet<string> = new Set(Object.keys(FIXED_BY));

/**
 * An audit finding the plan fixes is the plan's "why" (§11), not a failure of `plan`: it is shown as
 * info, so drift exits 4 with --exit-code and a broken config stays 1. `apply` judges the result again.
 */
function fixedBy(plan: CognitoPlan, f: Finding): boolean {
  const fields = FIXED_BY[f.code];
  if (!fields) return false;
  return plan.items.some((i) => (i.action === 'add' || i.action === 'change') && (fields.includes(i.field) || fields.includes(i.resource)));
}

/**
 * The plan's "why" (§13): the finding as info, naming the resource the plan changes instead of telling
 * the reader to run apply (which may be what is running).
 */
function planWhy(f: Finding, plan: CognitoPlan, ids: ResourceIds, userPoolId: string): Finding {
  const type = f.code === 'aws/no-branding' ? 'cognito-branding' : 'cognito-app-client';
  const resource = resourcesOf(plan.items, ids).find((r) => r.resource.type === type);
  const what = resource ? headingOf(resource, { userPoolId, creatioUrl: '' }) : 'the Cognito half';
  const why = f.message.replace(/: run apply(?: --create-client)?, or [^]*$/, '').replace(/\.$/, '');
  return { ...f, severity: 'info', message: `${why}: the plan changes this (${what}).` };
}

/** The Cognito half: read through the AWS API, audit, plan (preparePlan has made sure it has credentials). */
export async function planCognitoHalf(h: HalfContext): Promise<PlannedHalf> {
  const { inspectCognito, applyCognitoHalf } = await import('../aws/half.js');
  const input = cognitoInputOf(h);
  const inspected = await untilStopped(h.ctx.signal, inspectCognito(input));
  refuseMissingCredentials(h.opts, inspected.findings);
  if (h.opts.createClient === true && inspected.state?.client?.found === true) {
    throw new UsageError(
      `--create-client: the config names the app client ${inspected.state.client.clientId}, which exists. Remove cognito.clientId from the config to create a new one, or leave out --create-client to update this one.`,
    );
  }
  const ids = { clientId: h.clientId };
  const half: Half = { status: inspected.status, ...(inspected.reason ? { reason: inspected.reason } : {}), items: inspected.items, ids };
  const plan: CognitoPlan | undefined = inspected.plan;
  const findings = [
    ...inspected.findings.map((f) => (plan && fixedBy(plan, f) ? planWhy(f, plan, ids, h.resolved.userPoolId) : f)),
    ...(inspected.state ? noDomainWarning(inspected.state, h) : []),
  ];
  const pending = plan?.pending ?? 0;
  if (!plan || pending === 0) return { half, findings, pending };
  return {
    half,
    findings,
    pending,
    apply: async (progress, prior) => {
      const applied = await untilStopped(
        h.ctx.signal,
        applyCognitoHalf(input, plan, { onProgress: progress, ...(prior?.onApplied ? { onApplied: prior.onApplied } : {}) }),
      );
      return {
        half: {
          status: applied.status,
          ...(applied.reason ? { reason: applied.reason } : {}),
          items: applied.items,
          ids: { clientId: applied.createdClient?.clientId ?? h.clientId },
        },
        ok: applied.applied,
        findings: applied.findings,
        ...(applied.createdClient ? { createdClient: applied.createdClient } : {}),
      };
    },
  };
}

/**
 * The Creatio half (src/creatio/half.ts): read the site through its API, plan, and return `apply` like
 * the Cognito half does. Skipped without Creatio credentials; `trust/unpinned-host` (exit 2) when only
 * the file names the site.
 */
export async function planCreatioHalf(h: HalfContext): Promise<PlannedHalf> {
  const { creatioHalfInput, inspectCreatioHalf, applyCreatioHalf, withCreatedClient } = await import('../creatio/half.js');
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

/** The halves in §13's order: Cognito first (a created client's ID is what Creatio then gets). */
export const HALF_PLANNERS = { cognito: planCognitoHalf, creatio: planCreatioHalf } as const;
