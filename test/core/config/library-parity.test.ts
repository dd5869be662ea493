import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateConfig } from '../../../src/index.js';
import type { Finding } from '../../../src/core/findings.js';

/** A finding as both paths give it: positions exist only for text. */
const bare = (fs: Finding[]) =>
  fs
    .map(({ code, severity, path, message }) => ({ code, severity, path, message }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const GOOD = {
  version: 1,
  creatio: { url: 'https://acme.creatio.com', deployment: 'cloud' },
  cognito: {
    userPoolId: 'eu-west-1_AbCdEf123',
    domain: 'acme-login',
    clientId: '1h57kf5cpq17m0eml12eqe3alr',
    clientSecret: '${env:COGNITO_CLIENT_SECRET}',
  },
  provider: { displayName: 'Cognito AWS', isDefault: false },
  jit: { employees: true, externalUsers: false, claims: { phone_number: 'Contact:MobilePhone' } },
  mobile: { useSso: false },
};
const withCognito = (c: Record<string, unknown>) => ({ ...GOOD, cognito: { ...GOOD.cognito, ...c } });

describe('validateConfig gives an object the findings its text gets', () => {
  it.each([
    ['a good config', GOOD],
    ['warnings only', { ...GOOD, creatio: { url: 'https://acme.creatio.com/0/Shell/' } }],
    ['value errors', withCognito({ region: 'us-east-1', domain: 'https://evil.example\\@x.auth.eu-west-1.amazoncognito.com/' })],
    ['an unknown key next to a bad value', { ...withCognito({ clientId: 'not ok!' }), colour: 'blue' }],
    ['a missing key next to a bad value', { ...GOOD, cognito: { ...GOOD.cognito, domain: undefined, userPoolId: 'eu_west' } }],
    ['a wrong type next to a port on cloud', { ...GOOD, creatio: { url: 'https://acme.creatio.com:8443' }, mobile: { useSso: 'yes' } }],
    ['a bad provider code', { ...GOOD, provider: { code: 'has space' } }],
    ['a literal secret', withCognito({ clientSecret: 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w' })],
    ['an internationalized host', withCognito({ domain: 'auth.bücher.example' })],
    ['a list', [GOOD]],
    ['nothing', null],
  ])('%s', (_, value) => {
    const fromObject = validateConfig(value);
    for (const text of [stringify(value), JSON.stringify(value)]) {
      const fromText = validateConfig(text);
      expect(bare(fromObject.findings)).toEqual(bare(fromText.findings));
      expect(fromObject.ok).toBe(fromText.ok);
      expect(fromObject.resolved).toEqual(fromText.resolved);
    }
    expect(fromObject.findings.length > 0 || fromObject.resolved !== undefined).toBe(true);
  });

  it('checks the values of an object that broke the schema', () => {
    const r = validateConfig({ ...withCognito({ region: 'us-east-1' }), extra: 1 });
    expect(r.findings.map((f) => f.code).sort()).toEqual(['config/schema', 'region/mismatch']);
  });
});
