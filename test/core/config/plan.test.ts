import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { acceptWith, describeSchema } from '../../../src/core/config/plan.js';
import { CONFIG_PLAN } from '../../../src/core/config/plan.generated.js';
import { ConfigSchema } from '../../../src/core/config/schema.js';
import { validateConfigText } from '../../../src/core/config/validate.js';
import { quickValidateConfigText } from '../../../src/core/config/quick.js';
import { EXAMPLE_YAML } from '../../support/cli.js';

/**
 * The zod-free acceptor (`validate`'s common case) and zod agree: whatever the acceptor takes, zod takes
 * too and returns the same value, key order included; whatever zod takes, the acceptor takes.
 */
const RUNS = { numRuns: 250 };

const text = fc.oneof(fc.string(), fc.constantFrom('', 'x', 'cloud', 'on-site', 'https://a.example', '${env:X}'));
const scalar = fc.oneof(
  text,
  fc.boolean(),
  fc.constantFrom(0, 1, 2, -1, 1.5, NaN, null, undefined),
  fc.integer(),
  fc.constant([] as unknown[]),
  fc.array(text, { maxLength: 2 }),
);
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'x', 'code', 'region', '$schema', 'extra', 'Url', '1', '__proto__'));
const claims = fc.oneof(fc.dictionary(key, scalar, { maxKeys: 3 }), scalar);

/** Configs near the schema: each member valid, missing, of another type, or joined by unknown keys. */
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(fc.oneof(a, a, a, scalar), { nil: undefined, freq: 4 });
const nearConfig = fc
  .record(
    {
      $schema: maybe(text),
      version: fc.oneof(fc.constant(1), fc.constant(1), scalar),
      creatio: maybe(fc.record({ url: maybe(text), deployment: maybe(fc.constantFrom('cloud', 'on-site')) }, { requiredKeys: [] })),
      cognito: maybe(
        fc.record(
          { userPoolId: maybe(text), region: maybe(text), domain: maybe(text), clientId: maybe(text), clientSecret: maybe(text) },
          { requiredKeys: [] },
        ),
      ),
      provider: maybe(fc.record({ displayName: maybe(text), code: maybe(text), isDefault: maybe(fc.boolean()) }, { requiredKeys: [] })),
      jit: maybe(fc.record({ employees: maybe(fc.boolean()), externalUsers: maybe(fc.boolean()), claims }, { requiredKeys: [] })),
      mobile: maybe(fc.record({ useSso: maybe(fc.boolean()) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  )
  .chain((c) => fc.option(fc.dictionary(key, scalar, { maxKeys: 1 }), { nil: undefined, freq: 5 }).map((extra) => ({ ...extra, ...c })));

/** Valid configs: every optional member present or not, every value of the right type. */
const nonEmpty = fc.string({ minLength: 1 });
const validConfig = fc.record(
  {
    $schema: fc.string(),
    version: fc.constant(1),
    creatio: fc.record({ url: nonEmpty, deployment: fc.constantFrom('cloud', 'on-site') }, { requiredKeys: ['url'] }),
    cognito: fc.record(
      { userPoolId: nonEmpty, region: nonEmpty, domain: nonEmpty, clientId: nonEmpty, clientSecret: nonEmpty },
      { requiredKeys: ['userPoolId', 'domain', 'clientId', 'clientSecret'] },
    ),
    provider: fc.record({ displayName: nonEmpty, code: fc.string(), isDefault: fc.boolean() }, { requiredKeys: [] }),
    jit: fc.record(
      {
        employees: fc.boolean(),
        externalUsers: fc.boolean(),
        claims: fc.dictionary(
          nonEmpty.filter((k) => k !== '__proto__'),
          fc.string(),
          { maxKeys: 4 },
        ),
      },
      { requiredKeys: [] },
    ),
    mobile: fc.record({ useSso: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: ['version', 'creatio', 'cognito'] },
);

const hasProtoKey = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && Object.keys(v).some((k) => k === '__proto__' || hasProtoKey((v as Record<string, unknown>)[k]));

/** Same value, same key order at every level. */
function expectSameValue(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  const order = (v: unknown): unknown =>
    typeof v === 'object' && v !== null ? Object.entries(v).map(([k, x]) => [k, order(x)]) : v === undefined ? '(undefined)' : v;
  expect(order(actual)).toEqual(order(expected));
}

function expectAgreement(value: unknown): void {
  const accepted = acceptWith(CONFIG_PLAN, value);
  const zod = ConfigSchema.safeParse(value);
  if (accepted !== undefined) {
    expect(zod.success).toBe(true);
    expectSameValue(accepted, zod.data);
  } else if (!hasProtoKey(value)) {
    // Declining is only for values zod rejects (or unusual ones such as a __proto__ key, which zod would judge).
    expect(zod.success).toBe(false);
  }
}

describe('config plan', () => {
  it('is what ConfigSchema describes (run `npm run schema` after changing the schema)', () => {
    expect(CONFIG_PLAN).toEqual(describeSchema(ConfigSchema));
  });

  it('agrees with zod on values near the schema', () => {
    fc.assert(fc.property(nearConfig, expectAgreement), RUNS);
  });

  it('accepts every valid config exactly as zod returns it', () => {
    fc.assert(
      fc.property(validConfig, (value) => {
        expect(acceptWith(CONFIG_PLAN, value)).toBeDefined();
        expectAgreement(value);
      }),
      RUNS,
    );
  });

  it('agrees with zod on anything', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 3 }), expectAgreement), RUNS);
  });

  it('declines a value zod would judge itself: a __proto__ key, an object with a prototype, a getter', () => {
    const proto = JSON.parse('{"version":1,"__proto__":{"x":1}}') as unknown;
    expect(acceptWith(CONFIG_PLAN, proto)).toBeUndefined();
    expect(acceptWith(CONFIG_PLAN, new (class {})())).toBeUndefined();
    expect(acceptWith(CONFIG_PLAN, Object.defineProperty({}, 'version', { get: () => 1, enumerable: true }))).toBeUndefined();
  });

  it('gives validate the same verdict with and without zod, for valid and near-valid files', () => {
    fc.assert(
      fc.property(fc.oneof(validConfig, nearConfig), (value) => {
        const yaml = toYaml(value);
        const quick = quickValidateConfigText(yaml);
        if (quick === undefined) return;
        const full = validateConfigText(yaml);
        expect(quick.findings).toEqual(full.findings);
        expect(quick.config).toEqual(full.config);
        expect(quick.resolved).toEqual(full.resolved);
      }),
      { numRuns: 100 },
    );
    expect(quickValidateConfigText(EXAMPLE_YAML)?.findings).toEqual(validateConfigText(EXAMPLE_YAML).findings);
    expect(quickValidateConfigText(EXAMPLE_YAML)?.config).toBeDefined();
    expect(quickValidateConfigText('version: 2\n')).toBeUndefined();
  });

  it('gives doctor and generate the same verdict with and without zod when flags and variables override the file', () => {
    // What doctor and generate check (loadConfig in io/config-loader.ts): the file with the overrides applied.
    const override = fc.record({
      path: fc.constantFrom(
        ['creatio', 'url'],
        ['cognito', 'userPoolId'],
        ['cognito', 'domain'],
        ['cognito', 'clientId'],
        ['provider', 'code'],
      ),
      value: fc.oneof(
        fc.constantFrom('https://acme.creatio.com', 'eu-west-1_AbCdEf123', 'acme-login', '', 'not a url'),
        fc.string({ maxLength: 12 }),
      ),
      from: fc.constant('--flag'),
    });
    fc.assert(
      fc.property(fc.oneof(validConfig, nearConfig), fc.array(override, { maxLength: 3 }), (value, overrides) => {
        const yaml = toYaml(value);
        const quick = quickValidateConfigText(yaml, overrides);
        if (quick === undefined) return;
        const full = validateConfigText(yaml, overrides);
        expect(quick.findings).toEqual(full.findings);
        expect(quick.config).toEqual(full.config);
      }),
      { numRuns: 100 },
    );
  });
});
