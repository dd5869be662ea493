import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../src/io/config-loader.js';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { pendingItems } from '../../src/core/creatio/provider.js';
import { CreatioClient, CreatioFailure, parseSetCookie, sendCreatio } from '../../src/creatio/client.js';
import { applyCreatioHalf, authorizeFindings, inspectCreatioHalf, type CreatioHalfResult } from '../../src/creatio/half.js';
import { creatioHalfInput, withCreatedClient, type CreatioHalfInput } from '../../src/creatio/input.js';
import { createOutput } from '../../src/io/output.js';
import { createHttpClient } from '../../src/net/http.js';
import { verdict } from '../../src/report/verdict.js';
import { resolveFileSettings } from '../../src/settings/resolve.js';
import { TEST_SECRET, tempDir } from '../support/cli.js';
import {
  COGNITO_TEMPLATE,
  exampleProvider,
  startFakeCreatio,
  type FakeCreatio,
  type FakeCreatioOptions,
  type FakeProvider,
  onSiteConfig,
} from '../support/fake-creatio.js';
import { checkCreatioAuthorize, connectCreatio } from '../../src/creatio/connect.js';
import type { HttpClient } from '../../src/net/types.js';
import { closedPort } from '../support/net.js';

/**
 * The Creatio half (src/creatio/half.ts) in process against the Creatio stand-in: the input resolved from a
 * real config file and an environment as the commands resolve it, then inspect (plan) and apply; what
 * goes over the wire is checked here too. The pure rules have their tables (test/core/creatio/), the
 * commands a few end-to-end runs (test/commands/plan-apply-creatio.test.ts, doctor-creatio.test.ts);
 * the places a real Creatio differs are test/creatio/real-creatio.test.ts. The last describe holds what
 * only the client underneath shows (connectCreatio's refusals, one request, the cookie parser).
 */
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
const CODE = 'cognito-1h57kf5c';
const PASSWORD = 'Supervisor!1-not-a-real-one';
const DOMAIN_HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';
const POOL = 'eu-west-1_AbCdEf123';

let dir: string;
let cleanup: () => void;
const open: Array<{ close(): Promise<void> }> = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
  cleanup();
});

async function fake(options: FakeCreatioOptions = {}): Promise<FakeCreatio> {
  const f = await startFakeCreatio({ users: { Supervisor: PASSWORD }, ...options });
  open.push(f);
  return f;
}

function http(): HttpClient {
  const h = createHttpClient({ env: { CREATIO_SSO_TEST: '1' }, timeoutMs: 5000 });
  open.push(h);
  return h;
}

const config = (site: string, extra = '') =>
  onSiteConfig(
    site,
    `provider:
  displayName: Cognito AWS
  isDefault: true
${extra}mobile:
  useSso: true
`,
    { userPoolId: POOL, clientId: CLIENT },
  );

function context(env: NodeJS.ProcessEnv, input = ''): Context & { errText: () => string } {
  let err = '';
  const sink = (keep: boolean) =>
    Object.assign(new Writable({ write: (c, _e, cb) => (keep ? (err += String(c)) : undefined, cb()) }), { isTTY: false });
  const [stdout, stderr] = [sink(false), sink(true)];
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(input);
  return {
    output: createOutput({ color: false, verbose: false, stdout, stderr, env }),
    stdout,
    stderr,
    signal: new AbortController().signal,
    env,
    cwd: dir,
    stdin,
    interactive: false,
    timeoutMs: 3000,
    verbose: false,
    errText: () => err,
  };
}

/** The half's input as a command resolves it: the config file, the environment, stdin. */
async function inputFor(
  site: string,
  env: Record<string, string | undefined>,
  o: { extra?: string; stdin?: string; creatioPasswordStdin?: boolean; writeSecret?: boolean; fileSite?: string } = {},
): Promise<{ input: CreatioHalfInput; ctx: Context }> {
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), config(o.fileSite ?? site, o.extra));
  // The operator pins the pool: §10 lets the secret into Creatio only then (test/trust/creatio-relay.test.ts).
  const base: NodeJS.ProcessEnv = {
    CREATIO_SSO_TEST: '1',
    COGNITO_CLIENT_SECRET: TEST_SECRET,
    CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v;
  const ctx = context(base, o.stdin);
  const settings = await resolveFileSettings({}, ctx);
  const loaded = await loadConfig(settings.read, settings.overrides);
  expect(loaded.findings.filter((f) => f.severity === 'error')).toEqual([]);
  const input = await creatioHalfInput(
    settings,
    loaded.resolved!,
    { creatioPasswordStdin: o.creatioPasswordStdin, writeSecret: o.writeSecret },
    ctx,
  );
  return { input, ctx };
}

const signedIn = (f: FakeCreatio, extra: Record<string, string | undefined> = {}) => ({
  CREATIO_SSO_CREATIO_URL: f.url,
  CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
  CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
  ...extra,
});

const pending = (r: CreatioHalfResult) => pendingItems(r.half.items).map((i) => `${i.resource}.${i.field}`);
const noSecrets = (r: CreatioHalfResult) => {
  const text = JSON.stringify(r);
  expect(text).not.toContain(TEST_SECRET);
  expect(text).not.toContain(PASSWORD);
};

const record = (over: Partial<FakeProvider> = {}): FakeProvider =>
  exampleProvider({ ClientSecret: 'the-old-secret-value', IsDefault: true, ...over });

describe('an empty Creatio: plan = insert, apply, a second inspect has nothing pending', () => {
  it.each([
    [
      '.NET Framework with an application path',
      { style: 'netframework', appPath: '/Demo_1' } as const,
      '/Demo_1/0/DataService/json/SyncReply/InsertQuery',
    ],
    ['.NET Core', { style: 'netcore' } as const, '/DataService/json/SyncReply/InsertQuery'],
  ])('%s', async (_name, options, insertPath) => {
    const f = await fake(options);
    const { input, ctx } = await inputFor(f.url, signedIn(f));

    const plan = await inspectCreatioHalf(input, ctx);
    expect(plan.half.status).toBe('checked');
    expect(plan.plan!.provider).toEqual({ kind: 'insert', code: CODE });
    expect(pending(plan)).toEqual([
      'Feature.EnableOpenIDAuth',
      'SsoOpenIdProvider.Code',
      'SsoOpenIdProvider.Name',
      'SsoOpenIdProvider.SsoSettingsTemplate',
      'SsoOpenIdProvider.ClientID',
      'SsoOpenIdProvider.Url',
      'SsoOpenIdProvider.DiscoveryUrl',
      'SsoOpenIdProvider.EndSessionEndpointUrl',
      'SsoOpenIdProvider.ClientSecret',
      'SsoOpenIdProvider.IsDefault',
      'SysSettings.MobileUseSSO',
    ]);
    expect(plan.half.items.find((i) => i.field === 'ClientSecret')).toMatchObject({ action: 'add', to: '(set)' });
    expect(plan.half.items.at(-1)).toMatchObject({ action: 'manual', field: 'JIT' });
    expect(f.writes()).toEqual([]);

    const inspected = f.requests.length;
    const applied = await applyCreatioHalf(input, ctx, { plan: plan.plan! });
    expect(applied.findings).toEqual([]);
    expect(applied.half.status).toBe('checked');
    expect(pendingItems(applied.half.items).every((i) => i.applied === true)).toBe(true);
    // apply signs in once, and tells the path style once (both pings).
    const applying = f.requests.slice(inspected);
    expect(applying.filter((r) => r.path.endsWith('/Login'))).toHaveLength(1);
    expect(applying.filter((r) => r.path.endsWith('/HealthCheck/Ping'))).toHaveLength(2);
    // What was sent on the wire (§12's shapes), with the CSRF header the sign-in's cookie asks for.
    const insert = f.requests.find((r) => r.path === insertPath)!;
    const items = JSON.parse(insert.body).ColumnValues.Items;
    expect(items.ClientSecret).toEqual({ ExpressionType: 2, Parameter: { DataValueType: 24, Value: TEST_SECRET } });
    expect(items.SsoSettingsTemplate.Parameter).toEqual({ DataValueType: 10, Value: COGNITO_TEMPLATE });
    expect(items.IsDefault.Parameter).toEqual({ DataValueType: 12, Value: true });
    expect(insert.headers.crt_csrf).toMatch(/^[0-9a-f]+$/);
    expect(insert.headers.cookie).toContain('.ASPXAUTH=');
    // What the plan showed is what was written: each field of the new record holds the plan's value.
    for (const item of pendingItems(plan.half.items).filter((i) => i.resource === 'SsoOpenIdProvider' && i.field !== 'ClientSecret'))
      expect(String(f.providers[0]![item.field as keyof FakeProvider]), item.field).toBe(String(item.to));
    // No configured code: the half hands apply the code to write into the config (§13).
    expect(applied.configCode).toBe(CODE);
    // The provider.code line is not a note to copy: the apply command writes it into the config (§13).
    expect(applied.notes.filter((n) => n.includes('provider.code'))).toEqual([]);
    expect(applied.after && pendingItems(applied.after.items)).toEqual([]);
    expect(f.writes().map((w) => w.path)).toContain(insertPath);
    expect(f.providers).toHaveLength(1);
    expect(f.providers[0]).toMatchObject({
      Code: CODE,
      ClientID: CLIENT,
      ClientSecret: TEST_SECRET,
      Url: `https://${DOMAIN_HOST}`,
      IsDefault: true,
    });
    expect(f.features.EnableOpenIDAuth).toBe(1);
    expect(f.sysSettings.MobileUseSSO).toBe(true);
    noSecrets(applied);

    const writes = f.writes().length;
    const again = await inspectCreatioHalf(input, ctx);
    expect(pending(again)).toEqual([]);
    expect(again.half.items.find((i) => i.field === 'ClientSecret')).toMatchObject({ action: 'same', to: '(cannot be compared)' });
    const second = await applyCreatioHalf(input, ctx);
    expect(second.half.items.some((i) => i.applied !== undefined)).toBe(false);
    expect(f.writes()).toHaveLength(writes);
  });
});

describe('a populated Creatio', () => {
  it('a stale Url is one update of that field, by Id; the secret is left alone without --write-secret', async () => {
    const f = await fake({
      providers: [record({ Url: 'https://old-login.auth.eu-west-1.amazoncognito.com' })],
      features: { EnableOpenIDAuth: 1 },
      sysSettings: { MobileUseSSO: true },
    });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const plan = await inspectCreatioHalf(input, ctx);
    expect(plan.plan!.provider).toMatchObject({ kind: 'update', code: CODE });
    expect(pending(plan)).toEqual(['SsoOpenIdProvider.Url']);
    expect(plan.half.items.find((i) => i.field === 'Url')).toMatchObject({
      action: 'change',
      from: 'https://old-login.auth.eu-west-1.amazoncognito.com',
      to: `https://${DOMAIN_HOST}`,
    });
    const applied = await applyCreatioHalf(input, ctx, { plan: plan.plan! });
    expect(applied.findings).toEqual([]);
    const writes = f.writes();
    expect(writes.map((w) => w.path)).toEqual(['/0/DataService/json/SyncReply/UpdateQuery']);
    const body = JSON.parse(writes[0]!.body);
    expect(Object.keys(body.ColumnValues.Items)).toEqual(['Url']);
    expect(body.Filters.Items.byId0.RightExpression.Parameter).toEqual({ DataValueType: 0, Value: f.providers[0]!.Id });
    expect(f.providers[0]).toMatchObject({ Url: `https://${DOMAIN_HOST}`, ClientSecret: 'the-old-secret-value' });
  });

  it('--write-secret writes the secret on update and shows it only as "(written)"', async () => {
    const f = await fake({ providers: [record()], features: { EnableOpenIDAuth: 1 }, sysSettings: { MobileUseSSO: true } });
    const { input, ctx } = await inputFor(f.url, signedIn(f), { writeSecret: true });
    const plan = await inspectCreatioHalf(input, ctx);
    expect(plan.half.items.filter((i) => i.action === 'change')).toEqual([
      { resource: 'SsoOpenIdProvider', field: 'ClientSecret', action: 'change', to: '(written)' },
    ]);
    const applied = await applyCreatioHalf(input, ctx, { plan: plan.plan! });
    expect(applied.findings).toEqual([]);
    expect(f.providers[0]!.ClientSecret).toBe(TEST_SECRET);
    noSecrets(applied);
  });

  it('a client created in this run (--create-client): its ID in a new record, its secret written', async () => {
    const f = await fake({ providers: [record()], features: { EnableOpenIDAuth: 1 }, sysSettings: { MobileUseSSO: true } });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const created = { clientId: '7abcdefghijklmnopqrstuvwx0', clientSecret: `x${TEST_SECRET.slice(1)}` };
    const applied = await applyCreatioHalf(withCreatedClient(input, created), ctx);
    expect(applied.findings).toEqual([]);
    expect(f.providers.map((p) => [p.Code, p.ClientID])).toEqual([
      [CODE, CLIENT],
      ['cognito-7abcdefg', created.clientId],
    ]);
    expect(f.providers[1]!.ClientSecret).toBe(created.clientSecret);
    expect(JSON.stringify(applied)).not.toContain(created.clientSecret);
  });

  it('two candidate providers: creatio/ambiguous-provider naming both codes, nothing written', async () => {
    const f = await fake({ providers: [record({ Code: 'openid_1' }), record({ Code: 'openid_2' })] });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const plan = await inspectCreatioHalf(input, ctx);
    expect(plan.half).toMatchObject({ status: 'stopped', items: [] });
    expect(plan.findings.map((x) => x.code)).toEqual(['creatio/ambiguous-provider']);
    expect(plan.findings[0]!.message).toMatch(/openid_1, openid_2/);
    const applied = await applyCreatioHalf(input, ctx);
    expect(applied.half.status).toBe('stopped');
    expect(f.writes()).toEqual([]);
    expect(f.requests.some((r) => /InsertQuery|UpdateQuery|SetFeatureState|PostSysSettings/.test(r.path))).toBe(false);
  });

  it('a provider code Creatio does not know: a record with our client ID is adopted, and its code suggested', async () => {
    const f = await fake({
      providers: [record({ Code: 'openid_3' })],
      features: { EnableOpenIDAuth: 1 },
      sysSettings: { MobileUseSSO: true },
    });
    const { input, ctx } = await inputFor(f.url, signedIn(f, { CREATIO_SSO_PROVIDER_CODE: 'cognito-prod' }));
    const plan = await inspectCreatioHalf(input, ctx);
    expect(plan.half.status).toBe('checked');
    expect(plan.plan!.provider).toMatchObject({ kind: 'update', code: 'openid_3', adopted: true });
    expect(pending(plan)).toEqual([]);
    expect(plan.notes.join('\n')).toMatch(/openid_3.*no provider with the code cognito-prod.*provider\.code: openid_3/);
  });

  it('a provider that only shares the Name is left alone: a new one is inserted', async () => {
    const f = await fake({
      providers: [
        record({ Code: 'theirs', ClientID: 'someoneelse000000000000000', Url: 'https://old-login.auth.eu-west-1.amazoncognito.com' }),
      ],
      features: { EnableOpenIDAuth: 1 },
    });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const plan = await inspectCreatioHalf(input, ctx);
    expect(plan.plan!.provider.kind).toBe('insert');
    expect((await applyCreatioHalf(input, ctx, { plan: plan.plan! })).findings).toEqual([]);
    expect(f.providers.map((p) => p.Code)).toEqual(['theirs', CODE]);
    expect(f.providers[1]).toMatchObject({ ClientID: CLIENT, Url: `https://${DOMAIN_HOST}` });
    expect(f.providers[0]!.ClientID).toBe('someoneelse000000000000000');
    expect(f.providers[0]).toMatchObject({
      Url: 'https://old-login.auth.eu-west-1.amazoncognito.com',
      ClientSecret: 'the-old-secret-value',
    });
  });

  it('a provider code Creatio does not know and no record with our client ID: a new record under that code', async () => {
    const f = await fake({ features: { EnableOpenIDAuth: 1 } });
    const { input, ctx } = await inputFor(f.url, signedIn(f), { extra: '  code: cognito-prod\n' });
    const applied = await applyCreatioHalf(input, ctx);
    expect(applied.findings).toEqual([]);
    expect(f.providers.map((p) => p.Code)).toEqual(['cognito-prod']);
    // The code was given: nothing to write into the config.
    expect(applied.configCode).toBeUndefined();
  });
});

describe('sign-in', () => {
  it('a wrong password: creatio/sign-in-failed, stopped, never the password', async () => {
    const f = await fake();
    const { input, ctx } = await inputFor(f.url, signedIn(f, { CREATIO_SSO_CREATIO_PASSWORD: 'wrong-password-123' }));
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings.map((x) => x.code)).toEqual(['creatio/sign-in-failed']);
    expect(r.half.reason).toMatch(/Invalid username or password/);
    expect(r.findings[0]!.message).toMatch(/Supervisor.*AuthService\.svc\/Login.*Invalid username or password/);
    expect(JSON.stringify(r)).not.toContain('wrong-password-123');
    // Nothing is read after a refused sign-in.
    expect(f.requests.filter((q) => q.path.includes('DataService'))).toEqual([]);
    expect(f.writes()).toEqual([]);
  });

  it('a site whose CSRF cookie does not arrive: the session is refused (401), creatio/api-unexpected naming the request', async () => {
    const f = await fake({ csrf: 'stripped' });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await applyCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings[0]).toMatchObject({ code: 'creatio/api-unexpected' });
    expect(r.findings[0]!.message).toMatch(/GetFeatureState .*HTTP 401; the sign-in issued no CSRF cookie \(CRT_CSRF or BPMCSRF\)/);
    expect(f.requests.filter((q) => q.path.endsWith('/Login'))).toHaveLength(1);
    // The sign-in as Creatio reads it; no CSRF header, since no cookie came to echo.
    expect(f.requests.find((q) => q.path.endsWith('/Login'))!.body).toBe(
      JSON.stringify({ UserName: 'Supervisor', UserPassword: PASSWORD }),
    );
    expect(f.requests.at(-1)!.headers.bpmcsrf).toBeUndefined();
    expect(f.requests.at(-1)!.headers.crt_csrf).toBeUndefined();
    expect(f.writes()).toEqual([]);
  });

  it('OAuth client credentials: the secret goes to the identity service only, then Bearer', async () => {
    const oauthSecret = 'oauth-secret-value-0123456789';
    const f = await fake({ oauthClients: { 'creatio-sso-ci': oauthSecret }, features: { EnableOpenIDAuth: 1 } });
    const { input, ctx } = await inputFor(f.url, {
      CREATIO_SSO_CREATIO_URL: f.url,
      CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID: 'creatio-sso-ci',
      CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET: oauthSecret,
      CREATIO_SSO_CREATIO_IDENTITY_URL: f.identityUrl,
    });
    const r = await applyCreatioHalf(input, ctx);
    expect(r.findings).toEqual([]);
    expect(f.providers).toHaveLength(1);
    const token = f.requests.filter((q) => q.server === 'identity');
    expect(token.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /connect/token']);
    // No forms sign-in beside the token.
    expect(f.requests.some((q) => q.path.endsWith('/Login'))).toBe(false);
    expect(new URLSearchParams(token[0]!.body).get('grant_type')).toBe('client_credentials');
    const site = f.requests.filter((q) => q.server === 'site');
    expect(site.some((q) => q.body.includes(oauthSecret))).toBe(false);
    expect(site.filter((q) => q.path.includes('DataService')).every((q) => /^Bearer /.test(q.headers.authorization ?? ''))).toBe(true);
  });

  it('a wrong OAuth secret: creatio/sign-in-failed, without the secret', async () => {
    const f = await fake({ oauthClients: { 'creatio-sso-ci': 'right' } });
    const { input, ctx } = await inputFor(f.url, {
      CREATIO_SSO_CREATIO_URL: f.url,
      CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID: 'creatio-sso-ci',
      CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET: 'wrong-oauth-secret-9',
      CREATIO_SSO_CREATIO_IDENTITY_URL: f.identityUrl,
    });
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings).toMatchObject([{ code: 'creatio/sign-in-failed', message: expect.stringMatching(/invalid_client/) }]);
    expect(JSON.stringify(r)).not.toContain('wrong-oauth-secret-9');
    expect(f.requests.filter((q) => q.server === 'site' && q.path.includes('DataService'))).toEqual([]);
    expect(f.writes()).toEqual([]);
  });

  it('a site that does not answer: creatio/unreachable', async () => {
    const site = `http://127.0.0.1:${await closedPort()}`;
    const { input, ctx } = await inputFor(site, {
      CREATIO_SSO_CREATIO_URL: site,
      CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
      CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
    });
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings.map((x) => x.code)).toEqual(['creatio/unreachable']);
    expect(r.findings[0]!.message).toContain(new URL(site).host);
  });

  it('--creatio-password-stdin reads the password from stdin', async () => {
    const f = await fake({ features: { EnableOpenIDAuth: 1 } });
    const { input, ctx } = await inputFor(
      f.url,
      { CREATIO_SSO_CREATIO_URL: f.url, CREATIO_SSO_CREATIO_USERNAME: 'Supervisor' },
      { creatioPasswordStdin: true, stdin: `${PASSWORD}\n` },
    );
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half.status).toBe('checked');
    expect(f.requests.find((q) => q.path.endsWith('/Login'))!.body).toContain(PASSWORD);
  });
});

describe('unexpected answers', () => {
  it('a 404 on PostSysSettingsValues: a finding naming the request and the manual step, and what was applied', async () => {
    const f = await fake({ broken: { PostSysSettingsValues: 404 } });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await applyCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings.map((x) => x.code)).toEqual(['creatio/api-unexpected']);
    const message = r.findings[0]!.message;
    expect(message).toContain('POST /0/DataService/json/SyncReply/PostSysSettingsValues');
    expect(message).toContain('HTTP 404');
    expect(message).toMatch(/MobileUseSSO by hand.*SETUP\.md/);
    expect(message).toMatch(
      /Applied before it: Feature\.EnableOpenIDAuth, SsoOpenIdProvider\.Code, .*Not applied: SysSettings\.MobileUseSSO/,
    );
    expect(r.half.items.find((i) => i.field === 'MobileUseSSO')).toMatchObject({ applied: false });
    expect(r.half.items.find((i) => i.field === 'Url')).toMatchObject({ applied: true });
    expect(f.providers).toHaveLength(1);
    noSecrets(r);
  });
});

describe('unexpected answers stop the half and say what was applied', () => {
  it('a 404 on InsertQuery after the feature was switched on: the manual step, and what was applied before it', async () => {
    const f = await fake({ broken: { InsertQuery: 404 } });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await applyCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings.map((x) => x.code)).toEqual(['creatio/api-unexpected']);
    const message = r.findings[0]!.message;
    expect(message).toMatch(/POST \/0\/DataService\/json\/SyncReply\/InsertQuery .*HTTP 404/);
    expect(message).toMatch(/System Designer → Single Sign On configuration.*SETUP\.md/);
    expect(message).toMatch(
      /Applied before it: Feature\.EnableOpenIDAuth\. Not applied: SsoOpenIdProvider\.Code, .*SysSettings\.MobileUseSSO/,
    );
    expect(r.half.items.find((i) => i.field === 'EnableOpenIDAuth')).toMatchObject({ applied: true });
    expect(r.half.items.find((i) => i.field === 'MobileUseSSO')).toMatchObject({ applied: false });
    expect(f.sysSettings.MobileUseSSO).toBe(false);
    noSecrets(r);
  });

  it('a refusal that echoes the request never shows the client secret', async () => {
    const f = await fake({ broken: { InsertQuery: 'echo' }, features: { EnableOpenIDAuth: 1 } });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await applyCreatioHalf(input, ctx);
    expect(r.findings[0]!.message).toMatch(/InsertQuery .*success: false \("Could not save /);
    expect(r.findings[0]!.message).not.toContain(TEST_SECRET.slice(0, 8));
    noSecrets(r);
    expect(
      f
        .writes()
        .map((w) => w.body)
        .join(),
    ).toContain(TEST_SECRET);
  });

  it('HTML where JSON was expected', async () => {
    const f = await fake({ broken: { SelectQuery: 'html' }, features: { EnableOpenIDAuth: 1 } });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings).toMatchObject([{ code: 'creatio/api-unexpected', message: expect.stringMatching(/SelectQuery .*HTML page/) }]);
    expect(f.writes()).toEqual([]);
  });

  it('a site with neither path style', async () => {
    const f = await fake({ broken: { Ping: 404 } });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half.status).toBe('stopped');
    expect(r.findings).toMatchObject([{ code: 'creatio/api-unexpected', message: expect.stringMatching(/HealthCheck\/Ping/) }]);
    // The password is not sent to a site whose path style is unknown.
    expect(f.requests.filter((q) => q.path.endsWith('/Login'))).toEqual([]);
  });

  it('a clear-cache 404 is a note, not a failure', async () => {
    const f = await fake({ broken: { ClearFeaturesCacheForAllUsers: 404 }, providers: [record()] });
    const { input, ctx } = await inputFor(f.url, signedIn(f));
    const r = await applyCreatioHalf(input, ctx);
    expect(r.findings).toEqual([]);
    expect(r.half.status).toBe('checked');
    expect(r.notes.join()).toMatch(/features cache/);
    expect(pendingItems(r.half.items).every((i) => i.applied === true)).toBe(true);
    expect(f.features.EnableOpenIDAuth).toBe(1);
  });
});

describe("Creatio's own authorize URL (anonymous)", () => {
  const expectation = (f: FakeCreatio, callbackBase = f.url) => ({
    domainHost: DOMAIN_HOST,
    clientId: CLIENT,
    callbackUrl: `${callbackBase}/ServiceModel/AuthService.svc/OpenIdCallback`,
    providerCode: CODE,
  });
  const anonymous = (f: FakeCreatio) => new CreatioClient({ http: http(), site: f.url, auth: { kind: 'anonymous' } });

  it('matches after apply, with no sign-in', async () => {
    const f = await fake({ providers: [record()], appPath: '/Demo_1' });
    const verdict = await checkCreatioAuthorize(anonymous(f), expectation(f));
    expect(verdict.findings).toEqual([]);
    expect(verdict.url).toMatch(/^https:\/\/acme-login\.auth\.eu-west-1\.amazoncognito\.com\/oauth2\/authorize\?/);
    // The path style first (for returnUrl), anonymously; then the authorize URL.
    expect(f.requests.map((r) => r.path).sort()).toEqual([
      '/Demo_1/0/api/HealthCheck/Ping',
      '/Demo_1/ServiceModel/AuthService.svc/GetOpenIdAuthorizeUrl',
      '/Demo_1/api/HealthCheck/Ping',
    ]);
    expect(f.requests.every((r) => r.headers.cookie === undefined && r.headers.authorization === undefined)).toBe(true);
    const ask = f.requests.find((r) => r.path.endsWith('/GetOpenIdAuthorizeUrl'))!;
    expect(JSON.parse(ask.body)).toEqual({ returnUrl: `${f.url}/0/`, providerCode: CODE });
    expect(f.writes()).toEqual([]);
  });

  it('a provider code Creatio does not know', async () => {
    const f = await fake();
    const verdict = await checkCreatioAuthorize(anonymous(f), expectation(f));
    expect(verdict.findings.map((x) => x.code)).toEqual(['creatio/provider-unknown']);
    expect(verdict.findings[0]!.message).toMatch(/cognito-1h57kf5c.*not found/);
    // Anonymous: neither a session nor a token went to the site.
    expect(f.requests.every((r) => r.headers.cookie === undefined && r.headers.authorization === undefined)).toBe(true);
  });

  it('a stale Url shows as a host mismatch', async () => {
    const f = await fake({ providers: [record({ Url: 'https://old-login.auth.eu-west-1.amazoncognito.com' })] });
    const verdict = await checkCreatioAuthorize(anonymous(f), expectation(f));
    expect(verdict.findings[0]).toMatchObject({
      code: 'creatio/authorize-mismatch',
      message: expect.stringMatching(/host old-login.*expected acme-login/),
    });
  });

  it('an http: redirect URI names the TLS proxy without forwarded-proto handling', async () => {
    const f = await fake({ providers: [record()], publicUrl: 'https://crm.example.org', redirectHttp: true });
    // The configuration names the public https site; the anonymous request goes to the stand-in.
    const { input, ctx } = await inputFor(f.url, {}, { fileSite: 'https://crm.example.org' });
    const http = createHttpClient({ env: ctx.env, timeoutMs: 3000 });
    open.push(http);
    const client = new CreatioClient({ http, site: f.url, auth: { kind: 'anonymous' } });
    const findings = await authorizeFindings(client, input.resolved, CODE);
    expect(findings.map((x) => x.code)).toEqual(['creatio/authorize-mismatch']);
    expect(findings[0]!.message).toMatch(/redirect_uri http:\/\/crm\.example\.org\/.*TLS proxy.*X-Forwarded-Proto/);
  });
});

describe('credentials follow their source', () => {
  it('a site only the file names: trust/unpinned-host (exit 2), nothing sent', async () => {
    const f = await fake();
    const { input, ctx } = await inputFor(f.url, { CREATIO_SSO_CREATIO_USERNAME: 'Supervisor', CREATIO_SSO_CREATIO_PASSWORD: PASSWORD });
    for (const r of [await inspectCreatioHalf(input, ctx), await applyCreatioHalf(input, ctx)]) {
      expect(r.half.status).toBe('stopped');
      expect(r.findings.map((x) => x.code)).toEqual(['trust/unpinned-host']);
      expect(r.findings[0]!.message).toContain('CREATIO_SSO_CREATIO_URL');
      expect(verdict(r.findings, { strict: false })).toBe(2);
    }
    expect(f.requests).toEqual([]);
  });

  it('no credentials: skipped, saying how to give them; nothing sent', async () => {
    const f = await fake();
    const { input, ctx } = await inputFor(f.url, { CREATIO_SSO_CREATIO_URL: f.url });
    const r = await inspectCreatioHalf(input, ctx);
    expect(r.half).toMatchObject({ status: 'skipped', items: [] });
    expect(r.half.reason).toMatch(/CREATIO_SSO_CREATIO_USERNAME.*CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID/);
    expect(r.findings).toEqual([]);
    const gap = await inputFor(f.url, { CREATIO_SSO_CREATIO_URL: f.url, CREATIO_SSO_CREATIO_USERNAME: 'Supervisor' });
    expect((await inspectCreatioHalf(gap.input, gap.ctx)).half.reason).toMatch(
      /CREATIO_SSO_CREATIO_PASSWORD is not.*--creatio-password-stdin/,
    );
    expect(f.requests).toEqual([]);
  });
});

describe('the client underneath', () => {
  const forms = (f: FakeCreatio) =>
    new CreatioClient({ http: http(), site: f.url, auth: { kind: 'forms', userName: 'Supervisor', password: PASSWORD } });

  it('an unknown column is success:false with its reason', async () => {
    const f = await fake();
    const failure = (await forms(f)
      .select('SsoOpenIdProvider', ['Id', 'Nonsense'], [], 'and', 'Do it by hand')
      .catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding.message).toMatch(/SelectQuery .*success: false \("Column by path "Nonsense" not found/);
  });

  it('OAuth without an identity URL on a non-cloud site: refused, naming the variable', () => {
    const c = connectCreatio(http(), { pinnedUrl: 'https://crm.example.org', oauthClientId: 'a', oauthClientSecret: 'b' });
    expect(c.kind).toBe('refused');
    if (c.kind === 'refused') expect(c.findings[0]!.message).toMatch(/CREATIO_SSO_CREATIO_IDENTITY_URL/);
  });

  it('the pinned site wins over the file and is announced as an override', async () => {
    const f = await fake({ features: { EnableOpenIDAuth: 1 } });
    const c = connectCreatio(http(), {
      pinnedUrl: f.url,
      fileUrl: 'https://elsewhere.example.org',
      userName: 'Supervisor',
      password: PASSWORD,
    });
    expect(c.kind).toBe('signed-in');
    if (c.kind !== 'signed-in') return;
    expect(c.overridesFile).toBe(true);
    expect(c.client.site).toBe(f.url);
    await c.client.signIn();
    expect(f.requests.some((r) => r.path.endsWith('/Login'))).toBe(true);
  });

  it('the HTTP layer itself refuses a marked request outside the base its sender pinned', async () => {
    const f = await fake();
    const refused = await http()
      .request({
        method: 'POST',
        url: `${f.identityUrl}/x`,
        body: '{}',
        credential: { kind: 'creatio-session', allowedHosts: [new URL(f.url).host] },
      })
      .catch((e: unknown) => e);
    expect(String(refused)).toMatch(/Not sending the Creatio session/);
    expect(f.requests).toEqual([]);
  });

  it('an OAuth secret is never sent to an identity URL other than the pinned one', async () => {
    const f = await fake({ oauthClients: { c: 's' } });
    // A client built by hand with an identity URL outside any pin still goes only where its pins allow:
    // the request to the site root's /connect/token is refused before it is sent.
    const client = new CreatioClient({
      http: http(),
      site: f.url,
      auth: { kind: 'oauth', clientId: 'c', clientSecret: 's', identityUrl: f.identityUrl },
    });
    await client.signIn();
    const refused = await sendCreatio(http(), { method: 'POST', url: `${f.url}/connect/token`, body: 'client_secret=s' }, 'oauth-secret', {
      site: f.url,
      identityUrl: f.identityUrl,
    }).catch((e: unknown) => e);
    expect((refused as CreatioFailure).finding.code).toBe('trust/unpinned-host');
    expect(f.requests.filter((r) => r.server === 'site')).toEqual([]);
  });

  it('Set-Cookie headers joined by the HTTP layer split on cookie names, not on dates', () => {
    expect(
      parseSetCookie('.ASPXAUTH=abc; path=/; HttpOnly, BPMCSRF=x1; expires=Thu, 01 Jan 2037 00:00:00 GMT; path=/, UserName=Supervisor'),
    ).toEqual({
      '.ASPXAUTH': 'abc',
      BPMCSRF: 'x1',
      UserName: 'Supervisor',
    });
  });
});
