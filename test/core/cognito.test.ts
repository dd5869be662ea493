import { describe, expect, it } from 'vitest';
import {
  extractUserPoolId,
  parseDomain,
  prefixDomainHost,
  regionOfUserPoolId,
  suggestedPrefixFor,
} from '../../src/core/cognito/identifiers.js';

describe('extractUserPoolId', () => {
  it.each([
    ['eu-west-1_AbCdEf123', 'eu-west-1_AbCdEf123', undefined],
    ['  eu-west-1_AbCdEf123\n', 'eu-west-1_AbCdEf123', undefined],
    ['cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', 'eu-west-1_AbCdEf123', 'eu-west-1'],
    ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', 'eu-west-1_AbCdEf123', 'eu-west-1'],
    ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/', 'eu-west-1_AbCdEf123', 'eu-west-1'],
    [
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
      'eu-west-1_AbCdEf123',
      'eu-west-1',
    ],
    ['https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_Xy9', 'us-gov-west-1_Xy9', 'us-gov-west-1'],
    ['HTTPS://COGNITO-IDP.EU-WEST-1.AMAZONAWS.COM/eu-west-1_AbCdEf123', 'eu-west-1_AbCdEf123', 'eu-west-1'],
  ])('%j → %s', (input, id, hostRegion) => {
    const r = extractUserPoolId(input);
    expect(r.userPoolId).toBe(id);
    expect(r.hostRegion).toBe(hostRegion);
  });

  it('leaves other URLs alone for the pattern check to reject', () => {
    expect(extractUserPoolId('https://example.com/eu-west-1_AbCdEf123').userPoolId).toBe('https://example.com/eu-west-1_AbCdEf123');
  });
});

describe('regionOfUserPoolId', () => {
  it.each([
    ['eu-west-1_AbCdEf123', 'eu-west-1'],
    ['us-gov-east-1_abc', 'us-gov-east-1'],
    ['nounderscore', undefined],
    ['_abc', undefined],
  ])('%s → %s', (id, region) => expect(regionOfUserPoolId(id)).toBe(region));
});

describe('parseDomain', () => {
  it.each([
    ['acme-login', 'eu-west-1', { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com' }],
    [
      'us-west-2x6guupcf1',
      'us-west-2',
      { kind: 'prefix', prefix: 'us-west-2x6guupcf1', host: 'us-west-2x6guupcf1.auth.us-west-2.amazoncognito.com' },
    ],
    ['acme', 'us-gov-west-1', { kind: 'prefix', prefix: 'acme', host: 'acme.auth-fips.us-gov-west-1.amazoncognito.com' }],
    ['auth.acme.com', 'eu-west-1', { kind: 'custom', host: 'auth.acme.com' }],
    ['Auth.Acme.COM.', 'eu-west-1', { kind: 'custom', host: 'auth.acme.com' }],
    ['https://auth.acme.com/', 'eu-west-1', { kind: 'custom', host: 'auth.acme.com' }],
    [
      'https://acme-login.auth.eu-west-1.amazoncognito.com',
      'eu-west-1',
      { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com', region: 'eu-west-1' },
    ],
    [
      'https://acme-login.auth.eu-west-1.amazoncognito.com/login?client_id=x',
      'eu-west-1',
      { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com', region: 'eu-west-1' },
    ],
    [
      'acme-login.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
      undefined,
      { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com', region: 'eu-west-1' },
    ],
    [
      'acme.auth-fips.us-gov-east-1.amazoncognito.com',
      'us-gov-east-1',
      { kind: 'prefix', prefix: 'acme', host: 'acme.auth-fips.us-gov-east-1.amazoncognito.com', region: 'us-gov-east-1' },
    ],
  ])('%j accepted', (input, region, domain) => {
    const r = parseDomain(input, region);
    expect(r.ok).toBe(true);
    expect(r.ok && r.domain).toEqual(domain);
  });

  it.each([
    ['eu-west-1_AbCdEf123', 'is-user-pool-id'],
    ['eu-west-1_abcdef123', 'is-user-pool-id'],
    ['https://eu-west-1_AbCdEf123.auth.eu-west-1.amazoncognito.com', 'is-user-pool-id'],
    ['my-aws-login', 'reserved-word'],
    ['amazonsso', 'reserved-word'],
    ['cognito-acme', 'reserved-word'],
    ['-acme', 'invalid'],
    ['acme-', 'invalid'],
    ['ac me', 'invalid'],
    ['a'.repeat(64), 'invalid'],
    ['acme!', 'invalid'],
    ['auth..acme.com', 'invalid'],
    ['10.0.0.1', 'invalid'],
    ['foo.amazoncognito.com', 'invalid'],
    ['cognito-idp.eu-west-1.amazonaws.com', 'issuer-host'],
    ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', 'issuer-host'],
  ])('%j rejected as %s', (input, problem) => {
    const r = parseDomain(input, 'eu-west-1');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toBe(problem);
  });
});

it('prefixDomainHost uses auth-fips in GovCloud only', () => {
  expect(prefixDomainHost('x', 'us-gov-west-1')).toBe('x.auth-fips.us-gov-west-1.amazoncognito.com');
  expect(prefixDomainHost('x', 'us-west-1')).toBe('x.auth.us-west-1.amazoncognito.com');
});

it('suggestedPrefixFor follows the console default (pool ID lower-cased without "_")', () => {
  expect(suggestedPrefixFor('us-west-2_X6GuUpcF1')).toBe('us-west-2x6guupcf1');
});
