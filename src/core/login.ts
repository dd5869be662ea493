import { isObject } from './cognito/discovery.js';
import { finding, type Finding } from './findings.js';
import { clipValue, maskSecrets } from './text.js';

/**
 * The login proof of SPEC §14 (`doctor --login <user>`), pure: which answers of Cognito's sign-in API
 * mean what, the claims summary of a verified ID token, and the rule of §10 that decides whether the
 * test password may be sent at all. The readers in src/login/ do the I/O and hand their raw answers here.
 *
 * Nothing here ever puts a password, a secret, a SECRET_HASH or a token into a message: text quoted from
 * Cognito passes through `withoutSecrets` first.
 */

/** `InitiateAuth` (USER_PASSWORD_AUTH, no AWS credentials) or `AdminInitiateAuth` (ADMIN_USER_PASSWORD_AUTH, AWS credentials). */
export type LoginFlow = 'InitiateAuth' | 'AdminInitiateAuth';

export const LOGIN_PATH = 'login';
const CLIENT_ID_PATH = 'cognito.clientId';
const CLIENT_SECRET_PATH = 'cognito.clientSecret';

export const TEST_PASSWORD_ENV = 'CREATIO_SSO_TEST_PASSWORD';

/** What a sign-in request came back with, as the readers (HTTP or SDK) hand it over. */
export type AuthAnswer =
  /** `AuthenticationResult` with an ID token. The token never leaves the login modules. */
  | { kind: 'signed-in'; idToken: string }
  /** `AuthenticationResult` without an ID token. */
  | { kind: 'no-id-token' }
  /** `ChallengeName`: Cognito wants another step. */
  | { kind: 'challenge'; challengeName: string }
  /** A Cognito error: `__type` (without any `namespace#` prefix) and `message`. */
  | { kind: 'error'; type: string; message: string; status?: number }
  /** No answer at all (network, timeout, TLS, proxy), or an answer that is not Cognito's (5xx, HTML). */
  | { kind: 'unreachable'; reason: string };

/** Read an HTTP answer of `InitiateAuth` (JSON 1.1 protocol) into an AuthAnswer. */
export function readAuthAnswer(status: number, body: string): AuthAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!isObject(json)) {
    const what = body.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    return { kind: 'unreachable', reason: `Cognito answered HTTP ${status} with ${what}` };
  }
  if (status === 200) {
    if (typeof json.ChallengeName === 'string') return { kind: 'challenge', challengeName: json.ChallengeName };
    const result = json.AuthenticationResult;
    if (isObject(result)) {
      return typeof result.IdToken === 'string' && result.IdToken !== ''
        ? { kind: 'signed-in', idToken: result.IdToken }
        : { kind: 'no-id-token' };
    }
    return { kind: 'error', type: 'UnexpectedAnswer', message: 'HTTP 200 without AuthenticationResult or ChallengeName', status };
  }
  const rawType = typeof json.__type === 'string' ? json.__type : typeof json.code === 'string' ? json.code : '';
  const message = typeof json.message === 'string' ? json.message : typeof json.Message === 'string' ? json.Message : '';
  if (status >= 500 && !rawType) return { kind: 'unreachable', reason: `Cognito answered HTTP ${status}` };
  return { kind: 'error', type: errorTypeName(rawType) || `HTTP ${status}`, message, status };
}

/** `com.amazonaws.cognito#NotAuthorizedException` and `NotAuthorizedException:…` both mean `NotAuthorizedException`. */
export const errorTypeName = (raw: string): string => raw.replace(/^.*#/, '').replace(/:.*$/, '');

/** What the judge needs besides the answer: names for messages, and the values no message may contain. */
export interface LoginTarget {
  flow: LoginFlow;
  username: string;
  userPoolId: string;
  clientId: string;
  /** The password, the client secret, the SECRET_HASH: removed from any text quoted from an answer. */
  secrets: readonly string[];
}

export type AuthJudgement = { ok: true; idToken: string } | { ok: false; findings: Finding[] };

/** Judge a sign-in answer (SPEC §14 "Answers"). Only a signed-in answer carries the token on, never into a finding. */
export function judgeAuthAnswer(answer: AuthAnswer, target: LoginTarget): AuthJudgement {
  const fail = (...findings: Finding[]): AuthJudgement => ({ ok: false, findings });
  const who = `the test user ${userName(target)}`;
  const via = `${target.flow} on app client ${target.clientId} of ${target.userPoolId}`;
  switch (answer.kind) {
    case 'signed-in':
      return { ok: true, idToken: answer.idToken };
    case 'no-id-token':
      return fail(
        finding(
          'login/token-invalid',
          LOGIN_PATH,
          `${via} signed ${who} in but returned no ID token, so there is nothing Creatio could verify. Check that the app client is a Cognito user pool client and run again.`,
        ),
      );
    case 'challenge':
      return fail(finding('login/challenge', LOGIN_PATH, challengeMessage(answer.challengeName, who, via, target.secrets)));
    case 'unreachable':
      return fail(
        finding(
          'login/unreachable',
          LOGIN_PATH,
          `Could not complete the sign-in of ${who} (${via}): ${withoutSecrets(answer.reason, target.secrets)}. Check the network, the proxy (HTTPS_PROXY) and --timeout, then run again.`,
        ),
      );
    case 'error':
      return fail(errorFinding(answer, target, who, via));
  }
}

function errorFinding(answer: Extract<AuthAnswer, { kind: 'error' }>, target: LoginTarget, who: string, via: string): Finding {
  const type = errorTypeName(answer.type);
  const said = quoted(answer.message, target.secrets);
  const flowFix =
    target.flow === 'InitiateAuth'
      ? 'allow ALLOW_USER_PASSWORD_AUTH on the app client for the test (Cognito → App clients → Authentication flows; remove it afterwards), or run with AWS credentials so the proof uses AdminInitiateAuth instead'
      : 'allow ALLOW_ADMIN_USER_PASSWORD_AUTH on the app client (Cognito → App clients → Authentication flows), or run without AWS credentials so the proof uses InitiateAuth with ALLOW_USER_PASSWORD_AUTH';
  switch (type) {
    case 'NotAuthorizedException':
      if (/secret hash|secret_hash/i.test(answer.message)) {
        return finding(
          'login/secret-mismatch',
          CLIENT_SECRET_PATH,
          `Cognito could not verify the SECRET_HASH for app client ${target.clientId}${said}: the configured client secret is not this client's. Copy the secret again from Cognito → App clients → Show client secret and store it where cognito.clientSecret points.`,
        );
      }
      if (/configured (with|for) secret|secret was not received/i.test(answer.message)) {
        return finding(
          'login/secret-mismatch',
          CLIENT_SECRET_PATH,
          `App client ${target.clientId} has a client secret, but none was given${said}. Set cognito.clientSecret to a reference such as \${env:COGNITO_CLIENT_SECRET} and export that variable.`,
        );
      }
      if (/disabled/i.test(answer.message)) {
        return finding(
          'login/bad-credentials',
          LOGIN_PATH,
          `Cognito refused ${who}: the user is disabled${said}. Enable the user (aws cognito-idp admin-enable-user) or use another test user.`,
        );
      }
      if (/attempts exceeded/i.test(answer.message)) {
        return finding(
          'login/bad-credentials',
          LOGIN_PATH,
          `Cognito refused ${who}: too many failed attempts${said}. Wait a few minutes, check ${TEST_PASSWORD_ENV}, then run again.`,
        );
      }
      return finding(
        'login/bad-credentials',
        LOGIN_PATH,
        `Cognito refused ${who} (${via})${said}. Check the user name and the password in ${TEST_PASSWORD_ENV} (or --password-stdin); a pool that hides unknown users gives this answer for a missing user too. Set a known password with aws cognito-idp admin-set-user-password --permanent.`,
      );
    case 'InvalidParameterException':
      if (/flow.*not enabled|not enabled.*flow/i.test(answer.message)) {
        return finding(
          'login/flow-not-enabled',
          CLIENT_ID_PATH,
          `App client ${target.clientId} does not allow the password sign-in the proof uses${said}. To run the proof, ${flowFix}.`,
        );
      }
      return unexpected(type, said, via);
    case 'UserNotFoundException':
      return finding(
        'login/user-not-found',
        LOGIN_PATH,
        `Pool ${target.userPoolId} has no user ${userName(target)}${said}. Check the name given to --login, or create the test user (aws cognito-idp admin-create-user, then admin-set-user-password --permanent).`,
      );
    case 'UserNotConfirmedException':
      return finding(
        'login/user-not-confirmed',
        LOGIN_PATH,
        `${capitalized(who)} exists but is not confirmed${said}. Confirm it (aws cognito-idp admin-confirm-sign-up, or the console → Users → Confirm account) and run again.`,
      );
    case 'PasswordResetRequiredException':
      return finding('login/challenge', LOGIN_PATH, challengeMessage('PASSWORD_RESET_REQUIRED', who, via, target.secrets));
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'InternalErrorException':
    case 'ServiceUnavailable':
    case 'ThrottlingException':
      return finding(
        'login/unreachable',
        LOGIN_PATH,
        `Cognito could not complete the sign-in of ${who} (${via}): ${type}${said}. Run again in a minute.`,
      );
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return finding(
        'login/unexpected',
        LOGIN_PATH,
        `AWS refused the AdminInitiateAuth call: ${type}${said}. The AWS credentials need the IAM action cognito-idp:AdminInitiateAuth on ${target.userPoolId}; or run without AWS credentials to use InitiateAuth.`,
      );
    case 'CredentialsProviderError':
      return finding(
        'login/unexpected',
        LOGIN_PATH,
        `AdminInitiateAuth needs AWS credentials, and none could be loaded${said}. Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run without AWS credentials to use InitiateAuth.`,
      );
    case 'ResourceNotFoundException':
      return finding(
        'login/unexpected',
        CLIENT_ID_PATH,
        `Cognito does not know app client ${target.clientId} or pool ${target.userPoolId}${said}. Check cognito.clientId and cognito.userPoolId (and the region).`,
      );
    default:
      if (answer.status !== undefined && answer.status >= 500) {
        return finding(
          'login/unreachable',
          LOGIN_PATH,
          `Cognito could not complete the sign-in of ${who} (${via}): ${type}${said}. Run again later.`,
        );
      }
      return unexpected(type, said, via);
  }
}

const unexpected = (type: string, said: string, via: string): Finding =>
  finding(
    'login/unexpected',
    LOGIN_PATH,
    `${via} answered ${type}${said}, which the login proof does not explain. Check the app client and the test user.`,
  );

const CHALLENGE_FIXES: Record<string, string> = {
  NEW_PASSWORD_REQUIRED:
    'the user still has a temporary password: set a permanent one with aws cognito-idp admin-set-user-password --permanent',
  PASSWORD_RESET_REQUIRED: 'the user must reset the password: set a new one with aws cognito-idp admin-set-user-password --permanent',
  SMS_MFA: 'the user has SMS MFA: use a test user without MFA (the pool must allow optional MFA)',
  SMS_OTP: 'the user has SMS MFA: use a test user without MFA (the pool must allow optional MFA)',
  SOFTWARE_TOKEN_MFA: 'the user has an authenticator app (TOTP): use a test user without MFA (the pool must allow optional MFA)',
  EMAIL_OTP: 'the user has e-mail MFA: use a test user without MFA (the pool must allow optional MFA)',
  MFA_SETUP: 'the pool requires MFA and the user has none set up: use a pool or user where MFA is optional',
  SELECT_MFA_TYPE: 'the user has several MFA methods: use a test user without MFA',
  CUSTOM_CHALLENGE: 'a Lambda trigger asks a custom challenge: use a test user the trigger lets through',
  DEVICE_SRP_AUTH: 'the pool remembers devices and asks for one: use a test user without remembered devices',
};

function challengeMessage(name: string, who: string, via: string, secrets: readonly string[]): string {
  const shown = clipValue(withoutSecrets(name, secrets), 60);
  const fix = CHALLENGE_FIXES[name] ?? 'the proof answers no challenges: use a test user that signs in with the password alone';
  return `${via} answered ${capitalized(who)} with the challenge ${shown}, which the proof cannot answer, so the sign-in could not be completed: ${fix}.`;
}

/** `: "<Cognito's message>"` with every secret removed and the length clipped, or nothing. */
function quoted(message: string, secrets: readonly string[]): string {
  const clean = clipValue(withoutSecrets(message, secrets).trim(), 200);
  return clean ? ` ("${clean}")` : '';
}

/** Replace every occurrence of any of `secrets` (longest first, empty ones ignored) with `***`. */
export const withoutSecrets = (text: string, secrets: readonly string[]): string => maskSecrets(text, secrets, '***');

const userName = (t: LoginTarget): string => `"${clipValue(withoutSecrets(t.username, t.secrets), 80)}"`;
const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/* ----------------------------------------------------------------------------------------------------- */
/* ID token checks: which one failed, as a finding (src/login/verify.ts runs them).                      */

/** The checks of SPEC §14, in the order they run. `jwks`: the key set itself is unusable; `format`: not a JWT. */
export type TokenCheck = 'format' | 'jwks' | 'kid' | 'alg' | 'signature' | 'iss' | 'aud' | 'token_use' | 'exp';

export interface TokenFailure {
  check: TokenCheck;
  /** What was found instead; never the token. */
  detail: string;
}

const CHECK_NAMES: Record<TokenCheck, string> = {
  format: 'format (a signed JWT)',
  jwks: "the pool's key set",
  kid: 'kid (the signing key is in the pool’s key set)',
  alg: 'alg (RS256)',
  signature: 'signature',
  iss: 'iss (the pool’s issuer)',
  aud: 'aud (the app client ID)',
  token_use: 'token_use (id)',
  exp: 'exp (not expired)',
};

const CHECK_FIXES: Record<TokenCheck, string> = {
  format: 'Check that nothing between this machine and Cognito (proxy, override) rewrites the answer.',
  jwks: "Check that the pool's JWKS (see the jwks/* findings) is served unaltered.",
  kid: "The token was signed by a key the pool does not publish: check that the answer comes from the pool's own Cognito endpoint.",
  alg: 'Cognito signs ID tokens with RS256 only: check that the answer comes from Cognito.',
  signature: "The token was not signed by the pool's key: check that the answer comes from the pool's own Cognito endpoint.",
  iss: 'Another pool issued the token: check cognito.userPoolId and the region.',
  aud: 'The token is for another app client: check cognito.clientId.',
  token_use: 'Creatio needs an ID token: check that the answer comes from Cognito.',
  exp: 'Check the clock of this machine (and the app client’s ID token validity).',
};

export function tokenInvalidFinding(failure: TokenFailure, secrets: readonly string[] = []): Finding {
  return finding(
    'login/token-invalid',
    LOGIN_PATH,
    `The ID token of the test sign-in fails the check ${CHECK_NAMES[failure.check]}: ${clipValue(withoutSecrets(failure.detail, secrets), 200)}. ${CHECK_FIXES[failure.check]}`,
  );
}

/* ----------------------------------------------------------------------------------------------------- */
/* The claims summary: what Creatio would read from this user's ID token.                                */

/** The claims Creatio uses (SPEC §14): users are matched by `sub`; the rest feed JIT provisioning. */
export const CREATIO_CLAIMS = [
  'sub',
  'email',
  'email_verified',
  'name',
  'given_name',
  'family_name',
  'phone_number',
  'locale',
  'zoneinfo',
] as const;
export type CreatioClaim = (typeof CREATIO_CLAIMS)[number];

export interface ClaimMappingCheck {
  claim: string;
  /** `Contact:<Column>` or `SysAdminUnit:<Column>`. */
  target: string;
  present: boolean;
}

/** `doctor --format json`'s `"login"` member (SPEC §9): claims, never a token. */
export interface LoginSummary {
  /** The claims Creatio uses that the token carries, with their values (strings, numbers, booleans). */
  claims: Partial<Record<CreatioClaim, string | number | boolean>>;
  /** The claims Creatio uses that the token lacks. */
  missing: CreatioClaim[];
  /** Each `jit.claims` mapping, and whether the token carries its claim. */
  mappings: ClaimMappingCheck[];
}

/** Summarize verified claims. `jitClaims` is the config's `jit.claims` (claim → Creatio field). */
export function summarizeClaims(verified: Record<string, unknown>, jitClaims: Readonly<Record<string, string>> = {}): LoginSummary {
  const claims: LoginSummary['claims'] = {};
  const missing: CreatioClaim[] = [];
  for (const name of CREATIO_CLAIMS) {
    const v = verified[name];
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) claims[name] = v;
    else missing.push(name);
  }
  const mappings = Object.entries(jitClaims).map(([claim, target]) => ({
    claim,
    target,
    present: Object.hasOwn(verified, claim) && verified[claim] !== null && verified[claim] !== undefined && verified[claim] !== '',
  }));
  return { claims, missing, mappings };
}

/* ----------------------------------------------------------------------------------------------------- */
/* SPEC §10 "Credentials follow their source": may the test password be sent?                            */

/** A value given outside the config file: its value and where from (`--user-pool-id`, `CREATIO_SSO_USER_POOL_ID`). */
export interface PinnedValue {
  value: string;
  from: string;
}

export interface PinningInput {
  flow: LoginFlow;
  /** The pool and client the request would name (after precedence). */
  userPoolId: string;
  clientId: string;
  /** What the environment or flags pin; absent when only the file names the value. */
  pinnedUserPoolId?: PinnedValue;
  pinnedClientId?: PinnedValue;
}

export const POOL_PIN = { env: 'CREATIO_SSO_USER_POOL_ID', flag: '--user-pool-id' } as const;
export const CLIENT_PIN = { env: 'CREATIO_SSO_CLIENT_ID', flag: '--client-id' } as const;

/**
 * The password goes only to a pool the environment or flags pin, and for InitiateAuth (which finds the pool
 * from the client) to a pinned client too: a pool's owner can read passwords through a migration trigger, and
 * a config file is untrusted input. `trust/unpinned-host` is a usage failure (exit 2) that names what to set.
 */
export function passwordPinning(input: PinningInput): { ok: true } | { ok: false; finding: Finding } {
  const unpinned: Array<{ what: string; set: string; path: string }> = [];
  const differs: string[] = [];
  const check = (what: string, used: string, pin: PinnedValue | undefined, names: { env: string; flag: string }, path: string) => {
    if (!pin) unpinned.push({ what: `${what} ${used}`, set: `${names.env} (or ${names.flag})`, path });
    else if (pin.value !== used) differs.push(`${pin.from} names ${pin.value}, but the request would name ${used}`);
  };
  check('pool', input.userPoolId, input.pinnedUserPoolId, POOL_PIN, 'cognito.userPoolId');
  if (input.flow === 'InitiateAuth') check('app client', input.clientId, input.pinnedClientId, CLIENT_PIN, CLIENT_ID_PATH);
  if (!unpinned.length && !differs.length) return { ok: true };
  const why =
    input.flow === 'InitiateAuth'
      ? 'InitiateAuth finds the pool from the app client, and the owner of a pool can read passwords through a migration trigger'
      : "a pool's owner can read passwords through a migration trigger";
  const parts: string[] = ['Not sending the test password:'];
  if (unpinned.length) {
    parts.push(
      `only the config file names the ${unpinned.map((u) => u.what).join(' and the ')}, and ${why}. Set ${unpinned.map((u) => u.set).join(' and ')} to the value you trust.`,
    );
  }
  if (differs.length) parts.push(`${differs.join('; ')}.`);
  return { ok: false, finding: finding('trust/unpinned-host', unpinned[0]?.path ?? 'cognito.userPoolId', parts.join(' ')) };
}
