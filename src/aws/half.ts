/**
 * The Cognito half of `doctor`, `plan` and `apply` in one call each, for the commands: build the client,
 * read, judge (audit + plan), and for `apply` execute and read again. Every input is explicit.
 */
import type { AwsAuditInput } from '../core/cognito/audit.js';
import type { CognitoPlan, CognitoPlanInput, PlanItem } from '../core/cognito/plan.js';
import type { CognitoState } from '../core/cognito/state.js';
import type { Finding } from '../core/findings.js';
import type { AwsClientOptions } from './client.js';
import type { CognitoApplyDeps, CreatedClient } from './apply.js';
import { untilStopped } from '../cli/stop.js';
import { UsageError } from '../cli/errors.js';
import { fixedBy, noDomainWarning, planWhy } from '../core/cognito/plan-why.js';
import { awsAskedBy, type AwsSettings } from '../settings/aws.js';
import type { Half, HalfContext, PlannedHalf } from '../plan/half.js';

export type CognitoHalfInput = AwsClientOptions &
  CognitoPlanInput &
  AwsAuditInput & {
    /** The configured secret (resolved), compared in constant time; never stored or returned. */
    clientSecret?: string;
  };

/** §9's half: `checked` with the audit findings and the plan, or `stopped` by the finding that ended the read. */
export interface CognitoHalf {
  status: 'checked' | 'stopped';
  reason?: string;
  items: PlanItem[];
  findings: Finding[];
  state?: CognitoState;
  plan?: CognitoPlan;
}

/** Read and judge: the audit's findings (doctor) and the plan (plan). */
export async function inspectCognito(input: CognitoHalfInput): Promise<CognitoHalf> {
  const [{ cognitoClient }, { readCognito }, { auditCognito }, { planCognito }] = await Promise.all([
    import('./client.js'),
    import('./read.js'),
    import('../core/cognito/audit.js'),
    import('../core/cognito/plan.js'),
  ]);
  const client = await cognitoClient(input);
  try {
    const read = await readCognito(client, {
      userPoolId: input.userPoolId,
      ...(input.clientId !== undefined ? { clientId: input.clientId } : {}),
      ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret } : {}),
    });
    if (!read.ok) return { status: 'stopped', reason: read.finding.message, items: [], findings: [read.finding] };
    const plan = planCognito(input, read.state);
    const audit = auditCognito({ ...input, now: input.now ?? new Date().toISOString() }, read.state);
    const findings = [...audit, ...plan.findings.filter((f) => !audit.some((a) => a.code === f.code))];
    return { status: 'checked', items: plan.items, findings, state: read.state, plan };
  } finally {
    client.destroy();
  }
}

export interface CognitoApplied extends CognitoHalf {
  /** Whether every planned change was made. */
  applied: boolean;
  createdClient?: CreatedClient;
  /** The half read and judged again after the changes (doctor's view of the result). */
  after?: CognitoHalf;
}

/** Execute a plan from `inspectCognito`, then inspect again (with the new client when one was created). */
export async function applyCognitoHalf(
  input: CognitoHalfInput,
  plan: CognitoPlan,
  deps: Omit<CognitoApplyDeps, 'client'> = {},
): Promise<CognitoApplied> {
  const [{ cognitoClient }, { applyCognito }] = await Promise.all([import('./client.js'), import('./apply.js')]);
  const client = await cognitoClient(input);
  let result;
  try {
    result = await applyCognito(plan, { ...deps, client });
  } finally {
    client.destroy();
  }
  const base = { items: result.items, ...(result.createdClient ? { createdClient: result.createdClient } : {}) };
  if (!result.ok) {
    return { ...base, status: 'stopped', reason: result.failure!.message, findings: [result.failure!], applied: false, plan };
  }
  const again: CognitoHalfInput = result.createdClient
    ? { ...input, clientId: result.createdClient.clientId, clientSecret: result.createdClient.clientSecret, createClient: false }
    : input;
  const after = await inspectCognito(again);
  return { ...base, status: 'checked', findings: after.findings, applied: true, plan, after };
}

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
    ...(h.settings.aws.profile !== undefined ? { profile: h.settings.aws.profile } : {}),
    timeoutMs: h.ctx.timeoutMs,
    signal: h.ctx.signal,
    ...(h.ctx.awsClients ? { shared: h.ctx.awsClients } : {}),
    ...testRetryScale(h.ctx.env),
    explicit: h.settings.aws.explicit,
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
export function refuseMissingCredentials(aws: AwsSettings, findings: readonly Finding[]): void {
  const missing = findings.find((f) => f.code === 'aws/credentials');
  if (missing && aws.asked) {
    const flag = awsAskedBy(aws);
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

/** The Cognito half: read through the AWS API, audit, plan (preparePlan has made sure it has credentials). */
export async function planCognitoHalf(h: HalfContext): Promise<PlannedHalf> {
  const input = cognitoInputOf(h);
  const inspected = await untilStopped(h.ctx.signal, inspectCognito(input));
  refuseMissingCredentials(h.settings.aws, inspected.findings);
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
    ...(inspected.state ? noDomainWarning(inspected.state, h.resolved) : []),
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
