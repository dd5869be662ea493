import type { HostedUiDomain } from '../core/cognito/identifiers.js';
import {
  judgeDiscoveryAnswer,
  POOL_PATH,
  type Stage,
  type DiscoveryDocument,
  type DiscoveryExpectation,
  type PoolDomain,
} from '../core/cognito/discovery.js';
import { finding, type Finding } from '../core/findings.js';
import { issuerOf } from '../core/urls.js';
import type { HttpClient } from '../net/types.js';
import { NetworkError } from '../net/types.js';

/**
 * Fetch a pool's discovery document and judge it (core/cognito/discovery.ts). The HTTP client makes identical GETs once,
 * so every config sharing a pool shares one request; the judgement against each config's domain is pure.
 */

/** The pool to ask about: a ResolvedConfig fits; without `domain` nothing is compared with a configured domain. */
export interface PoolTarget {
  userPoolId: string;
  region: string;
  domain?: HostedUiDomain;
  /** Set-up time or check time (core/cognito/discovery.ts Stage); default 'check'. */
  stage?: Stage;
}

export interface DiscoveryResult {
  findings: Finding[];
  /** The document's endpoints (canonical hosts), when the answer was a usable document. */
  document?: DiscoveryDocument;
  /** The pool's real hosted UI domain, when the document tells. */
  poolDomain?: PoolDomain;
  /** The request could not be completed (network, timeout, TLS, proxy, too large, "try again later"): exit 3. */
  inconclusive: boolean;
  /** Something answered (an HTTP status), even when the check could not be completed (5xx, 429). */
  answered?: true;
}

export const discoveryUrlOf = (t: PoolTarget): string => `${issuerOf(t.region, t.userPoolId)}/.well-known/openid-configuration`;
export const jwksUrlOf = (t: PoolTarget): string => `${issuerOf(t.region, t.userPoolId)}/.well-known/jwks.json`;

export function expectationOf(t: PoolTarget): DiscoveryExpectation {
  const expected: DiscoveryExpectation = {
    userPoolId: t.userPoolId,
    region: t.region,
    issuer: issuerOf(t.region, t.userPoolId),
    discoveryUrl: discoveryUrlOf(t),
    ...(t.stage ? { stage: t.stage } : {}),
  };
  if (t.domain && !t.domain.host.includes('<')) {
    expected.domainHost = t.domain.host;
    expected.domainKind = t.domain.kind;
  }
  return expected;
}

/** GET the discovery document of the pool and judge it against the target's issuer and domain. */
export async function fetchDiscovery(target: PoolTarget, http: HttpClient): Promise<DiscoveryResult> {
  const expected = expectationOf(target);
  try {
    const answer = await http.request({ method: 'GET', url: expected.discoveryUrl });
    const judged = judgeDiscoveryAnswer(answer, expected);
    return { ...judged, inconclusive: judged.findings.some((f) => f.code === 'discovery/unreachable'), answered: true };
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    return {
      findings: [
        finding('discovery/unreachable', POOL_PATH, `Could not check the discovery document of ${target.userPoolId}. ${e.message}`),
      ],
      inconclusive: true,
    };
  }
}

/** Findings that mean the answer is not this pool's usable document: the JWKS is not worth asking for. */
const POOL_FAILURES = new Set([
  'discovery/unreachable',
  'discovery/pool-not-found',
  'discovery/http-error',
  'discovery/invalid',
  'discovery/issuer-mismatch',
]);

/** Whether the discovery answer was the pool's own document, so its JWKS should be checked too. */
export const poolAnswered = (d: DiscoveryResult): boolean => d.findings.every((f) => !POOL_FAILURES.has(f.code));
