import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { isObject } from '../core/cognito/discovery.js';
import { finding, type Finding } from '../core/findings.js';
import { clipValue } from '../core/text.js';
import { LOGIN_PATH, tokenInvalidFinding, type TokenFailure } from '../core/login.js';
import { issuerOf } from '../core/urls.js';
import { jwksUrlOf } from '../live/discovery.js';
import { NetworkError, type HttpClient } from '../net/types.js';

/**
 * Verifying the ID token of the login proof (SPEC §14) with jose, against the JWKS the tool fetched itself
 * through its HTTP layer (never jose's own remote fetch, which would bypass the overrides, the proxy
 * settings and the limits). The token is never printed, written or put into a finding.
 */

export interface VerifyIdTokenInput {
  idToken: string;
  /** The pool's JWKS as fetched (`{"keys":[…]}`). */
  jwks: unknown;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the canonical issuer, never an override. */
  issuer: string;
  /** The app client ID: the token's `aud`. */
  clientId: string;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
}

export type VerifyResult = { ok: true; claims: Record<string, unknown> } | { ok: false; failure: TokenFailure };

/** Signature (RS256, `kid` in the set), `iss`, `aud`, `token_use` = `id`, `exp` in the future. */
export async function verifyIdToken(input: VerifyIdTokenInput): Promise<VerifyResult> {
  const fail = (check: TokenFailure['check'], detail: string): VerifyResult => ({ ok: false, failure: { check, detail } });
  const { jwks } = input;
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) return fail('jwks', 'the key set is not {"keys":[…]}');
  let keySet: ReturnType<typeof createLocalJWKSet>;
  try {
    keySet = createLocalJWKSet(jwks as unknown as JSONWebKeySet);
  } catch (e) {
    return fail('jwks', `the key set cannot be used (${messageOf(e)})`);
  }

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(input.idToken);
  } catch {
    return fail('format', 'the answer is not a signed JWT');
  }
  if (header.alg !== 'RS256') return fail('alg', `the token is signed with ${shown(header.alg)}, not RS256`);
  const kids = jwks.keys.filter(isObject).map((k) => k.kid);
  if (typeof header.kid !== 'string') return fail('kid', 'the token names no key (no kid in its header)');
  if (!kids.includes(header.kid)) return fail('kid', `the token names key ${shown(header.kid)}, which the pool's key set does not hold`);

  const now = input.now ?? Date.now;
  try {
    const { payload } = await jwtVerify(input.idToken, keySet, {
      algorithms: ['RS256'],
      issuer: input.issuer,
      audience: input.clientId,
      currentDate: new Date(now()),
      requiredClaims: ['iss', 'aud', 'exp'],
    });
    if (payload.token_use !== 'id') return fail('token_use', `token_use is ${shown(payload.token_use)}, not "id"`);
    return { ok: true, claims: payload as Record<string, unknown> };
  } catch (e) {
    return { ok: false, failure: failureOf(e, input, now()) };
  }
}

function failureOf(e: unknown, input: VerifyIdTokenInput, nowMs: number): TokenFailure {
  if (e instanceof errors.JWTExpired) {
    const exp = typeof e.payload.exp === 'number' ? new Date(e.payload.exp * 1000).toISOString() : 'an unknown time';
    return { check: 'exp', detail: `the token expired at ${exp}; the clock here says ${new Date(nowMs).toISOString()}` };
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    const value = e.payload[e.claim];
    if (e.claim === 'iss') return { check: 'iss', detail: `iss is ${shown(value)}, expected "${input.issuer}"` };
    if (e.claim === 'aud') return { check: 'aud', detail: `aud is ${shown(value)}, expected "${input.clientId}"` };
    if (e.claim === 'exp') return { check: 'exp', detail: `exp is ${e.reason === 'missing' ? 'missing' : shown(value)}` };
    return { check: 'exp', detail: `${e.claim}: ${e.message}` };
  }
  if (e instanceof errors.JWSSignatureVerificationFailed)
    return { check: 'signature', detail: "the signature does not match the pool's key" };
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) return { check: 'kid', detail: e.message };
  if (e instanceof errors.JOSEAlgNotAllowed) return { check: 'alg', detail: e.message };
  if (e instanceof errors.JOSENotSupported) return { check: 'jwks', detail: e.message };
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return { check: 'format', detail: e.message };
  return { check: 'format', detail: messageOf(e) };
}

export type JwksFetch = { ok: true; jwks: unknown } | { ok: false; finding: Finding };

/** GET the pool's JWKS through the HTTP layer (a doctor run's own JWKS check shares the one request). */
export async function fetchPoolJwks(http: HttpClient, pool: { region: string; userPoolId: string }): Promise<JwksFetch> {
  const url = jwksUrlOf(pool);
  try {
    const res = await http.request({ method: 'GET', url });
    if (res.status !== 200)
      return { ok: false, finding: tokenInvalidFinding({ check: 'jwks', detail: `${url} answered HTTP ${res.status}` }) };
    try {
      return { ok: true, jwks: JSON.parse(res.body) as unknown };
    } catch {
      return { ok: false, finding: tokenInvalidFinding({ check: 'jwks', detail: `${url} answered something that is not JSON` }) };
    }
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    return {
      ok: false,
      finding: finding(
        'login/unreachable',
        LOGIN_PATH,
        `Could not fetch the signing keys of ${pool.userPoolId} to verify the test sign-in. ${e.message}`,
      ),
    };
  }
}

export const issuerOfPool = (pool: { region: string; userPoolId: string }): string => issuerOf(pool.region, pool.userPoolId);

/** A value from the token's header or payload, for a message: JSON, clipped (claims such as iss are not secrets). */
function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v) ?? String(v);
  return clipValue(s, 120);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
