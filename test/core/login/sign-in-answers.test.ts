import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../../src/core/findings.js';
import {
  judgeAuthAnswer,
  passwordPinning,
  readAuthAnswer,
  summarizeClaims,
  tokenInvalidFinding,
  withoutSecrets,
  type AuthAnswer,
  type LoginTarget,
  type TokenCheck,
} from '../../../src/core/login.js';
import { INCONCLUSIVE_CODES } from '../../../src/live/inconclusive.js';
import { answerOfSdkError } from '../../../src/login/admin-initiate-auth.js';
import { secretHash } from '../../../src/login/secret-hash.js';

const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
const SECRET = 's3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t0123';
const PASSWORD = 'Corr3ct-Horse-Battery!';
const POOL = 'eu-west-1_AbCdEf123';
const target = (flow: LoginTarget['flow'] = 'InitiateAuth'): LoginTarget => ({
  flow,
  username: 'alice@example.com',
  userPoolId: POOL,
  clientId: CLIENT_ID,
  secrets: [PASSWORD, SECRET, secretHash('alice@example.com', CLIENT_ID, SECRET)],
});

describe('SECRET_HASH', () => {
  // Computed independently, once, with Python's standard library:
  //   python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(SECRET.encode(),
  //              (USER+CLIENT).encode(), hashlib.sha256).digest()).decode())"
  // with SECRET, CLIENT as above and USER 'alice@example.com', then 'jürgen' (UTF-8).
  it.each([
    ['alice@example.com', 'zwGn922Is0UmqIUKkDkDRNoI30gAbjURJpelazemrlE='],
    ['jürgen', 'SvJq2nevCf5VUprjLro/jtU8dChNI6WaOuu6uKKVI/w='],
  ])('%s', (username, expected) => {
    expect(secretHash(username, CLIENT_ID, SECRET)).toBe(expected);
  });
});

/** Cognito's answers, byte for byte as the JSON 1.1 protocol sends them. */
const err = (type: string, message: string, status = 400) => readAuthAnswer(status, JSON.stringify({ __type: type, message }));

describe('judging sign-in answers (SPEC §14)', () => {
  it.each<[string, AuthAnswer, string, RegExp]>([
    [
      'wrong password',
      err('NotAuthorizedException', 'Incorrect username or password.'),
      'login/bad-credentials',
      /CREATIO_SSO_TEST_PASSWORD/,
    ],
    ['disabled user', err('NotAuthorizedException', 'User is disabled.'), 'login/bad-credentials', /admin-enable-user/],
    ['locked out', err('NotAuthorizedException', 'Password attempts exceeded'), 'login/bad-credentials', /Wait a few minutes/],
    [
      'wrong secret',
      err('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`),
      'login/secret-mismatch',
      /Show client secret/,
    ],
    [
      'no secret given',
      err('NotAuthorizedException', `Client ${CLIENT_ID} is configured for secret but secret was not received`),
      'login/secret-mismatch',
      /cognito\.clientSecret/,
    ],
    [
      'flow off (InitiateAuth)',
      err('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client'),
      'login/flow-not-enabled',
      /ALLOW_USER_PASSWORD_AUTH.*AdminInitiateAuth/,
    ],
    [
      'namespaced type',
      err('com.amazonaws.cognito#UserNotFoundException', 'User does not exist.'),
      'login/user-not-found',
      /admin-create-user/,
    ],
    ['unconfirmed', err('UserNotConfirmedException', 'User is not confirmed.'), 'login/user-not-confirmed', /admin-confirm-sign-up/],
    ['reset required', err('PasswordResetRequiredException', 'Password reset required for the user'), 'login/challenge', /permanent/],
    [
      'new password',
      { kind: 'challenge', challengeName: 'NEW_PASSWORD_REQUIRED' },
      'login/challenge',
      /NEW_PASSWORD_REQUIRED.*--permanent/,
    ],
    ['SMS MFA', { kind: 'challenge', challengeName: 'SMS_MFA' }, 'login/challenge', /SMS_MFA.*without MFA/],
    ['TOTP', { kind: 'challenge', challengeName: 'SOFTWARE_TOKEN_MFA' }, 'login/challenge', /SOFTWARE_TOKEN_MFA.*authenticator/],
    ['unknown challenge', { kind: 'challenge', challengeName: 'WEB_AUTHN' }, 'login/challenge', /WEB_AUTHN.*password alone/],
    ['network', { kind: 'unreachable', reason: 'connect ECONNREFUSED' }, 'login/unreachable', /ECONNREFUSED.*--timeout/],
    ['HTML error page', readAuthAnswer(502, '<html>Bad gateway</html>'), 'login/unreachable', /HTTP 502/],
    ['throttled', err('TooManyRequestsException', 'Rate exceeded'), 'login/unreachable', /Run again/],
    ['internal error', err('InternalErrorException', 'boom', 500), 'login/unreachable', /InternalErrorException/],
    [
      'unknown client',
      err('ResourceNotFoundException', `User pool client ${CLIENT_ID} does not exist.`),
      'login/unexpected',
      /cognito\.clientId/,
    ],
    ['other parameter', err('InvalidParameterException', 'Missing required parameter USERNAME'), 'login/unexpected', /Missing required/],
    ['no ID token', readAuthAnswer(200, '{"AuthenticationResult":{"AccessToken":"x"}}'), 'login/token-invalid', /no ID token/],
    ['200 of nothing', readAuthAnswer(200, '{}'), 'login/unexpected', /UnexpectedAnswer/],
  ])('%s → %s', (_, answer, code, message) => {
    const judged = judgeAuthAnswer(answer, target());
    expect(judged.ok).toBe(false);
    if (judged.ok) return;
    expect(judged.findings.map((f) => f.code)).toEqual([code]);
    expect(judged.findings[0]!.message).toMatch(message);
  });

  it('the AdminInitiateAuth fix names its own flow', () => {
    const judged = judgeAuthAnswer(err('InvalidParameterException', 'Auth flow not enabled for this client'), target('AdminInitiateAuth'));
    expect(judged.ok ? '' : judged.findings[0]!.message).toMatch(/ALLOW_ADMIN_USER_PASSWORD_AUTH/);
  });

  it('a signed-in answer carries the token on, and only then', () => {
    const answer = readAuthAnswer(
      200,
      JSON.stringify({ AuthenticationResult: { IdToken: 'a.b.c', AccessToken: 'x' }, ChallengeParameters: {} }),
    );
    expect(judgeAuthAnswer(answer, target())).toEqual({ ok: true, idToken: 'a.b.c' });
  });

  it('inconclusive answers are the exit-3 codes, and every login code is in the catalogue', () => {
    for (const code of ['login/challenge', 'login/unreachable'] as const) expect(INCONCLUSIVE_CODES.has(code)).toBe(true);
    for (const code of ['login/bad-credentials', 'login/token-invalid', 'login/unexpected', 'trust/unpinned-host'] as const) {
      expect(INCONCLUSIVE_CODES.has(code)).toBe(false);
      expect(FINDING_CODES[code].severity).toBe('error');
    }
  });

  it('text quoted from an answer never carries the password, the secret or the SECRET_HASH', () => {
    const hash = secretHash('alice@example.com', CLIENT_ID, SECRET);
    for (const message of [`bad ${PASSWORD}`, `Unable to verify secret hash ${hash} for ${SECRET}`, `flow not enabled ${PASSWORD}`]) {
      for (const type of ['NotAuthorizedException', 'InvalidParameterException', 'WeirdException']) {
        const judged = judgeAuthAnswer(err(type, message), target());
        const text = JSON.stringify(judged);
        for (const s of [PASSWORD, SECRET, hash]) expect(text).not.toContain(s);
      }
    }
    const challenge = judgeAuthAnswer({ kind: 'challenge', challengeName: PASSWORD }, target());
    expect(JSON.stringify(challenge)).not.toContain(PASSWORD);
  });

  it('any answer body gives an answer, and any answer a judgement without secrets (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, body) => {
        const answer = readAuthAnswer(status, body.replaceAll('PW', PASSWORD));
        const judged = judgeAuthAnswer(answer, target());
        if (!judged.ok) {
          expect(judged.findings).toHaveLength(1);
          expect(judged.findings[0]!.message).not.toContain(PASSWORD);
        }
      }),
    );
  });
});

describe('withoutSecrets', () => {
  it.each([
    ['x abc y abc', ['abc'], 'x *** y ***'],
    ['abcdef', ['abc', 'abcdef'], '***'],
    ['nothing', [''], 'nothing'],
  ])('%s', (text, secrets, out) => expect(withoutSecrets(text, secrets)).toBe(out));
});

describe('token checks name the check that failed', () => {
  it.each<[TokenCheck, RegExp]>([
    ['signature', /check signature.*not signed by the pool's key/],
    ['kid', /check kid/],
    ['iss', /check iss.*cognito\.userPoolId/],
    ['aud', /check aud.*cognito\.clientId/],
    ['token_use', /check token_use/],
    ['exp', /check exp.*clock/],
    ['alg', /check alg \(RS256\)/],
  ])('%s', (check, message) => {
    const f = tokenInvalidFinding({ check, detail: `detail with ${PASSWORD}` }, [PASSWORD]);
    expect(f.code).toBe('login/token-invalid');
    expect(f.message).toMatch(message);
    expect(f.message).not.toContain(PASSWORD);
  });
});

describe('claims summary', () => {
  it('lists the claims Creatio uses, the missing ones and each JIT mapping', () => {
    const summary = summarizeClaims(
      {
        sub: 'u-1',
        email: 'a@example.com',
        email_verified: true,
        name: 'Alice',
        locale: 'en-US',
        'cognito:username': 'alice',
        aud: CLIENT_ID,
        phone_number: '',
        given_name: { nested: 1 },
      },
      { phone_number: 'Contact:MobilePhone', locale: 'SysAdminUnit:SysCulture', 'custom:dept': 'Contact:Department' },
    );
    expect(summary).toEqual({
      claims: { sub: 'u-1', email: 'a@example.com', email_verified: true, name: 'Alice', locale: 'en-US', phone_number: '' },
      missing: ['given_name', 'family_name', 'zoneinfo'],
      mappings: [
        { claim: 'phone_number', target: 'Contact:MobilePhone', present: false },
        { claim: 'locale', target: 'SysAdminUnit:SysCulture', present: true },
        { claim: 'custom:dept', target: 'Contact:Department', present: false },
      ],
    });
  });

  it('a token without claims and a config without mappings', () => {
    expect(summarizeClaims({})).toEqual({
      claims: {},
      missing: ['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'phone_number', 'locale', 'zoneinfo'],
      mappings: [],
    });
  });
});

describe('the test password follows its source (SPEC §10)', () => {
  const pool = { value: POOL, from: 'CREATIO_SSO_USER_POOL_ID' };
  const client = { value: CLIENT_ID, from: '--client-id' };
  const base = { userPoolId: POOL, clientId: CLIENT_ID };
  it.each([
    ['InitiateAuth, pool and client pinned', { flow: 'InitiateAuth', pinnedUserPoolId: pool, pinnedClientId: client }, undefined],
    ['AdminInitiateAuth, pool pinned', { flow: 'AdminInitiateAuth', pinnedUserPoolId: pool }, undefined],
    [
      'InitiateAuth, nothing pinned',
      { flow: 'InitiateAuth' },
      /names the pool eu-west-1_AbCdEf123 and the app client 1h57kf5cpq17m0eml12eqe3alr,.* Set CREATIO_SSO_USER_POOL_ID \(or --user-pool-id\) and CREATIO_SSO_CLIENT_ID \(or --client-id\)/,
    ],
    [
      'InitiateAuth, pool only',
      { flow: 'InitiateAuth', pinnedUserPoolId: pool },
      /names the app client 1h57\w+, .*Set CREATIO_SSO_CLIENT_ID \(or --client-id\) to/,
    ],
    [
      'InitiateAuth, client only',
      { flow: 'InitiateAuth', pinnedClientId: client },
      /Set CREATIO_SSO_USER_POOL_ID \(or --user-pool-id\) to/,
    ],
    ['AdminInitiateAuth, nothing pinned', { flow: 'AdminInitiateAuth', pinnedClientId: client }, /Set CREATIO_SSO_USER_POOL_ID/],
    [
      'a pin that differs from the request',
      { flow: 'AdminInitiateAuth', pinnedUserPoolId: { value: 'eu-west-1_Other1234', from: '--user-pool-id' } },
      /--user-pool-id names eu-west-1_Other1234, but the request would name eu-west-1_AbCdEf123/,
    ],
  ] as const)('%s', (_, pins, refusal) => {
    const verdict = passwordPinning({ ...base, ...pins });
    if (!refusal) return expect(verdict).toEqual({ ok: true });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.finding.code).toBe('trust/unpinned-host');
    expect(verdict.finding.path).toBe(
      pins.flow === 'InitiateAuth' && 'pinnedUserPoolId' in pins ? 'cognito.clientId' : 'cognito.userPoolId',
    );
    expect(verdict.finding.path).toBe(
      pins.flow === 'InitiateAuth' && 'pinnedUserPoolId' in pins ? 'cognito.clientId' : 'cognito.userPoolId',
    );
    expect(verdict.finding.message).toMatch(refusal);
  });
});

describe('AdminInitiateAuth failures as answers', () => {
  it.each<[string, unknown, AuthAnswer]>([
    [
      'a service exception',
      Object.assign(new Error('Incorrect username or password.'), {
        name: 'NotAuthorizedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
      { kind: 'error', type: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 },
    ],
    [
      'a bare 503',
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 503 } }),
      { kind: 'unreachable', reason: 'AWS answered HTTP 503' },
    ],
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      { kind: 'error', type: 'CredentialsProviderError', message: 'no AWS credentials could be loaded' },
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      { kind: 'unreachable', reason: 'the AWS API did not answer (Error: connect ECONNREFUSED 127.0.0.1:9)' },
    ],
  ])('%s', (_, e, answer) => expect(answerOfSdkError(e)).toEqual(answer));
});
