import type { PoolHostedDomain } from '../core/cognito/discovery.js';
import type { Finding } from '../core/findings.js';
import type { Context } from '../cli/context.js';
import { httpClientFor } from '../net/http.js';
import type { HttpClient } from '../net/types.js';
import { fetchDiscovery } from './discovery.js';
import { fetchJwks } from './jwks.js';

/** What the wizard learns about a pool from its discovery document. */
export type PoolLookup =
  /** The pool has a hosted UI domain: `host` is the host of its authorization endpoint. */
  | ({ status: 'found'; findings?: Finding[] } & PoolHostedDomain)
  /** `message` is the set-up time warning discovery/no-hosted-ui-domain, which names the fix. */
  | { status: 'no-domain'; message: string; findings?: Finding[] }
  | { status: 'not-found'; message: string }
  /**
   * Cognito could not be asked (network, timeout), or `answered` with something other than the pool's
   * discovery document (HTTP 500, an HTML page): the wizard may go on offline.
   */
  | { status: 'unreachable'; message: string; answered?: boolean };

export interface LookupOptions {
  /** Share a client with other checks; it is then not closed here. */
  http?: HttpClient;
}

/**
 * Ask Cognito (or CREATIO_SSO_COGNITO_IDP_URL) for the pool's discovery document and read its domain,
 * then for its JWKS: the same discovery and JWKS checks as `generate` (set-up time), so `init` refuses
 * what `generate` would refuse. `findings` holds the other §8 findings of both (scopes, code flow, end session, keys); an unreachable JWKS is 'unreachable'.
 * Shows no spinner itself: the wizard shows one around the call. Throws UsageError (exit 2) only when an
 * override variable is unusable; every network trouble is an answer ('unreachable').
 */
export async function lookupPool(userPoolId: string, region: string, ctx: Context, options: LookupOptions = {}): Promise<PoolLookup> {
  const http = options.http ?? httpClientFor(ctx);
  try {
    const d = await fetchDiscovery({ userPoolId, region, stage: 'setup' }, http);
    const first = (code: string) => d.findings.find((f) => f.code === code);
    const notFound = first('discovery/pool-not-found');
    if (notFound) return { status: 'not-found', message: notFound.message };
    const failed =
      first('discovery/unreachable') ?? first('discovery/http-error') ?? first('discovery/invalid') ?? first('discovery/issuer-mismatch');
    if (failed) return { status: 'unreachable', message: failed.message, ...(d.answered ? { answered: true } : {}) };
    if (d.poolDomain === undefined) {
      const why = d.findings[0]?.message ?? 'The discovery document does not name an authorization endpoint.';
      return { status: 'unreachable', message: why, answered: true };
    }
    const jwks = await fetchJwks({ userPoolId, region }, http);
    const jwksUnreachable = jwks.findings.find((f) => f.code === 'jwks/unreachable');
    if (jwksUnreachable) return { status: 'unreachable', message: jwksUnreachable.message };
    const findings = [...d.findings.filter((f) => f.code !== 'discovery/no-hosted-ui-domain'), ...jwks.findings];
    if (d.poolDomain.kind === 'none') {
      return {
        status: 'no-domain',
        message: first('discovery/no-hosted-ui-domain')?.message ?? `The user pool ${userPoolId} has no hosted UI domain.`,
        findings,
      };
    }
    return { status: 'found', ...d.poolDomain, findings };
  } finally {
    if (!options.http) await http.close();
  }
}
