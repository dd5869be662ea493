import { POOL_PATH } from '../core/cognito/discovery.js';
import { finding, type Finding } from '../core/findings.js';
import { judgeJwksAnswer } from '../core/cognito/jwks.js';
import type { HttpClient } from '../net/types.js';
import { NetworkError } from '../net/types.js';
import { jwksUrlOf, type PoolTarget } from './discovery.js';

export interface JwksResult {
  findings: Finding[];
  /** The request could not be completed: exit 3. */
  inconclusive: boolean;
}

/**
 * GET the pool's JWKS and judge it. The URL is derived from the expected issuer (Cognito's jwks_uri is
 * always `<issuer>/.well-known/jwks.json`), so a document can never send the tool to another host.
 */
export async function fetchJwks(target: PoolTarget, http: HttpClient): Promise<JwksResult> {
  const url = jwksUrlOf(target);
  try {
    const answer = await http.request({ method: 'GET', url });
    const findings = judgeJwksAnswer(answer, url);
    return { findings, inconclusive: findings.some((f) => f.code === 'jwks/unreachable') };
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    return {
      findings: [finding('jwks/unreachable', POOL_PATH, `Could not check the signing keys of ${target.userPoolId}. ${e.message}`)],
      inconclusive: true,
    };
  }
}
