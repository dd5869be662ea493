import { errorMessageOf, isObject, parseJsonAnswer, POOL_PATH, saysTryAgainLater, type Answer } from './discovery.js';
import { finding, type Finding } from '../findings.js';
import { clipValue } from '../text.js';

/**
 * Judging a fetched JSON Web Key Set. Cognito publishes `{"keys":[…]}` with two RSA keys (alg RS256,
 * use sig, kid a 44-character base64 string). Pure.
 * Creatio verifies the RS256 signature of ID tokens with these keys.
 */

/** Members that only a private (or symmetric) key has: a JWKS that publishes them leaks the key. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function judgeJwksAnswer(answer: Answer, jwksUrl: string): Finding[] {
  if (answer.status !== 200) {
    const message = errorMessageOf(answer.body);
    if (saysTryAgainLater(answer.status)) {
      return [
        finding(
          'jwks/unreachable',
          POOL_PATH,
          `The JWKS URL ${answer.sentTo ?? jwksUrl} answered HTTP ${answer.status}${message ? `: "${message.slice(0, 120)}"` : ''}, which means "try again later": the signing keys could not be checked. Run again later.`,
        ),
      ];
    }
    return [
      finding(
        'jwks/invalid',
        POOL_PATH,
        `The JWKS URL ${jwksUrl} answered HTTP ${answer.status}${message ? `: "${message.slice(0, 120)}"` : ''} instead of the pool's keys. Check cognito.userPoolId, and any proxy or override in between.`,
      ),
    ];
  }
  const json = parseJsonAnswer(answer);
  if (!json.ok)
    return [
      finding(
        'jwks/invalid',
        POOL_PATH,
        `The JWKS URL ${jwksUrl} answered ${json.why}, not {"keys":[…]}. Check that no proxy or override in between replaces Cognito's answer.`,
      ),
    ];
  return judgeJwks(json.value, jwksUrl);
}

export function judgeJwks(json: unknown, jwksUrl: string): Finding[] {
  if (!isObject(json) || !Array.isArray(json.keys)) {
    return [
      finding(
        'jwks/invalid',
        POOL_PATH,
        `The JWKS at ${jwksUrl} is not {"keys":[…]}. Check that no proxy or override in between replaces Cognito's answer.`,
      ),
    ];
  }
  const keys = json.keys;
  const findings: Finding[] = [];
  const leaking = keys.filter((k) => isObject(k) && PRIVATE_MEMBERS.some((m) => m in k)) as Record<string, unknown>[];
  if (leaking.length) {
    const named = leaking.map((k) => (typeof k.kid === 'string' ? `kid ${k.kid}` : `key #${keys.indexOf(k) + 1}`));
    const members = [...new Set(leaking.flatMap((k) => PRIVATE_MEMBERS.filter((m) => m in k)))];
    findings.push(
      finding(
        'jwks/private-key',
        POOL_PATH,
        `The JWKS at ${jwksUrl} publishes private key material (${listSome(members)}) in ${listSome(named)}. A key set must hold public keys only: whoever serves it can sign tokens for this pool. Report it to the provider, and check any override or proxy in between.`,
      ),
    );
  }
  if (!keys.some(isRs256SigningKey)) {
    const seen = keys.filter(isObject).map((k) => [k.kty, k.alg, k.use].filter((x) => typeof x === 'string').join('/') || '?');
    findings.push(
      finding(
        'jwks/no-signing-key',
        POOL_PATH,
        `The JWKS at ${jwksUrl} has no RSA key for RS256 signatures (${keys.length ? `it has ${listSome(seen)}` : 'it has no keys'}), so Creatio could not verify ID tokens. Check that it is the pool's key set.`,
      ),
    );
  }
  return findings;
}

/** An RSA public key a verifier may use for RS256 signatures. */
export function isRs256SigningKey(k: unknown): boolean {
  if (!isObject(k)) return false;
  return (
    k.kty === 'RSA' &&
    (k.alg === undefined || k.alg === 'RS256') &&
    (k.use === undefined || k.use === 'sig') &&
    typeof k.n === 'string' &&
    k.n !== '' &&
    typeof k.e === 'string' &&
    k.e !== ''
  );
}

/** A list from the network kept short (§10): at most five items of at most 60 characters, then "and N more". */
function listSome(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).map((i) => clipValue(i, 60));
  return items.length > max ? `${shown.join(', ')} and ${(items.length - max).toLocaleString('en-US')} more` : shown.join(', ');
}
