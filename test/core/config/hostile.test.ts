import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/file.js';
import { decodeConfigBytes, MAX_CONFIG_BYTES } from '../../../src/core/config/bytes.js';
import { nestingExceedsAt } from '../../../src/core/config/nesting.js';
import { FINDING_CODES, type Finding } from '../../../src/core/findings.js';
import { validateConfigText } from '../../../src/core/config/validate.js';
import { loadConfig } from '../../../src/io/config-loader.js';
import { readConfigText } from '../../../src/io/config-read.js';
import { EXAMPLE_YAML, runCli, tempDir } from '../../support/cli.js';

/**
 * Input meant to break the checker: every case must end in findings (a verdict), never in an
 * exception, a hang or a blown heap. In process against the core and the loader, then once through
 * the built CLI with all of them at once.
 */
const codes = (findings: Finding[]) => findings.map((f) => f.code);
const only = (findings: Finding[]) => {
  expect(findings).toHaveLength(1);
  return findings[0]!;
};

describe('hostile text', () => {
  it('gives an empty file, blank lines or comments alone a finding at 1:1', () => {
    for (const text of ['', '   \n\n\t\n', '# only a comment\n', '\ufeff', '---\n', '~\n']) {
      const f = only(validateConfigText(text).findings);
      expect([f.code, f.line, f.column]).toEqual(['config/schema', 1, 1]);
      expect(f.message).toContain('The file is empty');
    }
  });

  it('says a top-level list or scalar must be a mapping', () => {
    for (const [text, kind] of [
      ['- version: 1\n- creatio: {}\n', 'a list'],
      ['just words\n', 'text'],
      ['42\n', 'a number'],
      ['[]', 'a list'],
    ] as const) {
      const f = only(validateConfigText(text).findings);
      expect(f.code).toBe('config/schema');
      expect(f.message).toBe(
        `The file must be a mapping of keys (version: 1, creatio:, cognito:), not ${kind}. Start from examples/creatio-sso.yaml.`,
      );
    }
  });

  it('accepts a BOM, CRLF and lone CR line ends, and keeps line numbers right', () => {
    const bad = EXAMPLE_YAML.replace('region: eu-west-1 ', 'region: us-east-1 ');
    for (const text of [`\ufeff${bad}`, bad.replace(/\n/g, '\r\n'), bad.replace(/\n/g, '\r'), `\ufeff${bad.replace(/\n/g, '\r\n')}`]) {
      expect(validateConfigText(text).findings.map((f) => [f.code, f.line, f.column])).toEqual([['region/mismatch', 8, 11]]);
    }
  });

  it('stops an alias bomb with a finding that names aliases', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const f = only(parseConfigText(`version: 1\n${lines.join('\n')}\n`).findings);
    expect(f.code).toBe('config/parse');
    expect(f.message).toContain('expands YAML aliases (*name) too often');
  });

  it('does not loop on aliases that refer to themselves', () => {
    const self = EXAMPLE_YAML.replace(
      '  claims:                              # OpenIdFieldNameMap rows\n    phone_number: Contact:MobilePhone\n',
      '  claims: &c\n    self: *c\n',
    );
    expect(codes(validateConfigText(self).findings)).toEqual(['config/schema']);
    expect(codes(validateConfigText('a: &a [*a]\n').findings)).toContain('config/schema');
  });

  it.each([
    ['flow sequences', '['.repeat(10_000) + ']'.repeat(10_000), 1, 65],
    ['flow mappings', '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000), 1, 257],
    ['JSON objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), 1, 321],
    ['compact sequences', '- '.repeat(10_000) + 'x', 1, 129],
    ['unclosed brackets', '['.repeat(30_000), 1, 65],
    ['brackets with quoted closers', '[ "]" '.repeat(10_000), 1, 385],
  ])('rejects 10,000-deep nesting (%s) before the parser recurses, at the place it gets too deep', (_, text, line, column) => {
    const f = only(parseConfigText(text).findings);
    expect([f.code, f.line, f.column]).toEqual(['config/parse', line, column]);
    expect(f.message).toBe('The file nests deeper than 64 levels; a config file is two or three levels deep.');
  });

  it('rejects deep block nesting by indentation', () => {
    let text = '';
    for (let i = 0; i < 200; i++) text += `${' '.repeat(i)}a:\n`;
    const f = only(parseConfigText(text).findings);
    expect([f.code, f.line]).toEqual(['config/parse', 65]);
  });

  it('finds nesting that hides after a block scalar, where the scalar ends', () => {
    const text = `version: 1\nnote: |\n    text\n  ${'['.repeat(1000)}\n`;
    const f = only(parseConfigText(text).findings);
    expect([f.code, f.line]).toEqual(['config/parse', 4]);
    expect(nestingExceedsAt(text, 64)).toBe(text.indexOf('[') + 64);
  });

  it('does not mistake brackets in strings, comments or block scalars for nesting', () => {
    const brackets = '['.repeat(100);
    const text = EXAMPLE_YAML.replace('Cognito AWS', `"${brackets}"  # ${brackets}`).replace(
      'mobile:\n',
      `notes: |\n  ${brackets}\n  ${'{'.repeat(100)}\nmobile:\n`,
    );
    expect(nestingExceedsAt(text, 64)).toBeUndefined();
    // The parser then reads it, and only the unknown key is wrong.
    expect(codes(validateConfigText(text).findings)).toEqual(['config/schema']);
  });

  it('refuses text over the size limit without parsing it, including a multi-megabyte string', () => {
    const huge = `version: 1\ncreatio:\n  url: "https://${'a'.repeat(3 * 1024 * 1024)}.com"\n`;
    const f = only(parseConfigText(huge).findings);
    expect([f.code, f.line, f.column]).toEqual(['config/parse', 1, 1]);
    expect(f.message).toContain(`a config file is at most ${MAX_CONFIG_BYTES}`);
  });

  it('reports a __proto__ key as unknown, at its line, and pollutes nothing', () => {
    const nested = EXAMPLE_YAML.replace('  clientId:', '  __proto__: {polluted: true}\n  clientId:');
    expect(validateConfigText(nested).findings.map((f) => [f.code, f.path, f.line, f.column])).toEqual([
      ['config/schema', 'cognito.__proto__', 10, 3],
    ]);
    const json = '{\n  "version": 1,\n  "__proto__": {"polluted": true},\n  "constructor": {"prototype": {"polluted": true}}\n}';
    const found = validateConfigText(json).findings;
    expect(found.filter((f) => f.message.startsWith('Unknown key')).map((f) => [f.path, f.line, f.column])).toEqual([
      ['__proto__', 3, 3],
      ['constructor', 4, 3],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('shows keys with line breaks or terminal escapes on one line, so they cannot forge report lines', () => {
    const json = '{"version": 1, "versio\\n  1:1     error  forged": 1, "jit": {"claims": {"a\\u001b[2Jb": 5}}}';
    const messages = validateConfigText(json).findings.map((f) => f.message);
    expect(messages).toContain(
      'Unknown key "versio\\u000a  1:1     error  forged". Remove it; the top level takes version, creatio, cognito, provider, jit, mobile.',
    );
    expect(messages).toContain('jit.claims.a\\u001b[2Jb must be text, not a number.');
    for (const m of messages) expect(m).not.toMatch(/[\n\x1b]/);
  });

  it('stops after ten syntax errors on garbage', () => {
    const findings = parseConfigText(']'.repeat(60_000)).findings;
    expect(findings).toHaveLength(10);
    expect(new Set(codes(findings))).toEqual(new Set(['config/parse']));
  });

  it('names duplicate keys, tabs and several documents, at their lines', () => {
    const dup = EXAMPLE_YAML.replace('  deployment: cloud', '  deployment: cloud\n  deployment: on-site');
    expect(parseConfigText(dup).findings.map((f) => [f.line, f.message])).toEqual([
      [6, 'Not valid YAML/JSON: a key appears twice in the same mapping. Keep one of them.'],
    ]);
    const tab = EXAMPLE_YAML.replace('  deployment', '\tdeployment');
    expect(parseConfigText(tab).findings.map((f) => [f.line, f.message])).toEqual([
      [5, 'Not valid YAML/JSON: a tab indents this line. Indent YAML with spaces.'],
    ]);
    const docs = `${EXAMPLE_YAML}---\nversion: 1\n`;
    expect(parseConfigText(docs).findings.map((f) => f.message)).toEqual([
      'Not valid YAML/JSON: the file holds more than one YAML document (---). Keep one configuration per file.',
    ]);
  });

  it('never quotes the text at fault in a syntax error (it may be a secret in the wrong place)', () => {
    const secretish = 'Zq7vX2mK9pL4nR8sT1wY5bC3dF6gH0jA';
    for (const text of [
      `a: |${secretish}\n`,
      `a: "\\${secretish}"\n`,
      `a: [${secretish}\n`,
      `a: b: ${secretish}\n`,
      `a: @${secretish}\n`,
    ]) {
      const findings = parseConfigText(text).findings;
      expect(codes(findings)).toContain('config/parse');
      for (const f of findings) expect(f.message).not.toContain(secretish.slice(0, 8));
    }
  });
});

describe('hostile bytes', () => {
  const bytes = (...b: number[]) => new Uint8Array(b);

  it('says a file that is not UTF-8 is not UTF-8: invalid sequences, UTF-16, Latin-1', () => {
    const utf16 = Buffer.from(`\ufeff${EXAMPLE_YAML}`, 'utf16le');
    for (const b of [bytes(0x76, 0x3a, 0x20, 0xc3, 0x28), utf16, Buffer.from('url: café', 'latin1'), bytes(0xed, 0xa0, 0x80)]) {
      const { finding } = decodeConfigBytes(b);
      expect(finding).toMatchObject({ code: 'config/parse', line: 1, column: 1, message: 'The file is not UTF-8 text. Save it as UTF-8.' });
    }
  });

  it('says a binary file is binary', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
    expect(decodeConfigBytes(png).finding?.message).toContain('not UTF-8');
    const nul = Buffer.from('version: 1\n\0\0\0binary', 'utf8');
    expect(decodeConfigBytes(nul).finding?.message).toContain('binary');
  });
});

describe('hostile files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const both = async (name: string) => {
    const a = await loadConfig(readConfigText(name, dir));
    return only(a.findings);
  };

  it('refuses a file over the size limit without reading it', async () => {
    writeFileSync(path.join(dir, 'big.yaml'), `a: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
    const f = await both('big.yaml');
    expect(f.message).toMatch(/^Cannot read big\.yaml: it is 52428\d\d bytes; a config file is at most 65536 bytes\.$/);
  });

  it('refuses a folder, a FIFO, a device and a loop of links, without hanging', async () => {
    mkdirSync(path.join(dir, 'folder.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    symlinkSync('loop-b.yaml', path.join(dir, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', path.join(dir, 'loop-b.yaml'));
    expect((await both('folder.yaml')).message).toBe('Cannot read folder.yaml: it is a folder; name a YAML or JSON file.');
    expect((await both('pipe.yaml')).message).toContain('it is not a regular file');
    expect((await both('/dev/zero')).message).toContain('it is not a regular file');
    expect((await both('loop-a.yaml')).message).toBe('Cannot read loop-a.yaml: it is a loop of symbolic links.');
    expect((await both('nothing-here.yaml')).message).toBe('Cannot read nothing-here.yaml: it does not exist.');
  });

  it('gives every hostile file a finding through the CLI, in every format, and exits 1', async () => {
    const files: Record<string, string | Buffer> = {
      'empty.yaml': '',
      'list.yaml': '- a\n- b\n',
      'bom-crlf.yaml': `\ufeff${EXAMPLE_YAML.replace(/\n/g, '\r\n')}`,
      'not-utf8.yaml': Buffer.from([0xff, 0xfe, 0x41, 0x00]),
      'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]),
      'bomb.yaml': `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [${Array(10).fill('*a').join(',')}]\nc: &c [${Array(10).fill('*b').join(',')}]\nd: [${Array(10).fill('*c').join(',')}]\n`,
      'deep.yaml': '['.repeat(10_000) + ']'.repeat(10_000),
      'deep.json': '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
      'huge.yaml': `a: "${'x'.repeat(2 * 1024 * 1024)}"\n`,
      'proto.json': '{"__proto__": {"polluted": true}, "version": 1}',
      'garbage.yaml': ']'.repeat(60_000),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const names = Object.keys(files);
    for (const format of ['json', 'text', 'github']) {
      const r = await runCli(['validate', '--format', format, ...names], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('Unexpected error');
      if (format === 'json') {
        const doc = JSON.parse(r.stdout) as { files: { file: string; ok: boolean; findings: Finding[] }[] };
        expect(doc.files.map((f) => f.file)).toEqual(names);
        for (const f of doc.files) {
          if (f.file === 'bom-crlf.yaml') expect(f.findings).toEqual([]);
          else expect(f.findings.length, f.file).toBeGreaterThan(0);
          for (const x of f.findings) expect(Object.keys(FINDING_CODES)).toContain(x.code);
        }
      } else {
        for (const name of names.filter((n) => n !== 'bom-crlf.yaml')) expect(r.stdout).toContain(name);
      }
    }
  });
});
