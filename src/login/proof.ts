import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Finding } from '../core/findings.js';
import {
  judgeAuthAnswer,
  passwordPinning,
  summarizeClaims,
  tokenInvalidFinding,
  type AuthAnswer,
  type LoginFlow,
  type LoginSummary,
  type PinnedValue,
} from '../core/login.js';
import { isInconclusive } from '../live/inconclusive.js';
import type { HttpClient } from '../net/types.js';
import { adminInitiateAuth, type AdminInitiateAuthInput } from './admin-initiate-auth.js';
import { initiateAuth } from './initiate-auth.js';
import { secretHash } from './secret-hash.js';
import { fetchPoolJwks, issuerOfPool, verifyIdToken } from './verify.js';

/**
 * The whole login proof of SPEC §14 in one call, for `doctor --login`: the pinning rule (§10), the sign-in
 * (InitiateAuth over the HTTP layer, or AdminInitiateAuth through the SDK), the judgement of the answer,
 * the JWKS fetch and the token verification, and the claims summary. The token stays inside this function.
 */

export interface LoginProofInput extends AdminInitiateAuthInput {
  flow: LoginFlow;
  /** The config's `jit.claims` (claim → Creatio field). */
  jitClaims?: Readonly<Record<string, string>>;
  /** What the environment or flags pin (settings.pinned): absent when only the file names it. */
  pinnedUserPoolId?: PinnedValue;
  pinnedClientId?: PinnedValue;
}

export interface LoginProofDeps {
  /** The run's HTTP client: InitiateAuth and the JWKS. */
  http: HttpClient;
  /** The Cognito SDK client, for flow AdminInitiateAuth. */
  cognito?: () => Promise<CognitoIdentityProviderClient>;
  /** Milliseconds since the epoch, for `exp`. */
  now?: () => number;
}

export interface LoginProofResult {
  /**
   * pass: signed in, token verified; fail: a finding explains why (exit 1); inconclusive: exit 3;
   * refused: the password was not sent (`trust/unpinned-host`, exit 2).
   */
  status: 'pass' | 'fail' | 'inconclusive' | 'refused';
  findings: Finding[];
  /** doctor's `"login"` JSON member, when the token was verified. */
  login?: LoginSummary;
}

export async function runLoginProof(input: LoginProofInput, deps: LoginProofDeps): Promise<LoginProofResult> {
  const pin = passwordPinning(input);
  if (!pin.ok) return { status: 'refused', findings: [pin.finding] };

  const secrets = [
    input.password,
    ...(input.clientSecret ? [input.clientSecret, secretHash(input.username, input.clientId, input.clientSecret)] : []),
  ];
  const target = { flow: input.flow, username: input.username, userPoolId: input.userPoolId, clientId: input.clientId, secrets };

  let answer: AuthAnswer;
  if (input.flow === 'InitiateAuth') {
    answer = await initiateAuth(deps.http, input);
  } else {
    if (!deps.cognito) throw new Error('runLoginProof: AdminInitiateAuth needs deps.cognito');
    answer = await adminInitiateAuth(await deps.cognito(), input);
  }
  const judged = judgeAuthAnswer(answer, target);
  if (!judged.ok) return { status: statusOf(judged.findings), findings: judged.findings };

  const jwks = await fetchPoolJwks(deps.http, input);
  if (!jwks.ok) return { status: statusOf([jwks.finding]), findings: [jwks.finding] };
  const verified = await verifyIdToken({
    idToken: judged.idToken,
    jwks: jwks.jwks,
    issuer: issuerOfPool(input),
    clientId: input.clientId,
    ...(deps.now ? { now: deps.now } : {}),
  });
  if (!verified.ok) return { status: 'fail', findings: [tokenInvalidFinding(verified.failure, secrets)] };
  return { status: 'pass', findings: [], login: summarizeClaims(verified.claims, input.jitClaims) };
}

const statusOf = (findings: Finding[]): LoginProofResult['status'] => (findings.every(isInconclusive) ? 'inconclusive' : 'fail');
