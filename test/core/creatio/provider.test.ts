import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSetCookie } from '../../../src/creatio/client.js';
import { toProviderRecord } from '../../../src/creatio/read.js';
import { defaultProviderCode } from '../../../src/core/creatio/identifiers.js';
import { judgeAuthorizeAnswer, type AuthorizeExpectation } from '../../../src/core/creatio/authorize.js';
import {
  checkCreatioState,
  identifyProvider,
  pendingItems,
  planCreatio,
  providerDrift,
  type DesiredCreatio,
  type ProviderRecord,
} from '../../../src/core/creatio/provider.js';
import { credentialRefusal, pinCreatioSite, pinIdentityService } from '../../../src/core/creatio/trust.js';
import { FINDING_CODES } from '../../../src/core/findings.js';

const TEMPLATE = 'd48ff378-0271-49dc-8285-c1a430834b31';
const CLIENT = '1h57kf5cpq17m0eml12ehqrq5t';

const desired = (over: Partial<DesiredCreatio> = {}): DesiredCreatio => ({
  deployment: 'cloud',
  clientId: CLIENT,
  fields: {
    Name: 'Cognito AWS',
    SsoSettingsTemplate: TEMPLATE,
    ClientID: CLIENT,
    Url: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
    DiscoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
    EndSessionEndpointUrl:
      'https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
  },
  isDefault: false,
  mobileUseSso: false,
  jit: { employees: false, externalUsers: false },
  writeSecret: false,
  ...over,
});

const record = (over: Partial<ProviderRecord> = {}): ProviderRecord => ({
  Id: '11111111-1111-1111-1111-111111111111',
  Code: 'cognito-1h57kf5c',
  ...desired().fields,
  IsDefault: false,
  ...over,
});

describe('pinning Creatio credentials (§10)', () => {
  it.each([
    // pinned, file, ok, site, overridesFile
    [undefined, 'https://acme.creatio.com', false, undefined, undefined],
    ['', 'https://acme.creatio.com', false, undefined, undefined],
    ['https://acme.creatio.com', 'https://acme.creatio.com', true, 'https://acme.creatio.com', false],
    ['https://acme.creatio.com/', 'https://acme.creatio.com', true, 'https://acme.creatio.com', false],
    ['https://other.creatio.com', 'https://acme.creatio.com', true, 'https://other.creatio.com', true],
    ['https://crm.example.org/Demo_1/0/Shell/', 'https://crm.example.org/Demo_1', true, 'https://crm.example.org/Demo_1', false],
    // A bare host name gets https:// like every Creatio URL (§7): still the site the user named.
    ['acme.creatio.com', undefined, true, 'https://acme.creatio.com', false],
    ['acme', undefined, false, undefined, undefined],
  ])('site pinned %s, file %s → ok %s', (pinned, file, ok, site, overrides) => {
    const r = pinCreatioSite(pinned, file);
    expect(r.ok).toBe(ok);
    if (r.ok) expect([r.site, r.overridesFile]).toEqual([site, overrides]);
    else {
      expect(r.finding.code).toBe('trust/unpinned-host');
      expect(r.finding.message).toMatch(/CREATIO_SSO_CREATIO_URL/);
    }
  });

  it.each([
    ['https://acme.creatio.com', undefined, 'https://acme-is.creatio.com'],
    ['https://ACME.creatio.com', undefined, 'https://acme-is.creatio.com'],
    ['https://acme.creatio.com', 'https://id.example.org/', 'https://id.example.org'],
    ['https://crm.example.org', 'http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['https://crm.example.org', undefined, undefined],
    ['https://acme.creatio.com/Demo_1', undefined, undefined],
    ['https://acme.creatio.com.evil.org', undefined, undefined],
    ['https://crm.example.org', 'not a url', undefined],
    ['https://crm.example.org', 'http://id.example.org', undefined],
    ['https://crm.example.org', 'https://user:pw@id.example.org', undefined],
  ])('identity for %s with %s → %s', (site, env, want) => {
    const r = pinIdentityService(site, env);
    if (want === undefined) {
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.finding).toMatchObject({
          code: 'trust/unpinned-host',
          message: expect.stringMatching(/CREATIO_SSO_CREATIO_IDENTITY_URL/),
        });
    } else expect(r).toEqual({ ok: true, identityUrl: want });
  });

  const pins = { site: 'https://crm.example.org/Demo_1', identityUrl: 'https://id.example.org' };
  it.each([
    ['https://crm.example.org/Demo_1/ServiceModel/AuthService.svc/Login', 'password', true],
    ['https://crm.example.org/Demo_1', 'session', true],
    ['https://crm.example.org/Demo_10/x', 'session', false],
    ['https://crm.example.org/other', 'session', false],
    ['https://evil.example.org/Demo_1/x', 'password', false],
    ['https://id.example.org/connect/token', 'oauth-secret', true],
    ['https://crm.example.org/Demo_1/connect/token', 'oauth-secret', false],
    ['https://id.example.org/connect/token', 'bearer', false],
    ['https://anything.example/x', 'none', true],
    ['http://crm.example.org/Demo_1/x', 'session', false],
  ] as const)('%s carrying %s → allowed %s', (url, credential, allowed) => {
    expect(credentialRefusal(url, credential, pins) === undefined).toBe(allowed);
  });

  it('http is fine on loopback (the stand-ins)', () => {
    expect(credentialRefusal('http://127.0.0.1:8080/0/x', 'session', { site: 'http://127.0.0.1:8080' })).toBeUndefined();
  });
});

describe('which record is ours', () => {
  it.each([
    ['no code, one by ClientID', undefined, [record({ Code: 'openid_3' })], 'found:openid_3'],
    ['code matches', 'mine', [record({ Code: 'mine' }), record({ Code: 'x', ClientID: 'other' })], 'found:mine'],
    ['nothing', undefined, [], `none:${defaultProviderCode(CLIENT)}`],
    ['nothing, code given', 'mine', [], 'none:mine'],
    ['same Name is no match', undefined, [record({ Code: 'theirs', ClientID: 'other' })], `none:cognito-1h57kf5c`],
    ['two by ClientID', undefined, [record({ Code: 'a' }), record({ Code: 'b' })], 'ambiguous'],
    ['code missing, found by ClientID', 'mine', [record({ Code: 'openid_1' })], 'found:openid_1'],
  ])('%s', (_name, providerCode, rows, want) => {
    const m = identifyProvider(rows, { providerCode, clientId: CLIENT });
    const got = m.kind === 'found' ? `found:${m.record.Code}` : m.kind === 'none' ? `none:${m.code}` : 'ambiguous';
    expect(got).toBe(want);
    if (m.kind === 'ambiguous') expect(m.finding.message).toMatch(/codes a, b/);
  });

  it('default code: cognito- and the first 8 of the client ID, lower case', () => {
    expect(defaultProviderCode('1H57KF5Cpq17')).toBe('cognito-1h57kf5c');
  });
});

describe('the Creatio half of the plan', () => {
  const line = (i: { field: string; action: string; from?: unknown; to?: unknown }) =>
    `${i.action} ${i.field}${i.from !== undefined ? ` ${String(i.from)} →` : ''}${i.to !== undefined ? ` ${String(i.to)}` : ''}`;

  it('empty Creatio on-site: feature, insert field by field, secret as (set), MobileUseSSO, JIT manual', () => {
    const plan = planCreatio(desired({ deployment: 'on-site', mobileUseSso: true }), {
      providers: [],
      mobileUseSso: false,
      featureEnabled: false,
    });
    expect(plan.provider).toEqual({ kind: 'insert', code: 'cognito-1h57kf5c' });
    expect(plan.items.map(line)).toEqual([
      'change EnableOpenIDAuth false → true',
      'add Code cognito-1h57kf5c',
      'add Name Cognito AWS',
      `add SsoSettingsTemplate ${TEMPLATE}`,
      `add ClientID ${CLIENT}`,
      'add Url https://acme-login.auth.eu-west-1.amazoncognito.com',
      `add DiscoveryUrl ${desired().fields.DiscoveryUrl}`,
      `add EndSessionEndpointUrl ${desired().fields.EndSessionEndpointUrl}`,
      'add ClientSecret (set)',
      'add IsDefault false',
      'change MobileUseSSO false → true',
      'manual JIT',
    ]);
    expect(plan.items.at(-1)!.how).toMatch(/System Designer → Single Sign On configuration → "Cognito AWS"/);
    expect(plan.notes.join()).toMatch(/provider\.code: cognito-1h57kf5c/);
  });

  it('a stale Url is one change; the secret cannot be compared; cloud has no feature item', () => {
    const plan = planCreatio(desired(), { providers: [record({ Url: 'https://old.example.org' })], mobileUseSso: false });
    expect(pendingItems(plan.items).map(line)).toEqual([
      'change Url https://old.example.org → https://acme-login.auth.eu-west-1.amazoncognito.com',
    ]);
    expect(plan.items.find((i) => i.field === 'ClientSecret')).toMatchObject({
      action: 'same',
      to: '(cannot be compared)',
      how: expect.stringMatching(/--write-secret/),
    });
    expect(plan.items.some((i) => i.field === 'EnableOpenIDAuth')).toBe(false);
  });

  it('--write-secret writes it; IsDefault and the template compare (GUID case ignored)', () => {
    const plan = planCreatio(desired({ writeSecret: true, isDefault: true }), {
      providers: [record({ SsoSettingsTemplate: TEMPLATE.toUpperCase() })],
      mobileUseSso: false,
    });
    expect(pendingItems(plan.items).map(line)).toEqual(['change ClientSecret (written)', 'change IsDefault false → true']);
  });

  it('two candidates stop the half with nothing to apply', () => {
    const plan = planCreatio(desired(), { providers: [record({ Code: 'a' }), record({ Code: 'b' })], mobileUseSso: false });
    expect(plan.items).toEqual([]);
    expect(plan.provider.kind).toBe('stopped');
    expect(plan.findings.map((f) => f.code)).toEqual(['creatio/ambiguous-provider']);
  });

  it('an adopted record suggests its code', () => {
    const plan = planCreatio(desired({ providerCode: 'mine' }), { providers: [record({ Code: 'openid_1' })], mobileUseSso: false });
    expect(plan.provider).toMatchObject({ kind: 'update', code: 'openid_1', adopted: true });
    expect(plan.notes.join()).toMatch(/no provider with the code mine.*provider\.code: openid_1/);
  });

  it('drift names each field and both values, never the secret', () => {
    const f = providerDrift(record({ Url: 'https://old.example.org', Name: 'Old' }), desired());
    expect(f?.code).toBe('creatio/drift');
    expect(f?.message).toMatch(/Name is Old \(config: Cognito AWS\); Url is https:\/\/old\.example\.org \(config: https:\/\/acme-login/);
    expect(providerDrift(record(), desired())).toBeUndefined();
    expect(
      checkCreatioState(desired({ deployment: 'on-site' }), { providers: [], mobileUseSso: false, featureEnabled: false }).map(
        (x) => x.code,
      ),
    ).toEqual(['creatio/feature-off', 'creatio/provider-unknown']);
  });
});

describe("judging Creatio's authorize URL", () => {
  const expectation: AuthorizeExpectation = {
    domainHost: 'acme-login.auth.eu-west-1.amazoncognito.com',
    clientId: CLIENT,
    callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
    providerCode: 'cognito-1h57kf5c',
  };
  const urlWith = (over: Record<string, string> = {}, base = 'https://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/authorize') =>
    `${base}?${new URLSearchParams({ client_id: CLIENT, redirect_uri: expectation.callbackUrl, response_type: 'code', scope: 'openid profile email phone', state: 's', ...over })}`;
  const judge = (body: string, status = 200, contentType = 'application/json') =>
    judgeAuthorizeAnswer({ status, body, contentType }, expectation);

  it('a matching URL passes', () => {
    expect(judge(JSON.stringify(urlWith()))).toEqual({ findings: [], url: urlWith() });
  });

  it.each([
    ['host', urlWith({}, 'https://other.auth.eu-west-1.amazoncognito.com/oauth2/authorize'), /host other\.auth.*expected acme-login/],
    [
      'path',
      urlWith({}, 'https://acme-login.auth.eu-west-1.amazoncognito.com/authorize'),
      /path \/authorize, expected \/oauth2\/authorize/,
    ],
    ['client_id', urlWith({ client_id: 'x' }), /client_id x, expected 1h57/],
    [
      'redirect_uri (TLS proxy)',
      urlWith({ redirect_uri: 'http://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback' }),
      /redirect_uri http:.*TLS proxy/,
    ],
    [
      'redirect_uri',
      urlWith({ redirect_uri: 'https://acme.creatio.com/Other' }),
      /redirect_uri https:\/\/acme\.creatio\.com\/Other, expected/,
    ],
    ['scope', urlWith({ scope: 'openid aws.cognito.signin.user.admin' }), /scope openid aws\.cognito\.signin\.user\.admin/],
  ])('%s mismatch is named with both values', (_f, url, message) => {
    const v = judge(JSON.stringify(url));
    expect(v.findings).toHaveLength(1);
    expect(v.findings[0]).toMatchObject({ code: 'creatio/authorize-mismatch', message: expect.stringMatching(message) });
  });

  it('an http redirect that is not the https callback is a plain mismatch', () => {
    const v = judge(JSON.stringify(urlWith({ redirect_uri: 'http://other.example.org/cb' })));
    expect(v.findings[0]!.message).not.toMatch(/TLS proxy/);
  });

  it.each([
    ['{"Message":"SSO provider not found"}', 500, 'creatio/provider-unknown'],
    ['<html>Login</html>', 200, 'creatio/api-unexpected'],
    ['Not Found', 404, 'creatio/api-unexpected'],
    ['{"a":1}', 200, 'creatio/api-unexpected'],
    ['"not a url"', 200, 'creatio/api-unexpected'],
    [JSON.stringify(urlWith()), 500, 'creatio/api-unexpected'],
  ])('%s (%d) → %s', (body, status, code) => {
    const v = judge(body, status);
    expect(v.findings.map((f) => f.code)).toEqual([code]);
    expect(v.findings[0]!.message).toMatch(/GetOpenIdAuthorizeUrl|does not know/);
  });
});

describe('finding catalogue', () => {
  it.each([
    ['trust/unpinned-host', 'error'],
    ['creatio/unreachable', 'error'],
    ['creatio/sign-in-failed', 'error'],
    ['creatio/api-unexpected', 'error'],
    ['creatio/authorize-mismatch', 'error'],
    ['creatio/provider-unknown', 'error'],
    ['creatio/ambiguous-provider', 'error'],
    ['creatio/drift', 'error'],
    ['creatio/feature-off', 'error'],
    ['creatio/not-licensed', 'error'],
  ] as const)('%s is a %s', (code, severity) => {
    expect(FINDING_CODES[code].severity).toBe(severity);
  });
});

describe('parsers never crash on hostile answers', () => {
  const expectation: AuthorizeExpectation = {
    domainHost: 'acme-login.auth.eu-west-1.amazoncognito.com',
    clientId: CLIENT,
    callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
    providerCode: 'p',
  };
  const body = fc.oneof(
    fc.string(),
    fc.json(),
    fc.webUrl({ withQueryParameters: true }).map((u) => JSON.stringify(u)),
    fc.string().map((m) => JSON.stringify({ Message: m })),
  );

  it('the authorize judge gives findings with known codes, never a throw', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 100, max: 599 }), fc.option(fc.string(), { nil: undefined }), (b, status, contentType) => {
        const v = judgeAuthorizeAnswer({ status, body: b, contentType }, expectation);
        for (const f of v.findings) expect(FINDING_CODES[f.code]).toBeDefined();
        if (v.findings.length === 0) expect(v.url).toBeDefined();
      }),
    );
  });

  it('Set-Cookie parsing and row reading accept anything', () => {
    fc.assert(
      fc.property(fc.string(), (h) => {
        for (const [k, v] of Object.entries(parseSetCookie(h))) expect(typeof k === 'string' && typeof v === 'string').toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (row) => {
        const r = toProviderRecord(row);
        expect(typeof r.Id).toBe('string');
        expect(typeof r.Code).toBe('string');
      }),
    );
  });

  it('lookups read as {value, displayValue} or a plain GUID', () => {
    expect(
      toProviderRecord({ Id: 'i', Code: 'c', SsoSettingsTemplate: { value: TEMPLATE, displayValue: 'Cognito AWS' } }).SsoSettingsTemplate,
    ).toBe(TEMPLATE);
    expect(toProviderRecord({ Id: 'i', Code: 'c', SsoSettingsTemplate: TEMPLATE }).SsoSettingsTemplate).toBe(TEMPLATE);
    expect(toProviderRecord({ Id: 'i', Code: 'c', SsoSettingsTemplate: null }).SsoSettingsTemplate).toBeUndefined();
  });
});
