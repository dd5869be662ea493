import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginFlow } from '../../src/core/login.js';
import { cognitoClient } from '../../src/aws/client.js';
import { adminInitiateAuth } from '../../src/login/admin-initiate-auth.js';
import { initiateAuth } from '../../src/login/initiate-auth.js';
import { runLoginProof, type LoginProofInput, type LoginProofResult } from '../../src/login/proof.js';
import { secretHash } from '../../src/login/secret-hash.js';
import { fetchPoolJwks, issuerOfPool, verifyIdToken } from '../../src/login/verify.js';
import { createHttpClient } from '../../src/net/http.js';
import type { HttpClient, HttpRequest } from '../../src/net/types.js';
import {
  addConfirmedUser,
  alice,
  ALICE_READABLE,
  createTestPool,
  type MotoServer,
  startMoto,
  type TestPool,
} from '../support/moto-login.js';

/**
 * The login proof against moto: real pool IDs and issuers, ID tokens signed with moto's own key and
 * verified against the JWKS moto serves, InitiateAuth over the tool's HTTP layer (CREATIO_SSO_COGNITO_IDP_URL)
 * and AdminInitiateAuth through the SDK (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).
 */

const REGION = 'eu-west-1';
const SECRET = 'LoginProofClientSecret0123456789abcdefghijklmnop';
const PASSWORD = 'Tr0ub4dor&3-proof';
const ALICE = alice(PASSWORD);
// Every claim Creatio uses is readable but zoneinfo: the summary must say it is missing.
const READABLE = ALICE_READABLE;

let moto: MotoServer;
let env: NodeJS.ProcessEnv;
let cognito: CognitoIdentityProviderClient;
let pool: TestPool;
const http: HttpClient[] = [];
/** Everything the tests saw come back: no password, secret, SECRET_HASH or token may appear in it. */
const seen: LoginProofResult[] = [];

beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  moto = await startMoto();
  env = moto.env(REGION);
  cognito = await cognitoClient({ env, region: REGION, timeoutMs: 5000 });
  pool = await createTestPool(cognito, { clientSecret: SECRET, readAttributes: READABLE, users: [ALICE] });
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  // A user with a temporary password (FORCE_CHANGE_PASSWORD) and one who signed up but never confirmed.
  await cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: pool.userPoolId,
      Username: 'newbie',
      TemporaryPassword: PASSWORD,
      MessageAction: 'SUPPRESS',
    }),
  );
  await cognito.send(
    new sdk.SignUpCommand({
      ClientId: pool.clientId,
      Username: 'pending',
      Password: PASSWORD,
      SecretHash: secretHash('pending', pool.clientId, SECRET),
      UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }],
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const h of http) await h.close();
  cognito?.destroy();
  await moto?.close();
});

function httpClient(): HttpClient {
  const h = createHttpClient({ env, timeoutMs: 5000 });
  http.push(h);
  return h;
}

function input(flow: LoginFlow, over: Partial<LoginProofInput> = {}): LoginProofInput {
  return {
    flow,
    region: REGION,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    clientSecret: SECRET,
    username: 'alice',
    password: PASSWORD,
    jitClaims: { phone_number: 'Contact:MobilePhone', zoneinfo: 'SysAdminUnit:TimeZone' },
    pinnedUserPoolId: { value: pool.userPoolId, from: 'CREATIO_SSO_USER_POOL_ID' },
    pinnedClientId: { value: pool.clientId, from: 'CREATIO_SSO_CLIENT_ID' },
    ...over,
  };
}

async function prove(flow: LoginFlow, over: Partial<LoginProofInput> = {}, h = httpClient()): Promise<LoginProofResult> {
  const result = await runLoginProof(input(flow, over), { http: h, cognito: async () => cognito });
  seen.push(result);
  return result;
}

describe.each<LoginFlow>(['InitiateAuth', 'AdminInitiateAuth'])('%s against moto', (flow) => {
  it('a good user signs in; the token verifies against moto’s JWKS; the claims Creatio uses are listed', async () => {
    const result = await prove(flow);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(result.login?.claims).toEqual({
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'alice@example.com',
      email_verified: 'true', // moto keeps the attribute's string; Cognito sends a boolean
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      phone_number: '+15555550100',
      locale: 'en-US',
    });
    expect(result.login?.missing).toEqual(['zoneinfo']);
    expect(result.login?.mappings).toEqual([
      { claim: 'phone_number', target: 'Contact:MobilePhone', present: true },
      { claim: 'zoneinfo', target: 'SysAdminUnit:TimeZone', present: false },
    ]);
  });

  it('a wrong password is login/bad-credentials', async () => {
    const result = await prove(flow, { password: 'not-the-password-1A!' });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.code)).toEqual(['login/bad-credentials']);
  });

  it('an unknown user is login/user-not-found', async () => {
    const result = await prove(flow, { username: 'mallory' });
    expect(result.findings.map((f) => f.code)).toEqual(['login/user-not-found']);
  });

  it('a temporary password is the NEW_PASSWORD_REQUIRED challenge: inconclusive, named', async () => {
    const result = await prove(flow, { username: 'newbie' });
    expect(result.status).toBe('inconclusive');
    expect(result.findings.map((f) => f.code)).toEqual(['login/challenge']);
    expect(result.findings[0]!.message).toMatch(/NEW_PASSWORD_REQUIRED/);
  });
});

describe('InitiateAuth against moto', () => {
  it('an unconfirmed user is login/user-not-confirmed', async () => {
    const result = await prove('InitiateAuth', { username: 'pending' });
    expect(result.findings.map((f) => f.code)).toEqual(['login/user-not-confirmed']);
  });

  it('the password goes nowhere while only the file names the client: trust/unpinned-host', async () => {
    const sent: HttpRequest[] = [];
    const real = httpClient();
    const counting: HttpClient = { request: (req) => (sent.push(req), real.request(req)), close: () => real.close() };
    const result = await prove('InitiateAuth', { pinnedClientId: undefined }, counting);
    expect(result.status).toBe('refused');
    expect(result.findings.map((f) => f.code)).toEqual(['trust/unpinned-host']);
    expect(result.findings[0]!.message).toMatch(/CREATIO_SSO_CLIENT_ID/);
    expect(sent).toEqual([]);
  });

  it('the request goes to the override with the exact headers and body of SPEC §14', async () => {
    const h = httpClient();
    const sent: HttpRequest[] = [];
    const answer = await initiateAuth(
      { request: (req) => (sent.push(req), h.request(req)), close: () => h.close() },
      { region: REGION, clientId: pool.clientId, clientSecret: SECRET, username: 'alice', password: PASSWORD },
    );
    expect(answer.kind).toBe('signed-in');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: `https://cognito-idp.${REGION}.amazonaws.com/`,
      credential: { kind: 'test-password', allowedHosts: [`cognito-idp.${REGION}.amazonaws.com`] },
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Type': 'application/x-amz-json-1.1' },
    });
    expect(JSON.parse(sent[0]!.body!)).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: pool.clientId,
      AuthParameters: { USERNAME: 'alice', PASSWORD, SECRET_HASH: secretHash('alice', pool.clientId, SECRET) },
    });
  });
});

describe('AdminInitiateAuth against moto', () => {
  it('needs only the pool pinned', async () => {
    const result = await prove('AdminInitiateAuth', { pinnedClientId: undefined });
    expect(result.status).toBe('pass');
  });

  it('an app client moto does not know is login/unexpected, naming the client', async () => {
    const result = await prove('AdminInitiateAuth', { clientId: 'nosuchclient0000000000000', pinnedClientId: undefined });
    expect(result.findings.map((f) => f.code)).toEqual(['login/unexpected']);
    expect(result.findings[0]!.message).toMatch(/nosuchclient/);
  });

  it("moto's token verified by hand: right issuer and audience pass, another audience fails on aud", async () => {
    await addConfirmedUser(cognito, pool.userPoolId, { username: 'bob', password: PASSWORD, attributes: { email: 'bob@example.com' } });
    const answer = await adminInitiateAuth(cognito, {
      region: REGION,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      clientSecret: SECRET,
      username: 'bob',
      password: PASSWORD,
    });
    if (answer.kind !== 'signed-in') throw new Error(`not signed in: ${answer.kind}`);
    const jwks = await fetchPoolJwks(httpClient(), { region: REGION, userPoolId: pool.userPoolId });
    if (!jwks.ok) throw new Error(jwks.finding.message);
    const base = { idToken: answer.idToken, jwks: jwks.jwks, issuer: issuerOfPool({ region: REGION, userPoolId: pool.userPoolId }) };
    const good = await verifyIdToken({ ...base, clientId: pool.clientId });
    expect(good.ok && good.claims.email).toBe('bob@example.com');
    const other = await verifyIdToken({ ...base, clientId: 'anotherclient' });
    expect(other.ok ? 'ok' : other.failure.check).toBe('aud');
    const late = await verifyIdToken({ ...base, clientId: pool.clientId, now: () => Date.now() + 2 * 3600_000 });
    expect(late.ok ? 'ok' : late.failure.check).toBe('exp');
  });
});

// Last in the file: the sweep over everything the proof returned above.
it('no finding, message or summary of any case holds the password, the secret, the SECRET_HASH or a token', () => {
  expect(seen.length).toBeGreaterThanOrEqual(12);
  const text = JSON.stringify(seen);
  for (const s of [PASSWORD, SECRET, secretHash('alice', pool.clientId, SECRET)]) expect(text).not.toContain(s);
  expect(text).not.toMatch(/eyJ[\w-]{10,}/);
});
