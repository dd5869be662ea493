import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { checkConfig } from '../../../src/core/config/checks.js';
import { COGNITO_REGIONS, extractUserPoolId, parseDomain, prefixDomainHost } from '../../../src/core/cognito/identifiers.js';
import { parseConfigText } from '../../../src/core/config/file.js';
import { decodeConfigBytes } from '../../../src/core/config/bytes.js';
import { nestingExceedsAt } from '../../../src/core/config/nesting.js';
import { normalizeCreatioUrl } from '../../../src/core/creatio/identifiers.js';
import { FINDING_CODES, hasErrors, type Finding } from '../../../src/core/findings.js';
import { ConfigSchema } from '../../../src/core/config/schema.js';
import { validateConfigText } from '../../../src/core/config/validate.js';
import { EXAMPLE_YAML } from '../../support/cli.js';

/**
 * Properties of the parsers and normalizers: whatever the input, they return a verdict, never an
 * exception; and where a value is well formed, they keep or recover it exactly.
 */
const RUNS = { numRuns: 300 };

/** A verdict a report can print: known codes, a one-line message, a position inside the text. */
function expectWellFormed(findings: Finding[], text: string): void {
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const f of findings) {
    expect(Object.keys(FINDING_CODES)).toContain(f.code);
    expect(['error', 'warning', 'info']).toContain(f.severity);
    expect(f.message.length).toBeGreaterThan(0);
    expect(f.message).not.toMatch(/[\r\n]/);
    expect(Number.isInteger(f.line) && f.line! >= 1 && f.line! <= lines + 1).toBe(true);
    expect(Number.isInteger(f.column) && f.column! >= 1).toBe(true);
  }
}

/** validateConfigText's contract: a config only when the file matched the schema; resolved values only without errors. */
function expectVerdict(text: string): void {
  const v = validateConfigText(text);
  expectWellFormed(v.findings, text);
  const fileProblems = v.findings.some((f) => f.code === 'config/parse' || f.code === 'config/schema');
  expect(v.config === undefined).toBe(fileProblems);
  if (v.config) expect(v.resolved === undefined).toBe(hasErrors(v.findings));
}

// Edits a hand, an editor or a bad merge make to a config file.
const HOSTILE_SNIPPETS = [
  '[',
  ']',
  '{',
  '}',
  ':',
  ': ',
  '- ',
  '? ',
  '&a ',
  '*a',
  '!!str ',
  '!!binary ',
  '|',
  '>-',
  '"',
  "'",
  '#',
  '\t',
  '\r\n',
  '\r',
  '\ufeff',
  '\u0000',
  '\\',
  '%',
  '---\n',
  '...\n',
  '<<: *a\n',
  '__proto__: 1\n',
  'version: 2\n',
  '${env:X}',
  '\u2028',
  '\ud800',
];
const edit = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...HOSTILE_SNIPPETS), fc.string({ maxLength: 8, unit: 'binary' })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 6 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  const line = (n: number) => n % Math.max(1, lines.length);
  switch (e.kind) {
    case 'insert': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'delete': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + e.length);
    }
    case 'duplicate-line':
      lines.splice(line(e.at), 0, lines[line(e.at)]!);
      return lines.join('\n');
    case 'swap-lines': {
      const [a, b] = [line(e.at), line(e.with)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'indent': {
      const i = line(e.at);
      lines[i] = e.by >= 0 ? ' '.repeat(e.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-e.by}}`), '');
      return lines.join('\n');
    }
  }
}

const EXAMPLE_JSON = JSON.stringify(validateConfigText(EXAMPLE_YAML).config, null, 2);

describe('parseConfigText and validateConfigText', () => {
  it('give a verdict for valid configs mangled by random edits (YAML and JSON)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(EXAMPLE_YAML, EXAMPLE_JSON, EXAMPLE_YAML.replace(/\n/g, '\r\n')),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        (base, edits) => {
          expectVerdict(edits.reduce(apply, base));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('give a verdict for any text at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expectVerdict(text);
      }),
      RUNS,
    );
  });

  it('give a verdict for text made of YAML syntax', () => {
    const token = fc.constantFrom(...HOSTILE_SNIPPETS, 'a', 'version', '1', ' ', '\n', '  ', 'creatio', 'cognito', 'url', ',');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 120 }), (tokens) => {
        expectVerdict(tokens.join(''));
      }),
      { numRuns: 1000 },
    );
  });

  it('give a verdict for any bytes, through the decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const decoded = decodeConfigBytes(bytes);
        if (decoded.text === undefined) expectWellFormed([decoded.finding!], '');
        else expectVerdict(decoded.text);
      }),
      RUNS,
    );
  });

  it('read any config value back as it was written, whether in YAML or JSON', () => {
    const text = fc.string({ minLength: 1, maxLength: 40 });
    const config = fc.record({
      version: fc.constant(1),
      creatio: fc.record({ url: text, deployment: fc.constantFrom('cloud', 'on-site') }),
      cognito: fc.record(
        { userPoolId: text, domain: text, clientId: text, clientSecret: text },
        { requiredKeys: ['userPoolId', 'domain', 'clientId', 'clientSecret'] },
      ),
      jit: fc.record({
        employees: fc.boolean(),
        externalUsers: fc.boolean(),
        claims: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), text, { maxKeys: 3 }),
      }),
    });
    fc.assert(
      fc.property(config, (c) => {
        const expected = ConfigSchema.parse(c);
        for (const written of [toYaml(c), JSON.stringify(c, null, 2)]) {
          const parsed = parseConfigText(written);
          expect(parsed.findings).toEqual([]);
          expect(parsed.config).toEqual(expected);
        }
      }),
      RUNS,
    );
  });
});

describe('nestingExceedsAt', () => {
  const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
  const nested = fc.jsonValue({ maxDepth: 12 });

  it('counts JSON nesting exactly, whatever the strings hold', () => {
    fc.assert(
      fc.property(nested, (v) => {
        const d = depthOf(v);
        for (const json of [JSON.stringify(v), JSON.stringify(v, null, 2)]) {
          // A line is one block level, so the least limit that can pass anything is 1.
          expect(nestingExceedsAt(json, Math.max(1, d))).toBeUndefined();
          if (d > 1) expect(nestingExceedsAt(json, d - 1)).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never takes YAML of a shallow value for deep nesting', () => {
    fc.assert(
      fc.property(nested, fc.constantFrom('block', 'flow'), (v, style) => {
        const yaml = toYaml(v, { collectionStyle: style });
        expect(nestingExceedsAt(yaml, 2 * depthOf(v) + 2)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('finds nesting a third deeper than the limit in any style', () => {
    // One level per element of `levels`, 100 to 300 deep: a list where it is true, a map where false.
    const chain = (levels: boolean[]): unknown => levels.reduceRight<unknown>((inner, list) => (list ? [inner] : { k: inner }), 'leaf');
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 100, maxLength: 300 }), fc.constantFrom('block', 'flow', 'json'), (levels, style) => {
        const v = chain(levels);
        const text = style === 'json' ? JSON.stringify(v) : toYaml(v, { collectionStyle: style as 'block' | 'flow' });
        expect(nestingExceedsAt(text, 64)).toBeDefined();
      }),
      { numRuns: 60 },
    );
  });
});

describe('normalizeCreatioUrl', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => void normalizeCreatioUrl(s)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (s) => void normalizeCreatioUrl(s)),
      RUNS,
    );
  });

  it('reduces a site address with a page, query or fragment to a root that stays as it is', () => {
    const page = fc.constantFrom(
      '',
      '/',
      '/0/Shell/#Section/Contact',
      '/Login/NuiLogin.aspx?ReturnUrl=%2f0',
      '/0/',
      '?a=1',
      '#x',
      '/ServiceModel/AuthService.svc/OpenIdCallback',
    );
    const appPath = fc.constantFrom('', '/Demo_1', '/crm/site');
    fc.assert(
      fc.property(fc.domain(), appPath, page, (host, app, rest) => {
        const r = normalizeCreatioUrl(`https://${host}${app}${rest}`);
        if (!r.ok) return;
        expect(r.url).toBe(`https://${new URL(`https://${host}`).host}${app}`);
        const again = normalizeCreatioUrl(r.url);
        expect(again).toEqual({ ok: true, url: r.url, secure: true, removed: [] });
      }),
      RUNS,
    );
  });
});

const region = fc.constantFrom(...COGNITO_REGIONS);
const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9a-zA-Z]{${min},${max}}$`));

describe('extractUserPoolId', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => void extractUserPoolId(s)),
      RUNS,
    );
  });

  it('finds the pool ID in the ID itself, the issuer host path, and any issuer URL', () => {
    fc.assert(
      fc.property(
        region,
        alnum(9, 9),
        fc.constantFrom('', '/.well-known/openid-configuration', '/.well-known/jwks.json', '?x=1'),
        (r, id, tail) => {
          const userPoolId = `${r}_${id}`;
          expect(extractUserPoolId(` ${userPoolId} `)).toEqual({ userPoolId });
          for (const pasted of [
            `cognito-idp.${r}.amazonaws.com/${userPoolId}${tail}`,
            `https://cognito-idp.${r}.amazonaws.com/${userPoolId}${tail}`,
          ]) {
            expect(extractUserPoolId(pasted)).toMatchObject({ userPoolId, hostRegion: r });
          }
        },
      ),
      RUNS,
    );
  });
});

describe('parseDomain', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.option(region, { nil: undefined }), (s, r) => void parseDomain(s, r)),
      RUNS,
    );
  });

  const prefix = fc
    .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
    // No `xn--` form: an invalid one is refused (test/core/checks.test.ts), a valid one is a rare draw.
    .filter((p) => !['aws', 'amazon', 'cognito'].some((w) => p.includes(w)) && !p.startsWith('xn--'));

  it('reads a prefix, its hosted UI host and a pasted hosted UI URL as the same domain', () => {
    fc.assert(
      fc.property(prefix, region, (p, r) => {
        const host = prefixDomainHost(p, r);
        expect(parseDomain(p, r)).toEqual({ ok: true, domain: { kind: 'prefix', prefix: p, host } });
        for (const pasted of [host, `https://${host}/login?client_id=x`]) {
          const d = parseDomain(pasted, r);
          expect(d.ok && d.domain).toEqual({ kind: 'prefix', prefix: p, host, region: r });
        }
      }),
      RUNS,
    );
  });

  it('keeps a custom domain as its host name, lower-cased', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(
          host.includes('.') &&
            !host.endsWith('amazoncognito.com') &&
            !/^cognito-idp/.test(host) &&
            !/\.\d+$/.test(host) &&
            !host.split('.')[0]!.includes('_'),
        );
        const d = parseDomain(host.toUpperCase(), 'eu-west-1');
        expect(d).toEqual({ ok: true, domain: { kind: 'custom', host: host.toLowerCase() } });
      }),
      RUNS,
    );
  });
});

describe('checkConfig', () => {
  it('never throws, and resolves values exactly when it finds no error', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.webUrl(),
      fc.domain(),
      fc.constantFrom('eu-west-1_AbCdEf123', 'eu-west-1', '${env:S}', 'acme-login', '1h57kf5cpq17m0eml12eqe3alr'),
    );
    const config = fc.record({
      version: fc.constant(1 as const),
      creatio: fc.record({ url: anyText, deployment: fc.constantFrom('cloud' as const, 'on-site' as const) }),
      cognito: fc.record({
        userPoolId: anyText,
        region: fc.option(anyText, { nil: undefined }),
        domain: anyText,
        clientId: anyText,
        clientSecret: anyText,
      }),
      provider: fc.record({ displayName: anyText, isDefault: fc.boolean() }),
      jit: fc.record({ employees: fc.boolean(), externalUsers: fc.boolean(), claims: fc.dictionary(anyText, anyText, { maxKeys: 3 }) }),
      mobile: fc.record({ useSso: fc.boolean() }),
    });
    fc.assert(
      fc.property(config, (c) => {
        const r = checkConfig(c);
        for (const f of r.findings) expect(Object.keys(FINDING_CODES)).toContain(f.code);
        expect(r.resolved === undefined).toBe(hasErrors(r.findings));
      }),
      { numRuns: 1000 },
    );
  });
});
