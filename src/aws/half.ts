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
