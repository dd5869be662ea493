import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir, type CliResult } from '../support/cli.js';
import { exampleProvider, startFakeCreatio, type FakeCreatio, type FakeCreatioOptions, onSiteConfig } from '../support/fake-creatio.js';
import { hostedUiPool, type FakeHostedUi, type FakeHostedUiOptions } from '../support/fake-hosted-ui.js';
import { closedPort } from '../support/net.js';

/**
 * doctor's Creatio section (§12) end to end, in process: the CLI against the Creatio stand-in, with the
 * discovery document and hosted UI on loopback fakes as in test/commands/doctor.test.ts.
 */
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
const CODE = 'cognito-1h57kf5c';
const PASSWORD = 'Supervisor!1-not-a-real-one';
const POOL = { userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'acme-login.auth.eu-west-1.amazoncognito.com' };

let dir: string;
let cleanup: () => void;
const fakes = hostedUiPool();
const open: FakeCreatio[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  fakes.release();
  await Promise.all(open.splice(0).map((o) => o.close()));
  cleanup();
});
afterAll(() => fakes.close());

async function creatio(options: FakeCreatioOptions = {}): Promise<FakeCreatio> {
  const f = await startFakeCreatio({ users: { Supervisor: PASSWORD }, ...options });
  open.push(f);
  return f;
}

const record = exampleProvider;

/** The config for a site (on-site: a loopback site has a port), with provider.code when given. */
function writeConfig(site: string, code?: string): void {
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    onSiteConfig(site, code ? `provider:\n  code: ${code}\n` : '', { userPoolId: POOL.userPoolId, clientId: CLIENT }),
  );
}

async function hostedUi(site: string, over: Partial<FakeHostedUiOptions> = {}): Promise<FakeHostedUi> {
  return fakes.take({
    ...over,
    clients: [
      {
        clientId: CLIENT,
        secret: TEST_SECRET,
        callbackUrls: [`${site}/ServiceModel/AuthService.svc/OpenIdCallback`],
        logoutUrls: [`${site}/ServiceModel/AuthService.svc/OpenIdLogoutCallback`],
        scopes: ['openid', 'email', 'phone', 'profile'],
      },
    ],
    discovery: POOL,
  });
}

/** The loopback discovery and hosted UI, and the client secret, as every run here has them. */
const cognitoEnv = (ui: FakeHostedUi) => ({
  CREATIO_SSO_TEST: '1',
  CREATIO_SSO_HOSTED_UI_URL: ui.url,
  CREATIO_SSO_COGNITO_IDP_URL: ui.url,
  COGNITO_CLIENT_SECRET: TEST_SECRET,
});

async function doctor(
  site: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
  input?: string,
  answers: Partial<FakeHostedUiOptions> = {},
): Promise<CliResult> {
  const ui = await hostedUi(site, answers);
  return runCli(['doctor', '--format', 'json', ...args], {
    cwd: dir,
    input,
    env: {
      ...cognitoEnv(ui),
      ...env,
    },
  });
}

interface Doc {
  checks: { name: string; status: string; summary: string }[];
  files: { findings: { code: string; message: string }[] }[];
}
const docOf = (r: CliResult) => JSON.parse(r.stdout) as Doc;
const creatioCheck = (r: CliResult) => docOf(r).checks.find((c) => c.name === 'creatio');
const codes = (r: CliResult) => docOf(r).files[0]!.findings.map((f) => f.code);
const signedIn = (f: FakeCreatio) => ({
  CREATIO_SSO_CREATIO_URL: f.url,
  CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
  CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
});
const noPassword = (r: CliResult) => expect(r.stdout + r.stderr).not.toContain(PASSWORD);

describe('doctor: Creatio, anonymous', () => {
  it('without a provider code or credentials the section is skipped and says how to enable it; nothing is asked', async () => {
    const f = await creatio({ providers: [record()] });
    writeConfig(f.url);
    const r = await doctor(f.url);
    expect(r.code).toBe(0);
    expect(creatioCheck(r)).toMatchObject({
      status: 'skip',
      summary: expect.stringMatching(/no provider code given.*CREATIO_SSO_CREATIO_USERNAME/),
    });
    // Never on a derived default: the default code cognito-1h57kf5c exists in Creatio, and still nothing was asked.
    expect(f.requests).toEqual([]);
  });

  it("with provider.code, Creatio's own authorize URL is checked at creatio.url, anonymously", async () => {
    const f = await creatio({ providers: [record()] });
    writeConfig(f.url, CODE);
    const r = await doctor(f.url);
    expect(r.code).toBe(0);
    expect(creatioCheck(r)).toMatchObject({ status: 'pass', summary: expect.stringContaining(`authorize URL for "${CODE}" matches`) });
    // The path style (anonymous pings, for returnUrl), then the authorize URL; no credential anywhere.
    expect(f.requests.map((q) => q.path).sort()).toEqual([
      '/0/api/HealthCheck/Ping',
      '/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl',
      '/api/HealthCheck/Ping',
    ]);
    const ask = f.requests.find((q) => q.path.endsWith('/GetOpenIdAuthorizeUrl'))!;
    expect(JSON.parse(ask.body)).toEqual({ returnUrl: `${f.url}/0/`, providerCode: CODE });
    expect(f.requests.every((q) => q.headers.cookie === undefined && q.headers.authorization === undefined)).toBe(true);
  });

  it("the authorize check sends the runtime's returnUrl: <root>/ on .NET Core, read once with credentials", async () => {
    const f = await creatio({ providers: [record()], style: 'netcore', features: { EnableOpenIDAuth: 1 } });
    writeConfig(f.url, CODE);
    const r = await doctor(f.url, ['--skip', 'hosted-ui'], signedIn(f));
    expect(creatioCheck(r)).toMatchObject({ status: 'pass' });
    const ask = f.requests.find((q) => q.path.endsWith('/GetOpenIdAuthorizeUrl'))!;
    expect(JSON.parse(ask.body)).toEqual({ returnUrl: `${f.url}/`, providerCode: CODE });
    expect(ask.headers.cookie).toBeUndefined();
    // The signed-in read found the path style; the anonymous check did not ask again.
    expect(f.requests.filter((q) => q.path.endsWith('/HealthCheck/Ping'))).toHaveLength(2);
  });

  it('a runtime that cannot be told apart without credentials: the .NET Core returnUrl, and the check says so', async () => {
    const f = await creatio({ providers: [record()], proxyAnswers2xx: 'ping+login' });
    writeConfig(f.url, CODE);
    const r = await doctor(f.url, ['--skip', 'hosted-ui']);
    expect(creatioCheck(r)).toMatchObject({ status: 'pass', summary: expect.stringMatching(/note: .*could not tell .*\.NET Core paths/) });
    const ask = f.requests.find((q) => q.path.endsWith('/GetOpenIdAuthorizeUrl'))!;
    expect(JSON.parse(ask.body)).toMatchObject({ returnUrl: `${f.url}/` });
  });

  it('a code Creatio does not know (CREATIO_SSO_PROVIDER_CODE) is creatio/provider-unknown, exit 1', async () => {
    const f = await creatio({ providers: [record()] });
    writeConfig(f.url);
    const r = await doctor(f.url, [], { CREATIO_SSO_PROVIDER_CODE: 'cognito-nope' });
    expect(r.code).toBe(1);
    expect(creatioCheck(r)).toMatchObject({ status: 'fail', summary: 'creatio/provider-unknown' });
    expect(docOf(r).files[0]!.findings.find((x) => x.code === 'creatio/provider-unknown')!.message).toContain('cognito-nope');
  });

  it('a stale Url is creatio/authorize-mismatch naming the host (text)', async () => {
    const f = await creatio({ providers: [record({ Url: 'https://old-login.auth.eu-west-1.amazoncognito.com' })] });
    writeConfig(f.url, CODE);
    const ui = await hostedUi(f.url);
    const r = await runCli(['doctor', '--skip', 'hosted-ui'], {
      cwd: dir,
      env: cognitoEnv(ui),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ creatio: creatio/authorize-mismatch');
    expect(r.stdout).toMatch(
      /host old-login\.auth\.eu-west-1\.amazoncognito\.com, expected acme-login\.auth\.eu-west-1\.amazoncognito\.com/,
    );
  });

  it('a site that does not answer is creatio/unreachable: inconclusive, exit 3', async () => {
    const site = `http://127.0.0.1:${await closedPort()}`;
    writeConfig(site, CODE);
    const r = await doctor(site, ['--skip', 'hosted-ui']);
    expect(r.code).toBe(3);
    expect(creatioCheck(r)).toMatchObject({ status: 'inconclusive' });
    expect(codes(r)).toEqual(['creatio/unreachable']);
  });

  it('--skip creatio leaves the section out and says so', async () => {
    const f = await creatio({ providers: [record()] });
    writeConfig(f.url, CODE);
    const r = await doctor(f.url, ['--skip', 'creatio'], signedIn(f));
    expect(r.code).toBe(0);
    expect(creatioCheck(r)).toEqual({ name: 'creatio', status: 'skip', summary: 'skipped: --skip creatio' });
    expect(f.requests).toEqual([]);
  });
});

describe('doctor: Creatio with credentials', () => {
  it('runs beside the Cognito checks, not after them: Cognito answers nothing until Creatio has been asked', async () => {
    const f = await creatio({ providers: [record()], features: { EnableOpenIDAuth: 1 } });
    writeConfig(f.url);
    // Run one after the other, the section would start only after Cognito's answers, which never come
    // before it does: discovery and the probes would end inconclusive when --timeout runs out.
    const r = await doctor(f.url, ['--timeout', '1500'], signedIn(f), undefined, { holdUntil: f.asked });
    expect(docOf(r).checks.map((c) => [c.name, c.status])).toEqual([
      ['config', 'pass'],
      ['discovery', 'pass'],
      ['authorize', 'pass'],
      ['token', 'pass'],
      ['logout', 'pass'],
      ['login', 'skip'],
      ['aws', 'skip'],
      ['creatio', 'pass'],
    ]);
    expect(r.code).toBe(0);
  });

  it('--aws without AWS credentials ends the run (exit 2) before anything acts: no Creatio sign-in, no token request', async () => {
    const f = await creatio({ providers: [record()], features: { EnableOpenIDAuth: 1 } });
    writeConfig(f.url);
    const ui = await hostedUi(f.url);
    const r = await runCli(['doctor', '--format', 'json', '--aws'], {
      cwd: dir,
      env: {
        ...cognitoEnv(ui),
        ...signedIn(f),
        // No credentials anywhere the SDK looks: no variables, no profile files, no metadata service.
        HOME: path.join(dir, 'no-home'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${await closedPort()}`,
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No AWS credentials/);
    // Anything still running would have reached the stand-ins by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(f.requests.map((q) => q.path)).toEqual([]);
    expect(ui.requests.filter((q) => q.path.startsWith('/oauth2/token'))).toEqual([]);
    noPassword(r);
  });

  it('a matching record passes; the provider found by its client ID gives the code for the authorize check', async () => {
    const f = await creatio({ providers: [record()], features: { EnableOpenIDAuth: 1 } });
    writeConfig(f.url);
    const r = await doctor(f.url, [], signedIn(f));
    expect(r.code).toBe(0);
    expect(creatioCheck(r)).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(/provider "cognito-1h57kf5c" matches the config \(ClientSecret cannot be compared\).*authorize URL/),
    });
    expect(f.writes()).toEqual([]);
    expect(f.requests.some((q) => q.path.endsWith('/GetOpenIdAuthorizeUrl'))).toBe(true);
    noPassword(r);
  });

  it('drift names each field; the feature off on-site is creatio/feature-off', async () => {
    const f = await creatio({ providers: [record({ Name: 'Old name', Url: 'https://old-login.auth.eu-west-1.amazoncognito.com' })] });
    writeConfig(f.url, CODE);
    const r = await doctor(f.url, ['--skip', 'hosted-ui'], signedIn(f));
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(expect.arrayContaining(['creatio/feature-off', 'creatio/drift', 'creatio/authorize-mismatch']));
    const drift = docOf(r).files[0]!.findings.find((x) => x.code === 'creatio/drift')!.message;
    expect(drift).toMatch(/Name is Old name \(config: Cognito AWS\).*Url is https:\/\/old-login/);
    expect(f.writes()).toEqual([]);
  });

  it('--creatio-password-stdin signs in with the password from stdin', async () => {
    const f = await creatio({ providers: [record()], features: { EnableOpenIDAuth: 1 } });
    writeConfig(f.url);
    const r = await doctor(
      f.url,
      ['--skip', 'hosted-ui', '--creatio-password-stdin'],
      { CREATIO_SSO_CREATIO_URL: f.url, CREATIO_SSO_CREATIO_USERNAME: 'Supervisor' },
      `${PASSWORD}\n`,
    );
    expect(r.code).toBe(0);
    expect(creatioCheck(r)!.status).toBe('pass');
    noPassword(r);
  });

  it('--creatio-password-stdin with --client-secret-stdin is a usage error: stdin carries one value', async () => {
    const f = await creatio();
    writeConfig(f.url);
    const r = await doctor(f.url, ['--creatio-password-stdin', '--client-secret-stdin'], signedIn(f), PASSWORD);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--creatio-password-stdin.*cannot be used with.*--client-secret-stdin/);
    expect(f.requests).toEqual([]);
  });

  it('credentials for a site only the file names: trust/unpinned-host, exit 2, the password sent nowhere', async () => {
    const f = await creatio({ providers: [record()] });
    writeConfig(f.url, CODE);
    const r = await doctor(f.url, ['--skip', 'hosted-ui'], {
      CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
      CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
    });
    expect(r.code).toBe(2);
    expect(codes(r)).toContain('trust/unpinned-host');
    expect(docOf(r).files[0]!.findings.find((x) => x.code === 'trust/unpinned-host')!.message).toContain('CREATIO_SSO_CREATIO_URL');
    // Only the anonymous check went out (and its path-style pings).
    expect(f.requests.filter((q) => !q.path.endsWith('/HealthCheck/Ping')).map((q) => q.path)).toEqual([
      '/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl',
    ]);
    expect(f.requests.every((q) => q.headers.cookie === undefined)).toBe(true);
    expect(f.requests.some((q) => q.body.includes(PASSWORD))).toBe(false);
  });

  it('a wrong password is creatio/sign-in-failed, exit 1', async () => {
    const f = await creatio({ providers: [record()] });
    writeConfig(f.url);
    const r = await doctor(f.url, ['--skip', 'hosted-ui'], { ...signedIn(f), CREATIO_SSO_CREATIO_PASSWORD: 'wrong-password-123' });
    expect(r.code).toBe(1);
    expect(creatioCheck(r)).toMatchObject({ status: 'fail', summary: 'creatio/sign-in-failed' });
    expect(r.stdout).not.toContain('wrong-password-123');
  });
});
