import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoClient } from '../../src/aws/client.js';
import { initiateAuthRequest } from '../../src/login/initiate-auth.js';
import { runLoginProof, type LoginProofInput, type LoginProofResult } from '../../src/login/proof.js';
import { secretHash } from '../../src/login/secret-hash.js';
import { createHttpClient } from '../../src/net/http.js';
import type { HttpClient } from '../../src/net/types.js';
import { closedPort } from '../support/net.js';

/**
 * The answers moto cannot give (it checks neither SECRET_HASH for password flows nor the client's allowed
 * flows), and ID tokens that must fail verification: a loopback stand-in for the cognito-idp host that
 * answers InitiateAuth as Cognito does and serves a JWKS of a key this test holds.
 */

const REGION = 'eu-west-1';
const POOL = 'eu-west-1_AbCdEf123';
const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
const SECRET = 'Sw0rdfishSw0rdfishSw0rdfishSw0rdfishSw0rdfish12345a';
const PASSWORD = 'Pa55word-for-the-proof!';
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const NOW = Date.UTC(2026, 10, 28, 9, 0, 0);

type Answer = { status: number; body: unknown };
let answer: () => Promise<Answer> | Answer;
let lastBody: unknown;
let lastHeaders: IncomingMessage['headers'];
let server: Server;
let baseUrl: string;
let poolKey: CryptoKey;
let otherKey: CryptoKey;
let poolJwk: JWK;
const issued: string[] = [];
const seen: LoginProofResult[] = [];
const clients: HttpClient[] = [];

beforeAll(async () => {
  ({ privateKey: poolKey } = await generateKeyPair('RS256', { extractable: true }).then(async (k) => {
    poolJwk = { ...(await exportJWK(k.publicKey)), kid: 'pool-key-1', alg: 'RS256', use: 'sig' };
    return k;
  }));
  ({ privateKey: otherKey } = await generateKeyPair('RS256'));
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      void (async () => {
        if (req.method === 'GET' && req.url === `/${POOL}/.well-known/jwks.json`) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [poolJwk] }));
          return;
        }
        if (req.method !== 'POST' || req.url !== '/') return void res.writeHead(404).end();
        lastHeaders = req.headers;
        lastBody = JSON.parse(raw);
        const a = await answer();
        const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
        res.writeHead(a.status, { 'content-type': 'application/x-amz-json-1.1' }).end(body);
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await new Promise((r) => server.close(r));
});

function input(over: Partial<LoginProofInput> = {}): LoginProofInput {
  return {
    flow: 'InitiateAuth',
    region: REGION,
    userPoolId: POOL,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    username: 'alice',
    password: PASSWORD,
    pinnedUserPoolId: { value: POOL, from: 'CREATIO_SSO_USER_POOL_ID' },
    pinnedClientId: { value: CLIENT_ID, from: 'CREATIO_SSO_CLIENT_ID' },
    ...over,
  };
}

async function prove(a: () => Promise<Answer> | Answer, idpUrl = baseUrl): Promise<LoginProofResult> {
  answer = a;
  const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: idpUrl }, timeoutMs: 3000 });
  clients.push(http);
  const result = await runLoginProof(input(), { http, now: () => NOW });
  seen.push(result);
  return result;
}

const cognitoError = (type: string, message: string): Answer => ({ status: 400, body: { __type: type, message } });

/** An ID token as Cognito issues one, with `change` applied, signed by `key` under `kid`. */
async function idToken(change: Record<string, unknown> = {}, key: CryptoKey = poolKey, kid = 'pool-key-1', alg = 'RS256'): Promise<Answer> {
  const claims = {
    sub: '8f2c1a4e-0000-4000-8000-000000000001',
    aud: CLIENT_ID,
    iss: ISSUER,
    token_use: 'id',
    email: 'alice@example.com',
    email_verified: true,
    'cognito:username': 'alice',
    iat: NOW / 1000 - 60,
    exp: NOW / 1000 + 3600,
    ...change,
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(key);
  issued.push(token);
  return {
    status: 200,
    body: { AuthenticationResult: { IdToken: token, AccessToken: token, RefreshToken: 'r', ExpiresIn: 3600, TokenType: 'Bearer' } },
  };
}

describe('Cognito answers moto does not give', () => {
  it('"Unable to verify secret hash" is login/secret-mismatch; the request carried the right SECRET_HASH', async () => {
    const result = await prove(() => cognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`));
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.code)).toEqual(['login/secret-mismatch']);
    expect(result.findings[0]!.path).toBe('cognito.clientSecret');
    expect(lastHeaders['x-amz-target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(lastHeaders['content-type']).toBe('application/x-amz-json-1.1');
    expect(lastBody).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { USERNAME: 'alice', PASSWORD, SECRET_HASH: secretHash('alice', CLIENT_ID, SECRET) },
    });
  });

  it('"USER_PASSWORD_AUTH flow not enabled for this client" is login/flow-not-enabled, with both fixes', async () => {
    const result = await prove(() => cognitoError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client'));
    expect(result.findings.map((f) => f.code)).toEqual(['login/flow-not-enabled']);
    expect(result.findings[0]!.message).toMatch(/ALLOW_USER_PASSWORD_AUTH/);
    expect(result.findings[0]!.message).toMatch(/AdminInitiateAuth/);
  });

  it('an SMS_MFA challenge is inconclusive and named', async () => {
    const result = await prove(() => ({ status: 200, body: { ChallengeName: 'SMS_MFA', Session: 's', ChallengeParameters: {} } }));
    expect(result.status).toBe('inconclusive');
    expect(result.findings[0]!.message).toMatch(/SMS_MFA/);
  });

  it('a host that refuses connections is login/unreachable (inconclusive)', async () => {
    const result = await prove(() => cognitoError('x', 'never asked'), `http://127.0.0.1:${await closedPort()}`);
    expect(result.status).toBe('inconclusive');
    expect(result.findings.map((f) => f.code)).toEqual(['login/unreachable']);
  });

  it('an HTML error page is login/unreachable', async () => {
    const result = await prove(() => ({ status: 503, body: '<html><body>Service Unavailable</body></html>' }));
    expect(result.findings.map((f) => f.code)).toEqual(['login/unreachable']);
  });
});

describe('AdminInitiateAuth through the SDK', () => {
  it('an endpoint that refuses connections is login/unreachable (inconclusive)', async () => {
    const env = {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${await closedPort()}`,
    };
    const cognito = await cognitoClient({ env, region: REGION, timeoutMs: 3000 });
    const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: baseUrl }, timeoutMs: 3000 });
    clients.push(http);
    const result = await runLoginProof(input({ flow: 'AdminInitiateAuth' }), { http, cognito: async () => cognito });
    cognito.destroy();
    seen.push(result);
    expect(result.status).toBe('inconclusive');
    expect(result.findings.map((f) => f.code)).toEqual(['login/unreachable']);
  });
});

describe('ID token verification', () => {
  it('a token of the pool’s key, issuer and client passes, with its claims', async () => {
    const result = await prove(() => idToken());
    expect(result.findings).toEqual([]);
    expect(result.login?.claims).toEqual({ sub: '8f2c1a4e-0000-4000-8000-000000000001', email: 'alice@example.com', email_verified: true });
  });

  it.each<[string, () => Promise<Answer>, RegExp]>([
    ['signed by another key', () => idToken({}, otherKey), /check signature/],
    ['signed by a key the set does not hold', () => idToken({}, otherKey, 'stranger'), /check kid.*"stranger"/],
    ['expired', () => idToken({ exp: NOW / 1000 - 10 }), /check exp.*expired at 2026-11-28T08:59:50\.000Z/],
    ['for another app client', () => idToken({ aud: 'someoneelsesclient0000000' }), /check aud.*someoneelsesclient/],
    [
      'from another pool',
      () => idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1234' }),
      /check iss.*Other1234/,
    ],
    ['an access token', () => idToken({ token_use: 'access' }), /check token_use.*"access"/],
    ['without exp', () => idToken({ exp: undefined }), /check exp/],
    ['not a JWT', async () => ({ status: 200, body: { AuthenticationResult: { IdToken: 'not-a-jwt' } } }), /check format/],
  ])('%s → login/token-invalid', async (_, make, message) => {
    const result = await prove(make);
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.code)).toEqual(['login/token-invalid']);
    expect(result.findings[0]!.message).toMatch(message);
  });

  it('an HS256 token made with the public key as its secret fails on alg', async () => {
    const hmacKey = new TextEncoder().encode(JSON.stringify(poolJwk));
    const token = await new SignJWT({ aud: CLIENT_ID, iss: ISSUER, token_use: 'id', exp: NOW / 1000 + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: 'pool-key-1' })
      .sign(hmacKey);
    issued.push(token);
    const result = await prove(() => ({ status: 200, body: { AuthenticationResult: { IdToken: token } } }));
    expect(result.findings[0]!.message).toMatch(/check alg.*"HS256"/);
  });
});

describe('the HTTP layer', () => {
  it('refuses a request marked as carrying the test password anywhere but the cognito-idp API root', async () => {
    const http = createHttpClient({ env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: baseUrl }, timeoutMs: 3000 });
    clients.push(http);
    const req = initiateAuthRequest({ region: REGION, clientId: CLIENT_ID, username: 'alice', password: PASSWORD });
    await expect(http.request({ ...req, url: `${ISSUER}/.well-known/jwks.json` })).rejects.toThrow(/Not sending the test user's password/);
    await expect(http.request({ ...req, url: 'https://evil.example.com/' })).rejects.toThrow(/Not sending the test user's password/);
  });
});

it('no finding, message or summary of any case holds the password, the secret, the SECRET_HASH or a token', () => {
  expect(seen.length).toBeGreaterThanOrEqual(15);
  const text = JSON.stringify(seen);
  for (const s of [PASSWORD, SECRET, secretHash('alice', CLIENT_ID, SECRET), ...issued]) expect(text).not.toContain(s);
  for (const t of issued) for (const part of t.split('.')) expect(text).not.toContain(part);
});
