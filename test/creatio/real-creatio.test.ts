import { afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/core/config/checks.js';
import { desiredCreatioOf, pendingItems, planCreatio, type DesiredCreatio } from '../../src/core/creatio/provider.js';
import { ConfigSchema } from '../../src/core/config/schema.js';
import { applyCreatio } from '../../src/creatio/apply.js';
import { CreatioClient, type CreatioAuth } from '../../src/creatio/client.js';
import { checkCreatioAuthorize } from '../../src/creatio/connect.js';
import { readCreatioState } from '../../src/creatio/read.js';
import { createHttpClient } from '../../src/net/http.js';
import type { HttpClient } from '../../src/net/types.js';
import {
  exampleProvider,
  startFakeCreatio,
  type FakeCreatio,
  type FakeCreatioOptions,
  type RecordedCreatioRequest,
} from '../support/fake-creatio.js';

/**
 * The places where a real Creatio answers differently from what the client first assumed (SPEC
 * §12), each against the stand-in in its realistic default or the mode that shows it. Every test here
 * failed against the client before the fix (see the commit message).
 */
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
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

function desiredFor(site: string, providerCode?: string, mobile = true): DesiredCreatio {
  const config = ConfigSchema.parse({
    version: 1,
    creatio: { url: site, deployment: 'on-site' },
    cognito: { userPoolId: 'eu-west-1_AbCdEf123', domain: 'acme-login', clientId: CLIENT, clientSecret: '${env:SECRET}' },
    provider: { displayName: 'Cognito AWS', isDefault: false },
    mobile: { useSso: mobile },
  });
  const checked = checkConfig(config);
  expect(checked.findings).toEqual([]);
  return desiredCreatioOf(checked.resolved!, { providerCode });
}

const forms: CreatioAuth = { kind: 'forms', userName: 'Supervisor', password: PASSWORD };
const clientFor = (f: FakeCreatio, auth: CreatioAuth = forms) => new CreatioClient({ http: http(), site: f.url, auth });

async function planAndApply(f: FakeCreatio, desired: DesiredCreatio, client = clientFor(f)) {
  const plan = planCreatio(desired, await readCreatioState(client, desired));
  return { plan, result: await applyCreatio(client, desired, plan, SECRET) };
}

const dataService = (f: FakeCreatio) => f.requests.filter((r) => r.path.includes('/DataService/'));

/** Every column a request's Filters compare, at any depth. */
function filterColumns(r: RecordedCreatioRequest): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as { LeftExpression?: { ColumnPath?: string }; Items?: Record<string, unknown> };
    if (n.LeftExpression?.ColumnPath) out.push(n.LeftExpression.ColumnPath);
    Object.values(n.Items ?? {}).forEach(walk);
  };
  walk((JSON.parse(r.body || '{}') as { Filters?: unknown }).Filters);
  return out;
}

describe('1. CSRF, both generations: a header of the same name for each CSRF cookie the site issued', () => {
  it.each([
    ['only CRT_CSRF (newer sites; the default)', undefined, ['crt_csrf']],
    ['only BPMCSRF (older sites)', 'bpm', ['bpmcsrf']],
    ['both', 'both', ['crt_csrf', 'bpmcsrf']],
  ] as const)('%s: plan and apply work, every signed-in request echoes the cookie', async (_name, csrf, headers) => {
    const f = await fake(csrf ? { csrf } : {});
    const { result } = await planAndApply(f, desiredFor(f.url));
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(f.providers).toHaveLength(1);
    const signed = f.requests.filter((r) => r.headers.cookie !== undefined);
    expect(signed.length).toBeGreaterThan(3);
    for (const r of signed) {
      const cookies = Object.fromEntries(r.headers.cookie!.split('; ').map((c) => c.split('=') as [string, string]));
      for (const h of headers) expect(r.headers[h], `${h} on ${r.path}`).toBe(cookies[h.toUpperCase()]);
      for (const h of ['crt_csrf', 'bpmcsrf'].filter((x) => !(headers as readonly string[]).includes(x)))
        expect(r.headers[h]).toBeUndefined();
    }
  });

  it('a site that issued no CSRF cookie (a proxy strips it) gets no CSRF header; the refusal is creatio/api-unexpected naming the request', async () => {
    const f = await fake({ csrf: 'stripped', features: { EnableOpenIDAuth: 1 } });
    const { result } = await planAndApply(f, desiredFor(f.url)).catch((e: { finding: unknown }) => ({ result: { findings: [e.finding] } }));
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ code: 'creatio/api-unexpected' });
    expect((result.findings[0] as { message: string }).message).toMatch(
      /POST \/0\/rest\/FeatureService\/GetFeatureState .*HTTP 401.*CRT_CSRF.*BPMCSRF/,
    );
    expect(f.requests.some((r) => r.headers.crt_csrf !== undefined || r.headers.bpmcsrf !== undefined)).toBe(false);
    expect(f.writes()).toEqual([]);
  });
});

describe('2. ForceUseSession: true on sign-in and on every cookie-authenticated request', () => {
  it('the stand-in saw it on the Login and on each request that carried the session cookie', async () => {
    const f = await fake();
    await planAndApply(f, desiredFor(f.url));
    const login = f.requests.filter((r) => r.path.endsWith('/AuthService.svc/Login'));
    expect(login).toHaveLength(1);
    const signed = f.requests.filter((r) => r.headers.cookie !== undefined);
    expect(signed.length).toBeGreaterThan(3);
    for (const r of [...login, ...signed]) expect(r.headers.forceusesession, r.path).toBe('true');
  });
});

describe('3. The provider found the way Creatio finds it', () => {
  it('by code through SsoProvider, then SsoOpenIdProvider by Id; never a Code filter on the virtual entity', async () => {
    // Ours under a code Creatio gave it, with a client ID this config does not know: only the code finds it.
    const f = await fake({
      providers: [exampleProvider({ Code: 'team-sso', ClientID: 'anotherclient0000000000000', Url: 'https://old.example.org' })],
      features: { EnableOpenIDAuth: 1 },
    });
    const desired = desiredFor(f.url, 'team-sso');
    const { plan, result } = await planAndApply(f, desired);
    expect(plan.provider).toMatchObject({ kind: 'update', code: 'team-sso', id: f.providers[0]!.Id });
    expect(pendingItems(plan.items).map((i) => i.field)).toEqual(['ClientID', 'Url', 'MobileUseSSO']);
    expect(result.ok).toBe(true);
    expect(f.providers).toHaveLength(1);
    expect(f.providers[0]).toMatchObject({ Code: 'team-sso', ClientID: CLIENT, Url: `https://${DOMAIN_HOST}` });

    const onVirtual = dataService(f).filter(
      (r) => (JSON.parse(r.body) as { RootSchemaName?: string }).RootSchemaName === 'SsoOpenIdProvider',
    );
    expect(onVirtual.length).toBeGreaterThan(0);
    for (const r of onVirtual) expect(filterColumns(r)).not.toContain('Code');
    const viaSsoProvider = dataService(f).find((r) => (JSON.parse(r.body) as { RootSchemaName?: string }).RootSchemaName === 'SsoProvider');
    expect(filterColumns(viaSsoProvider!)).toEqual(['Code']);
    const update = f.writes().find((w) => w.path.endsWith('/UpdateQuery'))!;
    expect(filterColumns(update)).toEqual(['Id']);

    const again = planCreatio(desired, await readCreatioState(clientFor(f), desired));
    expect(pendingItems(again.items)).toEqual([]);
  });

  it('by client ID with a ClientID filter on the virtual entity (adopted under its own code)', async () => {
    const f = await fake({ providers: [exampleProvider({ Code: 'openid_2' })], features: { EnableOpenIDAuth: 1 } });
    const state = await readCreatioState(clientFor(f), desiredFor(f.url, 'mine'));
    expect(state.providers.map((p) => p.Code)).toEqual(['openid_2']);
    for (const r of dataService(f)) expect(filterColumns(r)).not.toContain('Name');
  });

  it('a virtual entity that answers Code empty: the code is read from SsoProvider by Id', async () => {
    const f = await fake({ providers: [exampleProvider({ Code: 'openid_3' })], virtualCodeEmpty: true, features: { EnableOpenIDAuth: 1 } });
    const state = await readCreatioState(clientFor(f), desiredFor(f.url));
    expect(state.providers.map((p) => [p.Code, p.Id])).toEqual([['openid_3', f.providers[0]!.Id]]);
    const last = dataService(f).filter((r) => r.body.includes('"RootSchemaName":"SsoProvider"'));
    expect(last.map(filterColumns)).toEqual([['Id']]);
  });

  it('the stand-in refuses a Code filter on the virtual entity as Creatio does', async () => {
    const f = await fake();
    const failure = await clientFor(f)
      .select('SsoOpenIdProvider', ['Id'], [{ column: 'Code', type: 1, value: 'x' }], 'and', 'Do it by hand')
      .catch((e: { finding: { message: string } }) => e.finding.message);
    expect(failure).toMatch(/success: false \("Column by path Code not found/);
  });
});

describe("4. GetOpenIdAuthorizeUrl's returnUrl as Creatio's login page sends it", () => {
  it.each([
    ['.NET Framework', '/0/', 'netframework'],
    ['.NET Core', '/', 'netcore'],
  ] as const)('%s: <root>%s', async (_name, tail, style) => {
    const f = await fake({ style, appPath: '/Demo_1', providers: [exampleProvider()] });
    const anonymous = new CreatioClient({ http: http(), site: f.url, auth: { kind: 'anonymous' } });
    const verdict = await checkCreatioAuthorize(anonymous, {
      domainHost: DOMAIN_HOST,
      clientId: CLIENT,
      callbackUrl: `${f.url}/ServiceModel/AuthService.svc/OpenIdCallback`,
      providerCode: 'cognito-1h57kf5c',
    });
    expect(verdict.findings).toEqual([]);
    const ask = f.requests.find((r) => r.path.endsWith('/GetOpenIdAuthorizeUrl'))!;
    expect(JSON.parse(ask.body)).toEqual({ returnUrl: `${f.url}${tail}`, providerCode: 'cognito-1h57kf5c' });
    expect(ask.headers.cookie).toBeUndefined();
  });
});

describe('5. The features cache: ClearFeaturesCacheForAllUsers/ with its trailing slash', () => {
  it('the route matches, so no note about an uncleared cache', async () => {
    const f = await fake({ providers: [exampleProvider()] });
    const { result } = await planAndApply(f, desiredFor(f.url, 'cognito-1h57kf5c', false));
    expect(result.ok).toBe(true);
    expect(f.features.EnableOpenIDAuth).toBe(1);
    expect(result.notes.join()).not.toMatch(/features cache/);
    const clear = f.requests.filter((r) => r.path.includes('ClearFeaturesCacheForAllUsers'));
    expect(clear.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /0/rest/FeatureService/ClearFeaturesCacheForAllUsers/']);
  });
});

describe('6. A system setting counts as saved only when saveResult[code] is true', () => {
  it('success: true with saveResult.MobileUseSSO: false is creatio/api-unexpected naming the setting', async () => {
    const f = await fake({ providers: [exampleProvider()], features: { EnableOpenIDAuth: 1 }, refusedSettings: ['MobileUseSSO'] });
    const { result } = await planAndApply(f, desiredFor(f.url, 'cognito-1h57kf5c'));
    expect(result.ok).toBe(false);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.code).toBe('creatio/api-unexpected');
    expect(result.findings[0]!.message).toMatch(/PostSysSettingsValues .*MobileUseSSO.*not saved/);
    expect(result.findings[0]!.message).toMatch(/System settings/);
    expect(result.items.find((i) => i.field === 'MobileUseSSO')!.applied).toBe(false);
    expect(f.sysSettings.MobileUseSSO).toBe(false);
  });
});

describe('7. A site without the CanUseSSO licence', () => {
  it.each([
    ['an insert', []],
    ['an update', [exampleProvider({ Url: 'https://old.example.org' })]],
  ])('refusing %s is creatio/not-licensed, naming the licence operation and what to do', async (_name, providers) => {
    const f = await fake({ unlicensed: true, providers, features: { EnableOpenIDAuth: 1 } });
    const { result } = await planAndApply(f, desiredFor(f.url, 'cognito-1h57kf5c'));
    expect(result.ok).toBe(false);
    expect(result.findings.map((x) => x.code)).toEqual(['creatio/not-licensed']);
    expect(result.findings[0]!.message).toMatch(/CanUseSSO/);
    expect(result.findings[0]!.message).toMatch(/licen[cs]e .*install/i);
    expect(result.findings[0]!.message).not.toContain(SECRET);
    expect(f.sysSettings.MobileUseSSO).toBe(false);
  });
});

describe('8. Runtime detection when both health pings answer 2xx', () => {
  it('the login page decides (.NET Core behind a proxy that answers both pings)', async () => {
    const f = await fake({ style: 'netcore', proxyAnswers2xx: 'ping' });
    const client = clientFor(f, { kind: 'anonymous' });
    expect(await client.pathStyle()).toBe('netcore');
    expect(client.notes).toEqual([]);
  });

  it('the login page decides (.NET Framework)', async () => {
    const f = await fake({ style: 'netframework', proxyAnswers2xx: 'ping' });
    expect(await clientFor(f, { kind: 'anonymous' }).pathStyle()).toBe('netframework');
  });

  it('both login pages answer too: a signed-in SelectQuery decides', async () => {
    const f = await fake({ style: 'netcore', proxyAnswers2xx: 'ping+login' });
    const client = clientFor(f);
    expect(await client.pathStyle()).toBe('netcore');
    expect(client.notes).toEqual([]);
    const { result } = await planAndApply(f, desiredFor(f.url));
    expect(result.ok).toBe(true);
    expect(f.providers).toHaveLength(1);
  });

  it('still undecided without credentials: the .NET Core paths, and a note saying so', async () => {
    const f = await fake({ style: 'netframework', proxyAnswers2xx: 'ping+login' });
    const client = clientFor(f, { kind: 'anonymous' });
    expect(await client.pathStyle()).toBe('netcore');
    expect(client.notes.join()).toMatch(/could not tell .*\.NET Core paths/);
  });
});
