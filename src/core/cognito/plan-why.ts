import type { ResolvedConfig } from '../config/checks.js';
import { finding, type Finding } from '../findings.js';
import { headingOf, resourcesOf, type ResourceIds } from '../report/plan-view.js';
import type { CognitoPlan } from './plan.js';
import type { CognitoState } from './state.js';

/** §13: at set-up time a pool without a domain is a warning that names the fix. */
export function noDomainWarning(state: CognitoState, resolved: ResolvedConfig): Finding[] {
  if (state.prefixDomain !== undefined || state.customDomain !== undefined) return [];
  const fix =
    resolved.domain.kind === 'prefix'
      ? `apply creates the prefix domain ${resolved.domain.prefix} (CreateUserPoolDomain)`
      : 'a custom domain needs a certificate: create it';
  return [
    finding(
      'discovery/no-hosted-ui-domain',
      'cognito.domain',
      `The user pool ${resolved.userPoolId} has no hosted UI domain yet: ${fix}, or add one under Cognito → User pools → ${resolved.userPoolId} → Branding → Domain.`,
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
export function fixedBy(plan: CognitoPlan, f: Finding): boolean {
  const fields = FIXED_BY[f.code];
  if (!fields) return false;
  return plan.items.some((i) => (i.action === 'add' || i.action === 'change') && (fields.includes(i.field) || fields.includes(i.resource)));
}

/**
 * The plan's "why" (§13): the finding as info, naming the resource the plan changes instead of telling
 * the reader to run apply (which may be what is running).
 */
export function planWhy(f: Finding, plan: CognitoPlan, ids: ResourceIds, userPoolId: string): Finding {
  const type = f.code === 'aws/no-branding' ? 'cognito-branding' : 'cognito-app-client';
  const resource = resourcesOf(plan.items, ids).find((r) => r.resource.type === type);
  const what = resource ? headingOf(resource, { userPoolId, creatioUrl: '' }) : 'the Cognito half';
  const why = f.message.replace(/: run apply(?: --create-client)?, or [^]*$/, '').replace(/\.$/, '');
  return { ...f, severity: 'info', message: `${why}: the plan changes this (${what}).` };
}
