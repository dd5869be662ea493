import { afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/core/checks.js';
import { desiredCreatioOf, pendingItems, planCreatio, type DesiredCreatio } from '../../src/core/creatio-provider.js';
import { ConfigSchema } from '../../src/core/schema.js';
import { applyCreatio } from '../../src/creatio/apply.js';
import { CreatioClient, CreatioFailure, parseSetCookie, type CreatioAuth } from '../../src/creatio/client.js';
import { checkCreatioAuthorize, connectCreatio } from '../../src/creatio/connect.js';
import { readCreatioState } from '../../src/creatio/read.js';
import { createHttpClient } from '../../src/net/http.js';
import type { HttpClient } from '../../src/net/types.js';
import { COGNITO_TEMPLATE, startFakeCreatio, type FakeCreatio, type FakeCreatioOptions } from '../support/fake-creatio.js';
import { closedPort } from '../support/net.js';

const CLIENT = '1h57kf5cpq17m0eml12ehqrq5t';
const SECRET = 'Zq3vKp8sWm2xLr7tYh4nBc6dFg9jQa1eUo5iTy0wRz8kMnXb2v';
const PASSWORD = 'Supervisor!1';
const DOMAIN_HOST = 'acme-login.auth.eu-west-1.amazoncognito.com';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function fake(options: FakeCreatioOptions = {}): Promise<FakeCreatio> {
  const f = await startFakeCreatio(options);
  open.push(f);
  return f;
}

function http(): HttpClient {
  const h = createHttpClient({ env: { CREATIO_SSO_TEST: '1' }, timeoutMs: 5000 });
  open.push(h);
  return h;
}

function desiredFor(
  site: string,
  over: { deployment?: 'cloud' | 'on-site'; isDefault?: boolean; mobile?: boolean } = {},
  providerCode?: string,
): DesiredCreatio {
  const config = ConfigSchema.parse({
    version: 1,
    creatio: { url: site, deployment: over.deployment ?? 'on-site' },
    cognito: { userPoolId: 'eu-west-1_AbCdEf123', domain: 'acme-login', clientId: CLIENT, clientSecret: '${env:SECRET}' },
    provider: { displayName: 'Cognito AWS', isDefault: over.isDefault ?? false },
    mobile: { useSso: over.mobile ?? false },
  });
  const checked = checkConfig(config);
  expect(checked.findings).toEqual([]);
  return desiredCreatioOf(checked.resolved!, { providerCode });
}

const forms = (password = PASSWORD): CreatioAuth => ({ kind: 'forms', userName: 'Supervisor', password });
const clientFor = (f: FakeCreatio, auth: CreatioAuth = forms()) => new CreatioClient({ http: http(), site: f.url, auth });

async function planFor(client: CreatioClient, desired: DesiredCreatio) {
  return planCreatio(desired, await readCreatioState(client, desired));
}

const stale = (over: Record<string, unknown> = {}) => ({
  Code: 'cognito-1h57kf5c',
  Name: 'Cognito AWS',
  SsoSettingsTemplate: COGNITO_TEMPLATE,
  ClientID: CLIENT,
  Url: 'https://old-login.auth.eu-west-1.amazoncognito.com',
  DiscoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
  EndSessionEndpointUrl: `https://${DOMAIN_HOST}/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}`,
  IsDefault: false,
  ...over,
});

describe('apply against an empty Creatio', () => {
  it.each([
    ['.NET Framework, application path', { style: 'netframework', appPath: '/Demo_1' }, '/Demo_1/0/DataService/json/SyncReply/InsertQuery'],
    ['.NET Core', { style: 'netcore' }, '/DataService/json/SyncReply/InsertQuery'],
  ] as const)('%s: plan = insert; apply; a second plan has nothing pending', async (_name, options, insertPath) => {
    const f = await fake({ ...options });
    const desired = desiredFor(f.url, { isDefault: true, mobile: true });
    const client = clientFor(f);
    const plan = await planFor(client, desired);
    expect(plan.provider).toEqual({ kind: 'insert', code: 'cognito-1h57kf5c' });
    expect(pendingItems(plan.items).map((i) => i.field)).toEqual([
      'EnableOpenIDAuth',
      'Code',
      'Name',
      'SsoSettingsTemplate',
      'ClientID',
      'Url',
      'DiscoveryUrl',
      'EndSessionEndpointUrl',
      'ClientSecret',
      'IsDefault',
      'MobileUseSSO',
    ]);

    const result = await applyCreatio(client, desired, plan, SECRET);
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([]);
    expect(result.insertedCode).toBe('cognito-1h57kf5c');
    // The provider.code line is not a note to copy: the apply command writes it into the config (§13).
    expect(result.notes.filter((n) => n.includes('provider.code'))).toEqual([]);
    expect(pendingItems(result.items).every((i) => i.applied === true)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);

    // What Creatio holds now, and what was sent on the wire (§12's shapes).
    expect(f.features.EnableOpenIDAuth).toBe(1);
    expect(f.sysSettings.MobileUseSSO).toBe(true);
    expect(f.providers).toHaveLength(1);
    expect(f.providers[0]).toMatchObject({
      Code: 'cognito-1h57kf5c',
      ClientSecret: SECRET,
      Url: `https://${DOMAIN_HOST}`,
      IsDefault: true,
    });
    const insert = f.requests.find((r) => r.path === insertPath)!;
    const items = JSON.parse(insert.body).ColumnValues.Items;
    expect(items.ClientSecret).toEqual({ ExpressionType: 2, Parameter: { DataValueType: 24, Value: SECRET } });
    expect(items.SsoSettingsTemplate.Parameter).toEqual({ DataValueType: 10, Value: COGNITO_TEMPLATE });
    expect(items.IsDefault.Parameter).toEqual({ DataValueType: 12, Value: true });
    expect(insert.headers.crt_csrf).toMatch(/^[0-9a-f]+$/);
    expect(f.requests.filter((r) => r.path.endsWith('/Login'))).toHaveLength(1);
    expect(f.requests.filter((r) => r.path.endsWith('/HealthCheck/Ping'))).toHaveLength(2);

    const again = await planFor(clientFor(f), { ...desired, providerCode: 'cognito-1h57kf5c' });
    expect(pendingItems(again.items)).toEqual([]);
    expect(again.items.find((i) => i.field === 'ClientSecret')).toMatchObject({ action: 'same', to: '(cannot be compared)' });
  });
});

describe('plan and apply against a populated Creatio', () => {
  it('a provider with a stale Url is updated, that field only, by Id', async () => {
    const f = await fake({ providers: [stale()], features: { EnableOpenIDAuth: 1 } });
    const desired = desiredFor(f.url);
    const client = clientFor(f);
    const plan = await planFor(client, desired);
    expect(pendingItems(plan.items)).toEqual([
      {
        resource: 'SsoOpenIdProvider',
        field: 'Url',
        action: 'change',
        from: 'https://old-login.auth.eu-west-1.amazoncognito.com',
        to: `https://${DOMAIN_HOST}`,
      },
    ]);
    const result = await applyCreatio(client, desired, plan, SECRET);
    expect(result.ok).toBe(true);
    expect(f.writes().map((w) => w.path)).toEqual(['/0/DataService/json/SyncReply/UpdateQuery']);
    const body = JSON.parse(f.writes()[0]!.body);
    expect(Object.keys(body.ColumnValues.Items)).toEqual(['Url']);
    expect(body.Filters.Items.byId0.RightExpression.Parameter).toEqual({ DataValueType: 0, Value: f.providers[0]!.Id });
    expect(f.providers[0]!.Url).toBe(`https://${DOMAIN_HOST}`);
    expect(f.providers[0]!.ClientSecret).toBeUndefined();
  });

  it('two candidate providers: an error naming both codes, and nothing written', async () => {
    const f = await fake({ providers: [stale({ Code: 'team-a' }), stale({ Code: 'team-b' })] });
    const desired = desiredFor(f.url);
    const client = clientFor(f);
    const plan = await planFor(client, desired);
    expect(plan.findings.map((x) => x.code)).toEqual(['creatio/ambiguous-provider']);
    expect(plan.findings[0]!.message).toMatch(/team-a, team-b/);
    const result = await applyCreatio(client, desired, plan, SECRET);
    expect(result.ok).toBe(false);
    expect(result.findings.map((x) => x.code)).toEqual(['creatio/ambiguous-provider']);
    expect(f.writes()).toEqual([]);
  });

  it('a provider found by ClientID under a code Creatio chose is adopted, and its code suggested', async () => {
    const f = await fake({ providers: [stale({ Code: 'openid_2', Url: `https://${DOMAIN_HOST}` })], features: { EnableOpenIDAuth: 1 } });
    const plan = await planFor(clientFor(f), desiredFor(f.url, {}, 'mine'));
    expect(plan.provider).toMatchObject({ kind: 'update', code: 'openid_2', adopted: true });
    expect(plan.notes.join()).toMatch(/provider\.code: openid_2/);
    expect(pendingItems(plan.items)).toEqual([]);
  });

  it('a provider that only shares the Name is left alone: a new one is inserted', async () => {
    const f = await fake({
      providers: [stale({ Code: 'theirs', ClientID: 'someoneelse000000000000000' })],
      features: { EnableOpenIDAuth: 1 },
    });
    const desired = desiredFor(f.url);
    const client = clientFor(f);
    const plan = await planFor(client, desired);
    expect(plan.provider.kind).toBe('insert');
    await applyCreatio(client, desired, plan, SECRET);
    expect(f.providers.map((p) => p.Code)).toEqual(['theirs', 'cognito-1h57kf5c']);
    expect(f.providers[0]!.Url).toBe('https://old-login.auth.eu-west-1.amazoncognito.com');
  });
});

describe('sign-in', () => {
  it("a wrong password is creatio/sign-in-failed with Creatio's reason, and never the password", async () => {
    const f = await fake();
    const client = clientFor(f, forms('wrong-password-123'));
    const failure = await readCreatioState(client, desiredFor(f.url)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CreatioFailure);
    const { finding } = failure as CreatioFailure;
    expect(finding.code).toBe('creatio/sign-in-failed');
    expect(finding.message).toMatch(/Supervisor.*AuthService\.svc\/Login.*Invalid username or password/);
    expect(finding.message).not.toContain('wrong-password-123');
  });

  it('the stand-in refuses a session without the CSRF header, and the client says so', async () => {
    const f = await fake();
    await clientFor(f).signIn();
    const login = f.requests.find((r) => r.path.endsWith('/Login'))!;
    expect(login.body).toBe(JSON.stringify({ UserName: 'Supervisor', UserPassword: PASSWORD }));
    // A site (or proxy) that drops the CSRF cookie: the client cannot echo it, Creatio answers 401.
    const g = await fake({ csrf: 'stripped', features: { EnableOpenIDAuth: 1 } });
    const failure = (await readCreatioState(clientFor(g), desiredFor(g.url)).catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding.code).toBe('creatio/api-unexpected');
    expect(failure.finding.message).toMatch(/GetFeatureState on .* answered HTTP 401; the sign-in issued no CSRF cookie/);
    expect(g.requests.at(-1)!.headers.bpmcsrf).toBeUndefined();
    expect(g.requests.at(-1)!.headers.crt_csrf).toBeUndefined();
  });

  it.each([
    ['BPMCSRF', 'bpm'],
    ['CRT_CSRF', 'crt'],
  ] as const)('the stand-in itself: cookies without the %s header (or with another value) get 401', async (csrfName, csrf) => {
    const f = await fake({ features: { EnableOpenIDAuth: 1 }, csrf });
    const login = await fetch(`${f.url}/ServiceModel/AuthService.svc/Login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ UserName: 'Supervisor', UserPassword: PASSWORD }),
    });
    expect(await login.json()).toMatchObject({ Code: 0 });
    const cookies = parseSetCookie(login.headers.getSetCookie().join(', '));
    expect(Object.keys(cookies).sort()).toEqual(['.ASPXAUTH', csrfName, 'BPMLOADER', 'UserName'].sort());
    const cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const ask = (headers: Record<string, string>) =>
      fetch(`${f.url}/0/rest/FeatureService/GetFeatureState`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"code":"EnableOpenIDAuth"}',
      });
    expect((await ask({ cookie })).status).toBe(401);
    expect((await ask({ cookie, [csrfName]: 'forged' })).status).toBe(401);
    expect((await ask({ [csrfName]: cookies[csrfName]! })).status).toBe(401);
    const other = csrfName === 'BPMCSRF' ? 'CRT_CSRF' : 'BPMCSRF';
    expect((await ask({ cookie, [other]: cookies[csrfName]! })).status).toBe(401);
    const ok = await ask({ cookie, [csrfName]: cookies[csrfName]! });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ FeatureState: 1 });
    expect(
      (
        await fetch(`${f.url}/DataService/json/SyncReply/SelectQuery`, {
          method: 'POST',
          headers: { cookie, [csrfName]: cookies[csrfName]! },
          body: '{}',
        })
      ).status,
    ).toBe(404);
  });

  it('OAuth client credentials: the secret goes to the identity service only, then Bearer', async () => {
    const f = await fake({ oauthClients: { 'tool-client': 'oauth-secret-value-123' }, features: { EnableOpenIDAuth: 1 } });
    const client = clientFor(f, {
      kind: 'oauth',
      clientId: 'tool-client',
      clientSecret: 'oauth-secret-value-123',
      identityUrl: f.identityUrl,
    });
    const state = await readCreatioState(client, desiredFor(f.url));
    expect(state).toEqual({ featureEnabled: true, providers: [], mobileUseSso: false });
    const token = f.requests.filter((r) => r.server === 'identity');
    expect(token.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /connect/token']);
    expect(new URLSearchParams(token[0]!.body).get('grant_type')).toBe('client_credentials');
    const site = f.requests.filter((r) => r.server === 'site');
    expect(site.every((r) => !r.body.includes('oauth-secret-value-123'))).toBe(true);
    expect(site.filter((r) => r.path.includes('DataService')).every((r) => /^Bearer /.test(r.headers.authorization ?? ''))).toBe(true);
  });

  it('a wrong OAuth secret is creatio/sign-in-failed without the secret', async () => {
    const f = await fake({ oauthClients: { 'tool-client': 'right' } });
    const client = clientFor(f, {
      kind: 'oauth',
      clientId: 'tool-client',
      clientSecret: 'wrong-oauth-secret-9',
      identityUrl: f.identityUrl,
    });
    const failure = (await client.signIn().catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding).toMatchObject({ code: 'creatio/sign-in-failed', message: expect.stringMatching(/invalid_client/) });
    expect(failure.finding.message).not.toContain('wrong-oauth-secret-9');
  });

  it('a site that does not answer is creatio/unreachable', async () => {
    const port = await closedPort();
    const client = new CreatioClient({ http: http(), site: `http://127.0.0.1:${port}`, auth: forms() });
    const failure = (await client.pathStyle().catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding.code).toBe('creatio/unreachable');
  });
});

describe('unexpected answers stop the half and say what was applied', () => {
  it('a 404 on InsertQuery after the feature was switched on', async () => {
    const f = await fake({ broken: { InsertQuery: 404 } });
    const desired = desiredFor(f.url, { mobile: true });
    const client = clientFor(f);
    const result = await applyCreatio(client, desired, await planFor(client, desired), SECRET);
    expect(result.ok).toBe(false);
    expect(result.findings).toHaveLength(1);
    const [failure] = result.findings;
    expect(failure!.code).toBe('creatio/api-unexpected');
    expect(failure!.message).toMatch(/POST \/0\/DataService\/json\/SyncReply\/InsertQuery .*HTTP 404/);
    expect(failure!.message).toMatch(/System Designer → Single Sign On configuration.*SETUP\.md/);
    expect(failure!.message).toMatch(
      /Applied before it: Feature\.EnableOpenIDAuth\. Not applied: SsoOpenIdProvider\.Code, .*SysSettings\.MobileUseSSO/,
    );
    expect(failure!.message).not.toContain(SECRET);
    expect(result.items.find((i) => i.field === 'EnableOpenIDAuth')!.applied).toBe(true);
    expect(result.items.find((i) => i.field === 'MobileUseSSO')!.applied).toBe(false);
    expect(f.sysSettings.MobileUseSSO).toBe(false);
  });

  it('a refusal that echoes the request never shows the client secret', async () => {
    const f = await fake({ broken: { InsertQuery: 'echo' }, features: { EnableOpenIDAuth: 1 } });
    const desired = desiredFor(f.url);
    const client = clientFor(f);
    const result = await applyCreatio(client, desired, await planFor(client, desired), SECRET);
    expect(result.findings[0]!.message).toMatch(/InsertQuery .*success: false \("Could not save /);
    expect(result.findings[0]!.message).not.toContain(SECRET.slice(0, 8));
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(
      f
        .writes()
        .map((w) => w.body)
        .join(),
    ).toContain(SECRET);
  });

  it('HTML where JSON was expected', async () => {
    const f = await fake({ broken: { SelectQuery: 'html' }, features: { EnableOpenIDAuth: 1 } });
    const failure = (await readCreatioState(clientFor(f), desiredFor(f.url)).catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding).toMatchObject({ code: 'creatio/api-unexpected', message: expect.stringMatching(/SelectQuery .*HTML page/) });
  });

  it('an unknown column is success:false with its reason', async () => {
    const f = await fake();
    const client = clientFor(f);
    const failure = (await client
      .select('SsoOpenIdProvider', ['Id', 'Nonsense'], [], 'and', 'Do it by hand')
      .catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding.message).toMatch(/SelectQuery .*success: false \("Column by path "Nonsense" not found/);
  });

  it('a site with neither path style', async () => {
    const f = await fake({ broken: { Ping: 404 } });
    const failure = (await clientFor(f)
      .pathStyle()
      .catch((e: unknown) => e)) as CreatioFailure;
    expect(failure.finding).toMatchObject({ code: 'creatio/api-unexpected', message: expect.stringMatching(/HealthCheck\/Ping/) });
  });

  it('a clear-cache 404 is a note, not a failure', async () => {
    const f = await fake({ broken: { ClearFeaturesCacheForAllUsers: 404 }, providers: [stale({ Url: `https://${DOMAIN_HOST}` })] });
    const desired = desiredFor(f.url);
    const client = clientFor(f);
    const result = await applyCreatio(client, desired, await planFor(client, desired), SECRET);
    expect(result.ok).toBe(true);
    expect(result.notes.join()).toMatch(/features cache/);
    expect(f.features.EnableOpenIDAuth).toBe(1);
  });
});

describe("Creatio's own authorize URL (anonymous)", () => {
  const expectation = (f: FakeCreatio, callbackBase = f.url) => ({
    domainHost: DOMAIN_HOST,
    clientId: CLIENT,
    callbackUrl: `${callbackBase}/ServiceModel/AuthService.svc/OpenIdCallback`,
    providerCode: 'cognito-1h57kf5c',
  });
  const anonymous = (f: FakeCreatio) => new CreatioClient({ http: http(), site: f.url, auth: { kind: 'anonymous' } });

  it('matches after apply, with no sign-in', async () => {
    const f = await fake({ providers: [stale({ Url: `https://${DOMAIN_HOST}` })], appPath: '/Demo_1' });
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
    expect(JSON.parse(ask.body)).toEqual({ returnUrl: `${f.url}/0/`, providerCode: 'cognito-1h57kf5c' });
  });

  it('an http: redirect URI is named: a TLS proxy without forwarded-proto handling', async () => {
    const f = await fake({
      providers: [stale({ Url: `https://${DOMAIN_HOST}` })],
      publicUrl: 'https://crm.example.org',
      redirectHttp: true,
    });
    const verdict = await checkCreatioAuthorize(anonymous(f), expectation(f, 'https://crm.example.org'));
    expect(verdict.findings).toHaveLength(1);
    expect(verdict.findings[0]).toMatchObject({
      code: 'creatio/authorize-mismatch',
      message: expect.stringMatching(/redirect_uri http:\/\/crm\.example\.org.*TLS proxy/),
    });
  });

  it('a provider code Creatio does not know', async () => {
    const f = await fake();
    const verdict = await checkCreatioAuthorize(anonymous(f), expectation(f));
    expect(verdict.findings.map((x) => x.code)).toEqual(['creatio/provider-unknown']);
    expect(verdict.findings[0]!.message).toMatch(/cognito-1h57kf5c.*not found/);
  });

  it('a stale Url shows as a host mismatch', async () => {
    const f = await fake({ providers: [stale()] });
    const verdict = await checkCreatioAuthorize(anonymous(f), expectation(f));
    expect(verdict.findings[0]).toMatchObject({
      code: 'creatio/authorize-mismatch',
      message: expect.stringMatching(/host old-login.*expected acme-login/),
    });
  });
});

describe('credentials follow their source', () => {
  it('no pinned site: trust/unpinned-host, nothing sent', async () => {
    const f = await fake();
    const c = connectCreatio(http(), { fileUrl: f.url, userName: 'Supervisor', password: PASSWORD });
    expect(c.kind).toBe('refused');
    if (c.kind === 'refused')
      expect(c.findings[0]).toMatchObject({ code: 'trust/unpinned-host', message: expect.stringMatching(/CREATIO_SSO_CREATIO_URL/) });
    expect(f.requests).toEqual([]);
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

  it('no credentials at all: the half is skipped, saying how to give them', () => {
    const c = connectCreatio(http(), { pinnedUrl: 'https://acme.creatio.com' });
    expect(c).toMatchObject({ kind: 'no-credentials', reason: expect.stringMatching(/CREATIO_SSO_CREATIO_USERNAME/) });
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
    const { sendCreatio } = await import('../../src/creatio/client.js');
    const refused = await sendCreatio(http(), { method: 'POST', url: `${f.url}/connect/token`, body: 'client_secret=s' }, 'oauth-secret', {
      site: f.url,
      identityUrl: f.identityUrl,
    }).catch((e: unknown) => e);
    expect((refused as CreatioFailure).finding.code).toBe('trust/unpinned-host');
    expect(f.requests.filter((r) => r.server === 'site')).toEqual([]);
  });
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
