import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConfig, checkCreatioUrl, checkDomain, checkProviderCode } from '../../src/core/config/checks.js';
import { defaultProviderCode, providerCodeOf } from '../../src/core/creatio/identifiers.js';
import type { Finding } from '../../src/core/findings.js';
import { checkHostName } from '../../src/core/hosts/names.js';
import { punycodeDecode, punycodeEncode } from '../../src/core/hosts/punycode.js';
import { ConfigSchema } from '../../src/core/config/schema.js';
import { validateConfigText } from '../../src/core/config/validate.js';
import { EXAMPLE_YAML } from '../support/cli.js';

const codes = (fs: Finding[]) => fs.map((f) => `${f.code}:${f.severity}`);

describe('host names are host names', () => {
  it.each([
    ['acme.creatio.com', 'acme.creatio.com'],
    ['ACME.Creatio.com.', 'acme.creatio.com'],
    ['localhost', 'localhost'],
    ['a-b.example', 'a-b.example'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
    // A number as a label is no IPv4 address when the name has other labels (the mapping sees the whole name).
    ['0.AA', '0.aa'],
  ])('accepts %j as %j', (raw, host) => expect(checkHostName(raw)).toEqual({ ok: true, host }));

  it.each([
    [''],
    ['-acme.example'],
    ['acme-.example'],
    ['ac_me.example'],
    ['a..b'],
    [`${'a'.repeat(64)}.example`],
    [`${'abcdefghi.'.repeat(26)}com`],
    ['evil.example\\@x'],
    ['user@auth.acme.com'],
    ['auth.acme.com:8443'],
    ['xn--zz.example'],
    // The tool's own rule for xn-- labels (SPEC §18), the same on every Node: Node 22's URL library
    // refuses these and Node 24's keeps them as written.
    ['xn--.example'],
    ['xn--a.example'],
    ['xn--abc-.example'],
    ['acme.xn--zz'],
    ['xn--bcher-kva0.example'],
  ])('refuses %j', (raw) => expect(checkHostName(raw).ok).toBe(false));

  it('reads xn-- labels by its own Punycode, the same on every Node', () => {
    expect(checkHostName('XN--BCHER-KVA.Example')).toEqual({
      ok: true,
      host: 'xn--bcher-kva.example',
      idn: { unicode: 'bücher.example', ascii: 'xn--bcher-kva.example' },
    });
    expect(checkHostName('auth.xn--wgv71a119e.example')).toEqual({
      ok: true,
      host: 'auth.xn--wgv71a119e.example',
      idn: { unicode: 'auth.日本語.example', ascii: 'auth.xn--wgv71a119e.example' },
    });
  });

  it('Punycode: RFC 3492 samples both ways, and any Unicode label round-trips', () => {
    for (const [text, code] of [
      ['bücher', 'bcher-kva'],
      ['münchen', 'mnchen-3ya'],
      ['日本語', 'wgv71a119e'],
      ['他们为什么不说中文', 'ihqwcrb4cv8a8dqg056pqjye'],
      ['Pročprostěnemluvíčesky', 'Proprostnemluvesky-uyb24dma41a'],
    ]) {
      expect(punycodeEncode(text!)).toBe(code);
      expect(punycodeDecode(code!)).toBe(text);
    }
    expect(punycodeDecode('zz')).toBeUndefined();
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (s) => punycodeDecode(punycodeEncode(s)) === s));
  });

  it('gives both forms of an internationalized name, from either form', () => {
    for (const raw of ['bücher.example', 'xn--bcher-kva.example']) {
      expect(checkHostName(raw)).toEqual({
        ok: true,
        host: 'xn--bcher-kva.example',
        idn: { unicode: 'bücher.example', ascii: 'xn--bcher-kva.example' },
      });
    }
  });
});

describe('creatio.url host rules', () => {
  it.each([
    ['https://user@acme.creatio.com', 'creatio-url/invalid:error', 'user name'],
    ['https://user:pw@acme.creatio.com', 'creatio-url/invalid:error', 'user name'],
    ['https://acme.creatio.com\\@evil.example', 'creatio-url/invalid:error', 'backslash'],
    ['https://ac_me.creatio.com', 'creatio-url/invalid:error', 'host name'],
    ['https://-acme.creatio.com', 'creatio-url/invalid:error', 'host name'],
    [`https://${'a'.repeat(64)}.creatio.com`, 'creatio-url/invalid:error', 'host name'],
    ['https://acme.creatio.com:8443', 'creatio-url/invalid:error', 'port 8443'],
  ])('%j → %s', (url, code, words) => {
    const r = checkCreatioUrl(url, 'creatio.url', 'cloud');
    expect(codes(r.findings)).toEqual([code]);
    expect(r.findings[0]!.message).toContain(words);
    expect(r.value).toBeUndefined();
  });

  it("allows the scheme's default port, and another port on-site only", () => {
    expect(codes(checkCreatioUrl('https://acme.creatio.com:443', 'creatio.url', 'cloud').findings)).toEqual([]);
    expect(checkCreatioUrl('https://crm.acme.local:8443', 'creatio.url', 'on-site')).toEqual({
      value: 'https://crm.acme.local:8443',
      findings: [],
      note: undefined,
    });
  });

  it('warns about an internationalized host, showing both forms', () => {
    const r = checkCreatioUrl('https://bücher.example', 'creatio.url', 'cloud');
    expect(codes(r.findings)).toEqual(['host/idn:warning']);
    expect(r.findings[0]!.message).toContain('bücher.example');
    expect(r.findings[0]!.message).toContain('xn--bcher-kva.example');
    expect(r.value).toBe('https://xn--bcher-kva.example');
  });
});

describe('cognito.domain host rules', () => {
  it.each([
    ['https://evil.example\\@x.auth.eu-west-1.amazoncognito.com/', 'backslash'],
    ['https://user@acme-login.auth.eu-west-1.amazoncognito.com/', 'user name'],
    ['user@auth.acme.com', 'user name'],
    ['https://auth.acme.com:8443/', 'port 8443'],
    ['auth.ac_me.com', 'host name'],
    ['auth.-acme.com', 'host name'],
    ['10.0.0.1', 'IP address'],
  ])('%j → domain/invalid', (domain, words) => {
    const r = checkDomain(domain, 'eu-west-1', 'eu-west-1_AbCdEf123');
    expect(codes(r.findings)).toEqual(['domain/invalid:error']);
    expect(r.findings[0]!.message).toContain(words);
  });

  it('the backslash attack fails the whole file, not only the field', () => {
    const text = EXAMPLE_YAML.replace('domain: acme-login', 'domain: "https://evil.example\\\\@x.auth.eu-west-1.amazoncognito.com/"');
    const v = validateConfigText(text);
    expect(v.resolved).toBeUndefined();
    expect(v.findings.map((f) => [f.code, f.path, f.line])).toEqual([['domain/invalid', 'cognito.domain', 9]]);
  });

  it('warns about an internationalized custom domain and uses its xn-- form', () => {
    const r = checkDomain('auth.bücher.example', 'eu-west-1', undefined);
    expect(codes(r.findings)).toEqual(['host/idn:warning']);
    expect(r.findings[0]!.message).toContain('auth.bücher.example');
    expect(r.value).toEqual({ kind: 'custom', host: 'auth.xn--bcher-kva.example' });
  });

  it('never crashes and never accepts a host with "@", "\\" or a space', () => {
    // Text before "/", "?" or "#" is the host; what follows them is not.
    const hostText = fc.string().filter((s) => !/[/?#]/.test(s));
    fc.assert(
      fc.property(hostText, fc.constantFrom('@', '\\', ' '), hostText, (a, bad, b) => {
        const domain = `${a}${bad}${b}.example`;
        const r = checkDomain(domain, 'eu-west-1', undefined);
        expect(r.value === undefined || !domain.trim().includes(bad)).toBe(true);
        expect(r.findings.length + (r.value ? 1 : 0)).toBeGreaterThan(0);
        const u = checkCreatioUrl(`https://${domain}`, 'creatio.url', 'cloud');
        if (`https://${domain}`.trim().includes(bad)) expect(codes(u.findings)).toContain('creatio-url/invalid:error');
      }),
    );
  });

  it('any host name checkHostName accepts has labels of 1–63 and at most 253 characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.domain(), fc.string({ unit: 'binary' })), (raw) => {
        const r = checkHostName(raw);
        if (!r.ok) return;
        expect(r.host.length).toBeLessThanOrEqual(253);
        for (const label of r.host.split('.')) expect(label).toMatch(/^(?!-)[a-z0-9-]{1,63}(?<!-)$/);
      }),
    );
  });
});

describe('provider.code', () => {
  it.each([
    ['cognito-1h57kf5c', []],
    ['A.b_c-9', []],
    ['x'.repeat(64), []],
    ['', ['provider-code/invalid:error']],
    ['x'.repeat(65), ['provider-code/invalid:error']],
    ['has space', ['provider-code/invalid:error']],
    ['ünicode', ['provider-code/invalid:error']],
  ])('%j', (code, expected) => expect(codes(checkProviderCode(code, '1h57kf5cpq17m0eml12eqe3alr').findings)).toEqual(expected));

  it('defaults to cognito- and the first 8 characters of the client ID, lower-cased', () => {
    expect(defaultProviderCode('1H57KF5Cpq17m0eml12eqe3alr')).toBe('cognito-1h57kf5c');
    const config = ConfigSchema.parse({
      version: 1,
      creatio: { url: 'https://acme.creatio.com' },
      cognito: {
        userPoolId: 'eu-west-1_AbCdEf123',
        domain: 'acme-login',
        clientId: '1h57kf5cpq17m0eml12eqe3alr',
        clientSecret: '${env:S}',
      },
    });
    expect(providerCodeOf(config)).toBe('cognito-1h57kf5c');
    expect(checkConfig(config).resolved?.providerCode).toBe('cognito-1h57kf5c');
    expect(providerCodeOf({ ...config, provider: { ...config.provider, code: 'mine' } })).toBe('mine');
  });

  it("the spec's own example validates, code included", () => {
    const text = EXAMPLE_YAML.replace(
      '  isDefault: false\n',
      '  code: cognito-1h57kf5c               # optional\n                                       # (default)\n  isDefault: false\n',
    );
    const v = validateConfigText(text);
    expect(v.findings).toEqual([]);
    expect(v.resolved?.providerCode).toBe('cognito-1h57kf5c');
  });

  it('a broken code is a finding at its line, alone', () => {
    const v = validateConfigText(EXAMPLE_YAML.replace('  isDefault: false\n', '  code: "no spaces please"\n  isDefault: false\n'));
    expect(v.findings.map((f) => [f.code, f.path, f.line, f.column])).toEqual([['provider-code/invalid', 'provider.code', 14, 9]]);
  });
});
