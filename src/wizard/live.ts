import type { HostedUiDomain } from '../core/cognito/identifiers.js';
import { domainPage } from '../core/cognito/console.js';
import { domainMismatchFinding } from '../core/cognito/discovery.js';
import type { Finding } from '../core/findings.js';
import type { PoolLookup } from '../live/lookup.js';

/** How `init` reads the live lookup's answer (lookupPool), shared by the wizard and the non-interactive path. */
export type LookupFn = (userPoolId: string, region: string) => Promise<PoolLookup>;

export type FoundPool = Extract<PoolLookup, { status: 'found' }>;

/** The domain to propose: what a user would type for the host the pool really uses. */
export const proposedDomain = (l: FoundPool): string => (l.kind === 'prefix' ? l.prefix : l.host);

export const addDomainHint = (userPoolId: string): string =>
  `Creatio signs users in on the pool's domain, so it cannot work without one: \`npx creatio-sso apply\` creates the prefix domain you type below, or add it in the AWS console (${domainPage(userPoolId)} → Branding → Domain).`;

/**
 * `discovery/domain-mismatch` when `domain` is not the host the pool's discovery document shows, as
 * the live checks judge it: an error, except for a prefix domain when the document shows a custom
 * one, because a pool may have both and the document then shows only the custom domain (a warning).
 */
export function domainMismatch(lookup: PoolLookup | undefined, domain: HostedUiDomain): Finding | undefined {
  if (lookup?.status !== 'found' || lookup.host.toLowerCase() === domain.host.toLowerCase()) return undefined;
  return domainMismatchFinding(domain.host, lookup, 'answer');
}
