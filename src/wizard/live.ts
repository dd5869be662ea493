import type { HostedUiDomain } from '../core/cognito.js';
import { finding, type Finding } from '../core/findings.js';
import type { PoolLookup } from '../live/lookup.js';

/** How `init` reads the live lookup's answer (lookupPool), shared by the wizard and the non-interactive path. */
export type LookupFn = (userPoolId: string, region: string) => Promise<PoolLookup>;

export type FoundPool = Extract<PoolLookup, { status: 'found' }>;

/** The domain to propose: what a user would type for the host the pool really uses. */
export const proposedDomain = (l: FoundPool): string => l.prefix ?? l.host;

export const addDomainHint = (userPoolId: string): string =>
  `Add a domain in the AWS console (Amazon Cognito → User pools → ${userPoolId} → Branding → Domain; older consoles: App integration → Domain): Creatio signs users in on that domain, so it cannot work without one.`;

/**
 * `discovery/domain-mismatch` when `domain` is not the host the pool's discovery document shows, as
 * the live checks judge it: an error, except for a prefix domain when the document shows a custom
 * one, because a pool may have both and the document then shows only the custom domain (a warning).
 */
export function domainMismatch(lookup: PoolLookup | undefined, domain: HostedUiDomain): Finding | undefined {
  if (lookup?.status !== 'found' || lookup.host.toLowerCase() === domain.host.toLowerCase()) return undefined;
  if (lookup.kind === 'custom' && domain.kind === 'prefix') {
    return finding(
      'discovery/domain-mismatch',
      'cognito.domain',
      `The pool's discovery document shows its custom domain ${lookup.host}, not the prefix domain ${domain.host}. A pool can have both, and the document then shows only the custom one: if ${domain.prefix} is listed in Cognito → Branding → Domain this is fine (creatio-sso doctor confirms it answers); otherwise use ${lookup.host}.`,
      'warning',
    );
  }
  return finding(
    'discovery/domain-mismatch',
    'cognito.domain',
    `The user pool's hosted UI domain is ${lookup.host} (from its discovery document), not ${domain.host}: use ${proposedDomain(lookup)}.`,
  );
}
