import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COGNITO_REGIONS } from '../../src/core/cognito/identifiers.js';
import { checkConfig } from '../../src/core/config/checks.js';
import { ConfigSchema } from '../../src/core/config/schema.js';
import { deriveUrls } from '../../src/core/urls.js';

describe('deriveUrls', () => {
  it('derives every URL for a prefix domain and a Creatio site', () => {
    expect(
      deriveUrls({
        userPoolId: 'us-west-2_X6GuUpcF1',
        region: 'us-west-2',
        domainHost: 'us-west-2x6guupcf1.auth.us-west-2.amazoncognito.com',
        creatioUrl: 'https://crm.example.org/Demo_1',
      }),
    ).toEqual({
      providerUrl: 'https://us-west-2x6guupcf1.auth.us-west-2.amazoncognito.com',
      discoveryUrl: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_X6GuUpcF1/.well-known/openid-configuration',
      endSessionEndpoint:
        'https://us-west-2x6guupcf1.auth.us-west-2.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
      issuer: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_X6GuUpcF1',
      jwksUri: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_X6GuUpcF1/.well-known/jwks.json',
      callbackUrl: 'https://crm.example.org/Demo_1/ServiceModel/AuthService.svc/OpenIdCallback',
      signOutUrl: 'https://crm.example.org/Demo_1/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
    });
  });

  it('keeps issuer and JWKS on cognito-idp for a custom domain', () => {
    const u = deriveUrls({ userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'auth.acme.com' });
    expect(u.providerUrl).toBe('https://auth.acme.com');
    expect(u.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
    expect(u).not.toHaveProperty('callbackUrl');
  });
});

const alnum = fc.stringMatching(/^[0-9a-zA-Z]{9}$/);
const region = fc.constantFrom(...COGNITO_REGIONS);
// Valid prefixes: no reserved word, and no `xn--` form (a valid one is a rare draw; an invalid one is refused).
const prefix = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
  .filter((p) => !/aws|amazon|cognito/.test(p) && !p.startsWith('xn--'));
const customHost = fc.domain().filter((h) => h.includes('.') && !h.endsWith('amazoncognito.com') && !/^cognito-idp\./.test(h));
const creatioUrl = fc
  .tuple(fc.domain(), fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/), { nil: undefined }))
  .map(([h, app]) => `https://${h}${app ? `/${app}` : ''}`);

describe('properties', () => {
  it('a config built from valid parts yields no errors, and every derived URL parses as https', () => {
    fc.assert(
      fc.property(
        region,
        alnum,
        fc.oneof(prefix, customHost),
        fc.stringMatching(/^[0-9a-z]{26}$/),
        creatioUrl,
        fc.boolean(),
        (r, id, domain, clientId, url, withRegion) => {
          const config = ConfigSchema.parse({
            version: 1,
            creatio: { url },
            cognito: { userPoolId: `${r}_${id}`, ...(withRegion ? { region: r } : {}), domain, clientId, clientSecret: '${env:S}' },
          });
          const { findings, resolved } = checkConfig(config);
          expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
          for (const u of Object.values(resolved!.urls)) expect(new URL(u).protocol).toBe('https:');
          expect(resolved!.urls.endSessionEndpoint).toContain('client_id={client_id}&logout_uri={redirect_uri}&state={state}');
          expect(resolved!.urls.callbackUrl.startsWith(`${resolved!.creatioUrl}/ServiceModel/`)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('deriveUrls never throws and its URLs parse, whatever the strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.domain(), (pool, r, host) => {
        const u = deriveUrls({ userPoolId: encodeURIComponent(pool), region: r.replace(/[^a-z0-9-]/g, '') || 'x', domainHost: host });
        for (const v of Object.values(u)) expect(() => new URL(v)).not.toThrow();
      }),
    );
  });
});
