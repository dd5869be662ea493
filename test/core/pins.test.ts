import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePins, pinFor, type PinEntry } from '../../src/core/pins.js';

/** §17's CREATIO_SSO_PINS: the parser (pure) and how a config finds its entry. */
describe('parsePins', () => {
  it('reads every field of §17', () => {
    const entries = [
      {
        userPoolId: 'eu-west-1_AbC',
        creatioUrl: 'https://acme.creatio.com',
        domain: 'login.acme.com',
        clientId: 'abc',
        clientSecretEnv: 'ACME_SECRET',
        creatioCredentials: { usernameEnv: 'ACME_USER', passwordEnv: 'ACME_PASSWORD' },
      },
      {
        userPoolId: 'eu-west-1_Def',
        creatioCredentials: { oauthClientIdEnv: 'ID', oauthClientSecretEnv: 'SECRET', identityUrl: 'https://acme-is.creatio.com' },
      },
    ];
    expect(parsePins(JSON.stringify(entries))).toEqual({ ok: true, entries: entries.map((e, index) => ({ index, ...e })) });
    // Values are read trimmed, as the flags are.
    expect(parsePins('[{"userPoolId":" eu-west-1_AbC "}]')).toEqual({ ok: true, entries: [{ index: 0, userPoolId: 'eu-west-1_AbC' }] });
  });

  it.each([
    [undefined, true],
    ['', true],
    ['  ', true],
  ])('unset or empty (%j) is no pins', (text, ok) => {
    expect(parsePins(text)).toEqual({ ok, entries: [] });
  });

  it.each([
    ['{', 'CREATIO_SSO_PINS is not JSON'],
    ['{}', 'must be a JSON list'],
    ['[1]', 'CREATIO_SSO_PINS[0] must be an object'],
    ['[{}]', 'CREATIO_SSO_PINS[0].userPoolId must be given as a non-empty string'],
    ['[{"userPoolId":"a"},{"userPoolId":7}]', 'CREATIO_SSO_PINS[1].userPoolId must be'],
    ['[{"userPoolId":"a","secret":"x"}]', 'CREATIO_SSO_PINS[0] has a field that is not one of'],
    [
      '[{"userPoolId":"a","clientSecretEnv":"not a name"}]',
      'CREATIO_SSO_PINS[0].clientSecretEnv must be the name of an environment variable',
    ],
    ['[{"userPoolId":"a","creatioCredentials":{"usernameEnv":"U"}}]', 'CREATIO_SSO_PINS[0].creatioCredentials.passwordEnv must be given'],
    [
      '[{"userPoolId":"a","creatioCredentials":{"oauthClientIdEnv":"I","oauthClientSecretEnv":"S","identityUrl":"ftp://x"}}]',
      'creatioCredentials.identityUrl must be an http(s) URL',
    ],
    ['[{"userPoolId":"a"},{"userPoolId":"a"}]', 'CREATIO_SSO_PINS[1] pins the same pool as CREATIO_SSO_PINS[0]'],
  ])('%s: a problem naming the entry and field', (text, said) => {
    const r = parsePins(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(said);
  });

  it('any input: a result, never a throw; a problem never repeats a string value or a field name it was given', () => {
    const marker = fc.stringMatching(/^[A-Za-z0-9+/]{24,40}$/);
    const value = (m: string) =>
      fc.oneof(fc.constant(m), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([m]), fc.constant({ [m]: m }));
    const entry = (m: string) =>
      fc.dictionary(
        fc.oneof(
          fc.constantFrom('userPoolId', 'creatioUrl', 'domain', 'clientId', 'clientSecretEnv', 'creatioCredentials'),
          fc.constant(m),
        ),
        fc.oneof(
          value(m),
          fc.dictionary(
            fc.constantFrom('usernameEnv', 'passwordEnv', 'oauthClientIdEnv', 'oauthClientSecretEnv', 'identityUrl', m),
            value(m),
          ),
        ),
      );
    fc.assert(
      fc.property(
        marker.chain((m) =>
          fc.tuple(
            fc.constant(m),
            fc.oneof(
              fc.array(entry(m), { maxLength: 4 }).map((a) => JSON.stringify(a)),
              fc.string(),
              fc.json(),
            ),
          ),
        ),
        ([m, text]) => {
          const r = parsePins(text);
          if (!r.ok) {
            expect(r.problem).not.toContain(m);
            expect(r.problem).toMatch(/^CREATIO_SSO_PINS/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('pinFor', () => {
  const entries: PinEntry[] = [
    { index: 0, userPoolId: 'eu-west-1_A' },
    { index: 1, userPoolId: 'eu-west-1_B', creatioUrl: 'https://b-dev.creatio.com' },
    { index: 2, userPoolId: 'eu-west-1_B', creatioUrl: 'https://b-prod.creatio.com/' },
  ];
  it.each([
    [{ userPoolId: 'eu-west-1_A', creatioUrl: 'https://any.creatio.com' }, 0],
    [{ userPoolId: 'eu-west-1_B', creatioUrl: 'https://B-PROD.creatio.com' }, 2],
    [{ userPoolId: 'eu-west-1_B', creatioUrl: 'https://b-dev.creatio.com/' }, 1],
    [{ userPoolId: 'eu-west-1_B', creatioUrl: 'https://b-test.creatio.com' }, undefined],
    [{ userPoolId: 'eu-west-1_B' }, undefined],
    [{ userPoolId: 'eu-west-1_C' }, undefined],
    [{}, undefined],
  ])('%j → entry %s', (config, index) => {
    expect(pinFor(entries, config)?.index).toBe(index);
  });
});
