import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cognitoClient } from '../../src/aws/client.js';
import { secretHash } from '../../src/login/secret-hash.js';
import { EXAMPLE_YAML, runCli, tempDir, type CliResult } from '../support/cli.js';
import { discoveryDocument, hostedUiPool, type FakeHostedUi } from '../support/fake-hosted-ui.js';
import { alice, ALICE_READABLE, createTestPool, type MotoServer, startMoto, type TestPool } from '../support/moto-login.js';

/**
 * `doctor --login <user>` end to end (SPEC §14, in-process through main): the CLI against moto for the sign-in,
 * the ID token and its JWKS; a loopback hosted UI for doctor's probes; and in front of moto a loopback
 * "cognito-idp" router that serves the discovery document moto lacks, logs every request (what was sent, and
 * what was not), and answers InitiateAuth as Cognito does where moto cannot (SECRET_HASH, allowed flows, MFA).
 */

const REGION = 'eu-west-1';
const SECRET = 'DoctorLoginClientSecret0123456789abcdefghijklmn';
const PASSWORD = 'Tr0ub4dor&3-doctor';
const DOMAIN_HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';
const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const ALICE = alice(PASSWORD);
// Every claim Creatio uses is readable but zoneinfo, which the config maps: the section must say it is missing.
const READABLE = ALICE_READABLE;

interface Logged {
  method: string;
  path: string;
  /** `InitiateAuth`, `AdminInitiateAuth`, … (X-Amz-Target without the service). */
  action?: string;
}

let moto: MotoServer;
let admin: CognitoIdentityProviderClient;
let pool: TestPool;
let router: Server;
let routerUrl: string;
/** Every request that reached "cognito-idp" (the router), this test only. */
let log: Logged[] = [];
/** Answer InitiateAuth here instead of moto (the answers moto cannot give). */
let cognitoAnswer: { status: number; body: unknown } | undefined;
/** Tokens moto issued through the router: none may appear in any output. */
const issued: string[] = [];
const outputs: CliResult[] = [];

async function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v;
  const res = await fetch(`${moto.url}${req.url}`, {
    method: req.method,
    headers,
    ...(req.method === 'POST' ? { body } : {}),
  });
  const out = Buffer.from(await res.arrayBuffer());
  const text = out.toString('utf8');
  for (const m of text.matchAll(/"(?:IdToken|AccessToken|RefreshToken)":\s*"([^"]+)"/g)) issued.push(m[1]!);
  return { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' }, body: out };
}

beforeAll(async () => {
  moto = await startMoto();
  admin = await cognitoClient({ env: moto.env(REGION), region: REGION, timeoutMs: 5000 });
  pool = await createTestPool(admin, { clientSecret: SECRET, readAttributes: READABLE, users: [ALICE] });
  router = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const target = req.headers['x-amz-target'];
        const action = typeof target === 'string' ? target.replace(/^.*\./, '') : undefined;
        const urlPath = new URL(req.url ?? '/', 'http://router').pathname;
        log.push({ method: req.method ?? '', path: urlPath, ...(action ? { action } : {}) });
        if (req.method === 'GET' && urlPath === `/${pool.userPoolId}/.well-known/openid-configuration`) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(discoveryDocument({ userPoolId: pool.userPoolId, region: REGION, domainHost: DOMAIN_HOST })));
          return;
        }
        if (cognitoAnswer && action === 'InitiateAuth') {
          res.writeHead(cognitoAnswer.status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(cognitoAnswer.body));
          return;
        }
        const a = await forward(req, Buffer.concat(chunks));
        res.writeHead(a.status, a.headers).end(a.body);
      })().catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((r) => router.listen(0, '127.0.0.1', r));
  routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
}, 60_000);

const hostedUis = hostedUiPool();
let hostedUi: FakeHostedUi;
let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  log = [];
  cognitoAnswer = undefined;
  ({ dir, cleanup } = tempDir());
  const config = EXAMPLE_YAML.replace('eu-west-1_AbCdEf123', pool.userPoolId)
    .replace('1h57kf5cpq17m0eml12eqe3alr', pool.clientId)
    .replace('    phone_number: Contact:MobilePhone\n', '    phone_number: Contact:MobilePhone\n    zoneinfo: SysAdminUnit:TimeZone\n');
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), config);
  hostedUi = await hostedUis.take({
    clients: [
      {
        clientId: pool.clientId,
        secret: SECRET,
        callbackUrls: [CALLBACK],
        logoutUrls: [SIGN_OUT],
        scopes: ['openid', 'email', 'phone', 'profile'],
      },
    ],
  });
});

afterEach(() => {
  hostedUis.release();
  cleanup();
});

afterAll(async () => {
  await hostedUis.close();
  admin?.destroy();
  await new Promise((r) => router?.close(r));
  await moto?.close();
});

/** The variables of a run without AWS credentials: InitiateAuth, the pool and the client pinned by the environment. */
function pinnedEnv(): Record<string, string | undefined> {
  return {
    CREATIO_SSO_TEST: '1',
    CREATIO_SSO_HOSTED_UI_URL: hostedUi.url,
    CREATIO_SSO_COGNITO_IDP_URL: routerUrl,
    COGNITO_CLIENT_SECRET: SECRET,
    CREATIO_SSO_USER_POOL_ID: pool.userPoolId,
    CREATIO_SSO_CLIENT_ID: pool.clientId,
    CREATIO_SSO_TEST_PASSWORD: PASSWORD,
  };
}

/** AWS credentials too: AdminInitiateAuth through the SDK, whose endpoint is the router as well. */
function awsEnv(): Record<string, string | undefined> {
  return {
    ...pinnedEnv(),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: routerUrl,
    HOME: '/nonexistent-creatio-sso-test-home',
  };
}

async function doctor(args: string[], env: Record<string, string | undefined> = pinnedEnv(), input?: string): Promise<CliResult> {
  const r = await runCli(['doctor', ...args], { cwd: dir, env, ...(input !== undefined ? { input } : {}) });
  outputs.push(r);
  return r;
}

interface Doc {
  ok: boolean;
  checks: { name: string; status: string; summary: string }[];
  files: { findings: { code: string; message: string; severity: string }[] }[];
  login?: Record<string, unknown>;
}
const docOf = (r: CliResult) => JSON.parse(r.stdout) as Doc;
const loginCheck = (r: CliResult) => docOf(r).checks.find((c) => c.name === 'login');
const codesOf = (r: CliResult) => docOf(r).files[0]!.findings.map((f) => f.code);
const signIns = () => log.filter((l) => l.action === 'InitiateAuth' || l.action === 'AdminInitiateAuth').map((l) => l.action);

describe('doctor --login: a good user', () => {
  it('signs in with InitiateAuth; the text report has a Login section with who signed in, the claims and the jit.claims mappings', async () => {
    const r = await doctor(['--login', 'alice']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ token: client secret accepted');
    expect(r.stdout).toContain('! login: alice signed in, ID token verified; jit.claims not in it: zoneinfo');
    expect(r.stdout).toContain('Login: alice signed in through InitiateAuth; the ID token is one Creatio accepts');
    expect(r.stdout).toMatch(/ {2}sub {13}[0-9a-f-]{36}\n/);
    expect(r.stdout).toContain('  email           alice@example.com\n');
    expect(r.stdout).toContain('  name            Alice Example\n');
    expect(r.stdout).toContain('  zoneinfo        (missing)\n');
    expect(r.stdout).toContain('  Missing: zoneinfo');
    expect(r.stdout).toContain('    ✔ phone_number → Contact:MobilePhone\n');
    expect(r.stdout).toContain('    ✖ zoneinfo → SysAdminUnit:TimeZone: not in the token');
    expect(signIns()).toEqual(['InitiateAuth']);
    // The JWKS doctor fetched for its own check is the one the token is verified against: asked once.
    expect(log.filter((l) => l.path.endsWith('/jwks.json'))).toHaveLength(1);
  });

  it('the built bundle (jose inside it) signs in and verifies the ID token as the sources do', async () => {
    const r = await runCli(['doctor', '--login', 'alice'], { cwd: dir, env: pinnedEnv(), build: 'bundle' });
    outputs.push(r);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('! login: alice signed in, ID token verified; jit.claims not in it: zoneinfo');
    expect(r.stdout).toContain('Login: alice signed in through InitiateAuth; the ID token is one Creatio accepts');
    expect(r.stdout).toContain('  email           alice@example.com\n');
  });

  it('signs in with AdminInitiateAuth when AWS credentials are there (a pinned pool is enough); JSON carries "login", never a token', async () => {
    const r = await doctor(['--login', 'alice', '--format', 'json', '--skip', 'aws'], { ...awsEnv(), CREATIO_SSO_CLIENT_ID: undefined });
    expect(r.code).toBe(0);
    const doc = docOf(r);
    expect(Object.keys(doc)).toEqual(['ok', 'summary', 'files', 'checks', 'login']);
    expect(doc.login).toEqual({
      username: 'alice',
      flow: 'AdminInitiateAuth',
      claims: {
        sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'alice@example.com',
        email_verified: 'true', // moto keeps the attribute's string; Cognito sends a boolean
        name: 'Alice Example',
        given_name: 'Alice',
        family_name: 'Example',
        phone_number: '+15555550100',
        locale: 'en-US',
      },
      missing: ['zoneinfo'],
      mappings: [
        { claim: 'phone_number', target: 'Contact:MobilePhone', present: true },
        { claim: 'zoneinfo', target: 'SysAdminUnit:TimeZone', present: false },
      ],
    });
    expect(loginCheck(r)).toMatchObject({ status: 'warn' });
    expect(signIns()).toEqual(['AdminInitiateAuth']);
  });

  it('takes the password from --password-stdin; --verbose says what is sent, without it', async () => {
    const r = await doctor(
      ['--login', 'alice', '--password-stdin', '--format', 'json', '--verbose'],
      {
        ...pinnedEnv(),
        CREATIO_SSO_TEST_PASSWORD: undefined,
      },
      `${PASSWORD}\n`,
    );
    expect(r.code).toBe(0);
    expect(docOf(r).login).toMatchObject({ username: 'alice', claims: { email: 'alice@example.com' } });
    expect(r.stderr).toContain(
      'login: InitiateAuth for alice, POST https://cognito-idp.eu-west-1.amazonaws.com/ (the password and a SECRET_HASH, not shown)',
    );
  });
});

describe('doctor --login: what Cognito refuses', () => {
  it('a wrong password is login/bad-credentials, exit 1', async () => {
    const r = await doctor(['--login', 'alice', '--format', 'json'], { ...pinnedEnv(), CREATIO_SSO_TEST_PASSWORD: 'Not-the-passw0rd!' });
    expect(r.code).toBe(1);
    expect(codesOf(r)).toEqual(expect.arrayContaining(['login/bad-credentials']));
    expect(loginCheck(r)).toEqual({ name: 'login', status: 'fail', summary: 'alice not signed in (login/bad-credentials)' });
    expect(docOf(r).login).toBeUndefined();
    // A finding about the sign-in has no line in the config file to point at.
    expect(docOf(r).files[0]!.findings.find((f) => f.code === 'login/bad-credentials')).not.toHaveProperty('line');
  });

  it('an unknown user is login/user-not-found, exit 1', async () => {
    const r = await doctor(['--login', 'mallory']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ login: mallory not signed in (login/user-not-found)');
    expect(r.stdout).toContain('login/user-not-found');
    expect(r.stdout).not.toContain('Login:');
  });

  it.each([
    [
      'login/secret-mismatch',
      { __type: 'NotAuthorizedException', message: 'Unable to verify secret hash for client 1234' },
      /copy the secret again|Copy the secret again/i,
    ],
    [
      'login/flow-not-enabled',
      { __type: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' },
      /ALLOW_USER_PASSWORD_AUTH/,
    ],
  ])('Cognito answering as for %s: that finding, exit 1', async (code, body, fix) => {
    cognitoAnswer = { status: 400, body };
    const r = await doctor(['--login', 'alice', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(codesOf(r)).toContain(code);
    const f = docOf(r).files[0]!.findings.find((x) => x.code === code)!;
    expect(f.message).toMatch(fix);
    expect(signIns()).toEqual(['InitiateAuth']);
  });

  it('a challenge is inconclusive (exit 3) and named', async () => {
    cognitoAnswer = { status: 200, body: { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'opaque-session', ChallengeParameters: {} } };
    const r = await doctor(['--login', 'alice']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('? login: alice not signed in (login/challenge)');
    expect(r.stdout).toContain('SOFTWARE_TOKEN_MFA');
  });

  it('a Cognito that does not answer the sign-in is login/unreachable (exit 3)', async () => {
    cognitoAnswer = { status: 503, body: 'Service Unavailable' };
    const r = await doctor(['--login', 'alice', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(loginCheck(r)).toMatchObject({ status: 'inconclusive', summary: 'alice not signed in (login/unreachable)' });
  });
});

describe('doctor --login: where the password may go (§10)', () => {
  it('only the file names the pool and the client: trust/unpinned-host, exit 2, naming the variables; nothing is sent', async () => {
    const env = { ...pinnedEnv(), CREATIO_SSO_USER_POOL_ID: undefined, CREATIO_SSO_CLIENT_ID: undefined };
    const r = await doctor(['--login', 'alice'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✖ login: password not sent (trust/unpinned-host)');
    expect(r.stdout).toContain('CREATIO_SSO_USER_POOL_ID (or --user-pool-id)');
    expect(r.stdout).toContain('CREATIO_SSO_CLIENT_ID (or --client-id)');
    expect(signIns()).toEqual([]);
    // The rest of doctor ran: the report says what it found.
    expect(r.stdout).toContain('✔ token: client secret accepted');
  });

  it('with AWS credentials the pool must still be pinned', async () => {
    const r = await doctor(['--login', 'alice', '--format', 'json'], { ...awsEnv(), CREATIO_SSO_USER_POOL_ID: undefined });
    expect(r.code).toBe(2);
    expect(codesOf(r)).toContain('trust/unpinned-host');
    expect(signIns()).toEqual([]);
  });

  it('a pin by flag works as one by variable', async () => {
    const env = { ...pinnedEnv(), CREATIO_SSO_USER_POOL_ID: undefined, CREATIO_SSO_CLIENT_ID: undefined };
    const r = await doctor(['--login', 'alice', '--user-pool-id', pool.userPoolId, '--client-id', pool.clientId], env);
    expect(r.code).toBe(0);
    expect(signIns()).toEqual(['InitiateAuth']);
  });
});

describe('doctor --login: usage', () => {
  it('two --…-stdin flags are a usage error (exit 2) before anything is read or sent', async () => {
    const r = await doctor(['--login', 'alice', '--password-stdin', '--client-secret-stdin'], pinnedEnv(), `${PASSWORD}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin and --client-secret-stdin both read stdin, which carries one value');
    expect(log).toEqual([]);
    expect(hostedUi.requests).toEqual([]);
  });

  it('--login without a password, or --password-stdin without --login, is a usage error (exit 2), nothing sent', async () => {
    const none = await doctor(['--login', 'alice'], { ...pinnedEnv(), CREATIO_SSO_TEST_PASSWORD: undefined });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('export CREATIO_SSO_TEST_PASSWORD, or pipe it with --password-stdin');
    const stray = await doctor(['--password-stdin'], pinnedEnv(), `${PASSWORD}\n`);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('give --login too');
    expect(log).toEqual([]);
  });

  it('--skip login leaves the proof out and says so; without --login the check says how to ask for it', async () => {
    const skipped = await doctor(['--login', 'alice', '--skip', 'login', '--format', 'json']);
    expect(skipped.code).toBe(0);
    expect(loginCheck(skipped)).toEqual({ name: 'login', status: 'skip', summary: 'skipped: --skip login' });
    expect(docOf(skipped).login).toBeUndefined();
    expect(signIns()).toEqual([]);

    const alone = await doctor(['--skip', 'login']);
    expect(alone.stdout).toContain('- login: skipped: --skip login');

    const plain = await doctor([]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('- login: not asked: --login <username> signs a test user in');
    expect(signIns()).toEqual([]);
  });
});

it('the secret, the password, the SECRET_HASH and the tokens appear in no output of any case', () => {
  expect(outputs.length).toBeGreaterThanOrEqual(15);
  expect(issued.length).toBeGreaterThan(0);
  const all = outputs.map((r) => r.stdout + r.stderr).join('\n');
  for (const s of [SECRET, PASSWORD, secretHash('alice', pool.clientId, SECRET), 'opaque-session']) expect(all).not.toContain(s);
  for (const t of issued) for (const part of t.split('.').slice(1)) expect(all).not.toContain(part);
});
