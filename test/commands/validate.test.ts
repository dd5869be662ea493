import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, EXAMPLE_YAML, ROOT, runCli, TEST_SECRET, tempDir, type CliResult } from '../support/cli.js';
import { closedPort } from '../support/net.js';
import { fakeCognitoPool, type FakeCognito, type FakeCognitoOptions } from '../support/fake-cognito.js';

/**
 * `creatio-sso validate` end to end: the built CLI, as a CI job runs it, on the fixtures of
 * test/fixtures/validate and on files written per test.
 */
const FIXTURES = path.join(ROOT, 'test/fixtures/validate');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const POOL = 'eu-west-1_AbCdEf123';

let dir: string;
let cleanup: () => void;
const closers: Array<() => Promise<void>> = [];
// Fake Cognito servers start once for the file; each test sets the answers it needs.
const cognitos = fakeCognitoPool();
afterAll(() => cognitos.close());
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  cognitos.release();
  cleanup();
});

const write = (name: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
  return name;
};
const validate = (args: string[], env: Record<string, string | undefined> = {}, cwd = dir) => runCli(['validate', ...args], { cwd, env });

interface JsonReport {
  ok: boolean;
  summary: { files: number; errors: number; warnings: number };
  files: {
    file: string;
    ok: boolean;
    findings: { code: string; severity: string; message: string; path: string; line: number; column: number }[];
  }[];
}
const json = (r: CliResult) => JSON.parse(r.stdout) as JsonReport;
const where = (r: CliResult, file: string) =>
  json(r)
    .files.find((f) => f.file === file)!
    .findings.map((f) => [f.code, f.path, f.line, f.column]);

/** A file of the §4 example with one line changed. */
const example = (from: string, to: string) => {
  expect(EXAMPLE_YAML).toContain(from);
  return EXAMPLE_YAML.replace(from, to);
};

describe('validate: verdicts and exit codes', () => {
  it('a config without cognito.clientId: the warning client-id/missing naming apply --create-client (exit 0); generate and doctor still need it', async () => {
    write('creatio-sso.yaml', example('  clientId: 1h57kf5cpq17m0eml12eqe3alr\n', ''));
    const r = await validate(['--format', 'json']);
    expect(r.code).toBe(0);
    const findings = json(r).files[0]!.findings;
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['client-id/missing', 'warning']]);
    expect(findings[0]!.message).toContain('apply --create-client');
    expect(findings[0]!.message).not.toContain('pendingcreateclient');
    // The rest of the file is still checked: a bad domain next to it is reported.
    write('creatio-sso.yaml', example('  clientId: 1h57kf5cpq17m0eml12eqe3alr\n', '').replace('domain: acme-login', 'domain: -bad-'));
    const bad = await validate(['--format', 'json']);
    expect(bad.code).toBe(1);
    expect(json(bad).files[0]!.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['client-id/missing', 'domain/invalid']));
    expect((await validate(['--strict'])).code).toBe(1);
    write('creatio-sso.yaml', example('  clientId: 1h57kf5cpq17m0eml12eqe3alr\n', ''));
    for (const command of [['generate', '--offline'], ['doctor']]) {
      const other = await runCli(command, { cwd: dir, env: { COGNITO_CLIENT_SECRET: TEST_SECRET } });
      expect(other.code, command[0]).toBe(1);
      expect(other.stdout + other.stderr).toContain('cognito.clientId');
    }
  });

  it('passes the §4 example and a JSON config with $schema: exit 0, the summary on stdout, nothing on stderr', async () => {
    const r = await validate(['acme.yaml', 'acme.json'], {}, FIXTURES);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('✔ 0 errors, 0 warnings in 2 files\n');
    expect(r.code).toBe(0);
  });

  it('places every finding of a known fixture at its line and column', async () => {
    const r = await validate(['--format', 'json', 'broken.yaml'], {}, FIXTURES);
    expect(r.code).toBe(1);
    expect(where(r, 'broken.yaml')).toEqual([
      ['creatio-url/insecure', 'creatio.url', 4, 8],
      ['creatio-url/normalized', 'creatio.url', 4, 8],
      ['region/mismatch', 'cognito.region', 8, 11],
      ['domain/is-user-pool-id', 'cognito.domain', 9, 11],
      ['client-id/invalid', 'cognito.clientId', 10, 13],
      ['jit/claim-target-invalid', 'jit.claims.locale', 15, 13],
    ]);
    // Every message says what to do.
    const messages = json(r).files[0]!.findings.map((f) => f.message);
    expect(messages[0]).toContain('Use https://acme.creatio.com');
    expect(messages[1]).toContain('Write url: http://acme.creatio.com');
    expect(messages[2]).toContain('Remove cognito.region');
    expect(messages[3]).toContain('Cognito → your user pool → Branding → Domain');
  });

  it('prints text grouped by file, in the order named, with line:column, and a summary line', async () => {
    const r = await validate(['unknown-key.yaml', 'acme.yaml', 'broken.yaml'], {}, FIXTURES);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    // No colour when stdout is not a terminal.
    expect(out).not.toContain('\x1b[');
    expect(out.indexOf('unknown-key.yaml\n')).toBe(0);
    expect(out).toMatch(/^unknown-key\.yaml\n {2}9:3 +error +config\/schema +Unknown key "clientSecert" in cognito\./);
    expect(out.indexOf('\nbroken.yaml\n')).toBeGreaterThan(out.indexOf('clientSecert'));
    // A file without findings is only counted.
    expect(out).not.toContain('acme.yaml');
    expect(out).toMatch(/^ {2}8:11 +error +region\/mismatch +The region us-east-1 differs from the user pool ID's region eu-west-1\./m);
    expect(out).toMatch(/^ {2}4:8 +warning +creatio-url\/normalized /m);
    expect(out.endsWith('\n✖ 6 errors, 1 warning in 3 files\n')).toBe(true);
  });

  it('reports a file that cannot be read or parsed, and still checks the others', async () => {
    mkdirSync(path.join(dir, 'a-folder.yaml'));
    write('good.yaml', EXAMPLE_YAML);
    write('syntax.yaml', fixture('syntax.yaml'));
    write('not-utf8.yaml', '');
    writeFileSync(path.join(dir, 'not-utf8.yaml'), Buffer.from([0x76, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
    const r = await validate([
      '--format',
      'json',
      'missing.yaml',
      'a-folder.yaml',
      'syntax.yaml',
      'not-utf8.yaml',
      'good.yaml',
      'good.yaml',
    ]);
    expect(r.code).toBe(1);
    const doc = json(r);
    // Each file once, in the order named.
    expect(doc.files.map((f) => [f.file, f.ok])).toEqual([
      ['missing.yaml', false],
      ['a-folder.yaml', false],
      ['syntax.yaml', false],
      ['not-utf8.yaml', false],
      ['good.yaml', true],
    ]);
    const first = (i: number) => doc.files[i]!.findings[0]!;
    expect(first(0)).toMatchObject({ code: 'config/parse', line: 1, column: 1, message: 'Cannot read missing.yaml: it does not exist.' });
    expect(first(1).message).toContain('it is a folder');
    expect(first(2)).toMatchObject({ code: 'config/parse', line: 8, column: 3 });
    expect(first(2).message).toContain('end with a ]');
    expect(first(3)).toMatchObject({ code: 'config/parse', message: 'The file is not UTF-8 text. Save it as UTF-8.' });
    expect(doc.summary).toEqual({ files: 5, errors: 4, warnings: 0 });
  });

  it('takes creatio-sso.yaml, .yml or .json from the current folder when no file is named', async () => {
    write('creatio-sso.json', JSON.stringify({ version: 1 }));
    const json1 = await validate(['--format', 'json']);
    expect(json(json1).files.map((f) => f.file)).toEqual(['creatio-sso.json']);
    write('creatio-sso.yml', example('region: eu-west-1 ', 'region: us-east-1 '));
    const yml = await validate([]);
    expect(yml.code).toBe(1);
    expect(yml.stdout).toMatch(/^creatio-sso\.yml\n {2}8:11 +error +region\/mismatch/);
    // The file was picked, not named: one stderr line says which (stdout stays the report).
    expect(yml.stderr.split('\n').filter((l) => l.startsWith('Checking '))).toEqual(['Checking creatio-sso.yml (found here).']);
    const named = await validate(['creatio-sso.yml']);
    expect(named.stderr).not.toContain('Checking ');
  });

  it('is a usage error (exit 2) when no file is named and none is here, saying what to do', async () => {
    const r = await validate([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('No config file to validate');
    expect(r.stderr).toContain('creatio-sso validate config/*.yaml');
  });

  it('is a usage error (exit 2) to ask for an unknown format', async () => {
    const r = await validate(['--format', 'xml', path.join(FIXTURES, 'acme.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('xml');
  });

  it('passes warnings (exit 0) unless --strict, which fails on them (exit 1)', async () => {
    write('plain.yaml', example('${env:COGNITO_CLIENT_SECRET}', TEST_SECRET));
    const lenient = await validate(['plain.yaml']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^ {2}11:17 +warning +client-secret\/plaintext /m);
    expect(lenient.stdout).toContain('✔ 0 errors, 1 warning in 1 file\n');
    const strict = await validate(['--strict', 'plain.yaml']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('✖ 0 errors, 1 warning in 1 file (--strict: warnings fail)\n');
    const strictJson = json(await validate(['--strict', '--format', 'json', 'plain.yaml']));
    expect([strictJson.ok, strictJson.files[0]!.ok]).toEqual([false, false]);
  });

  it('accepts CRLF line ends, a BOM and comments, and still places findings by line', async () => {
    const text = example('region: eu-west-1 ', 'region: us-east-1 ').replace(/\n/g, '\r\n');
    write('windows.yaml', `\ufeff${text}`);
    const r = await validate(['--format', 'json', 'windows.yaml']);
    expect(where(r, 'windows.yaml')).toEqual([['region/mismatch', 'cognito.region', 8, 11]]);
  });
});

describe('validate: output formats', () => {
  it('json: exactly one document on stdout, the verdict on stderr', async () => {
    const r = await validate(['--format', 'json', 'acme.yaml', 'broken.yaml'], {}, FIXTURES);
    expect(r.code).toBe(1);
    // One document: the whole of stdout parses, and keys come in the documented order.
    const doc = json(r);
    expect(Object.keys(doc)).toEqual(['ok', 'summary', 'files']);
    expect(doc.ok).toBe(false);
    expect(doc.summary).toEqual({ files: 2, errors: 5, warnings: 1 });
    expect(doc.files.map((f) => [f.file, f.ok, f.findings.length])).toEqual([
      ['acme.yaml', true, 0],
      ['broken.yaml', false, 6],
    ]);
    expect(Object.keys(doc.files[1]!.findings[0]!)).toEqual(['code', 'severity', 'message', 'path', 'line', 'column']);
    expect(r.stderr).toBe('✖ 5 errors, 1 warning in 2 files\n');
  });

  it('github: one workflow command per finding, on its line, with the code as title', async () => {
    const r = await validate(['--format', 'github', 'acme.yaml', 'broken.yaml'], {}, FIXTURES);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      '::error file=broken.yaml,line=4,col=8,title=creatio-url/insecure::The Creatio URL uses http:, which Cognito accepts only for localhost callbacks. Use https://acme.creatio.com.',
    );
    expect(lines[1]).toMatch(/^::warning file=broken\.yaml,line=4,col=8,title=creatio-url\/normalized::Removed /);
    expect(lines[2]).toBe(
      "::error file=broken.yaml,line=8,col=11,title=region/mismatch::The region us-east-1 differs from the user pool ID's region eu-west-1. Remove cognito.region (it is derived from the pool ID) or correct it.",
    );
    expect(r.stderr).toBe('✖ 5 errors, 1 warning in 2 files\n');
  });

  it('github: escapes % in messages, and , : % in the file property', async () => {
    const name = write('odd,name:100%.yaml', example('domain: acme-login ', 'domain: acme%login '));
    const r = await validate(['--format', 'github', name]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      '::error file=odd%2Cname%3A100%25.yaml,line=9,col=11,title=domain/invalid::The domain "acme%25login" is not usable: a prefix has 1–63 lower-case letters, digits and hyphens, and neither starts nor ends with a hyphen. Use a prefix (acme-login) or a custom host (auth.acme.com).\n',
    );
  });

  it('prints nothing but the verdict for valid files in github format', async () => {
    const r = await validate(['--format', 'github', 'acme.yaml'], {}, FIXTURES);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('✔ 0 errors, 0 warnings in 1 file\n');
  });
});

describe('validate: colour', () => {
  /** Run in a pseudo-terminal and return everything it showed, escape sequences included. */
  async function inTerminal(args: string[], env: Record<string, string> = {}): Promise<{ code: number; raw: string }> {
    const pty = (await import('@lydell/node-pty')).default;
    const child = pty.spawn(process.execPath, [BIN, 'validate', ...args], {
      cols: 200,
      rows: 40,
      cwd: FIXTURES,
      env: cleanEnv({ TERM: 'xterm-256color', ...env }) as Record<string, string>,
    });
    let raw = '';
    child.onData((d) => (raw += d));
    const code = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.onExit((e) => {
        clearTimeout(timer);
        resolve(e.exitCode);
      });
    });
    return { code, raw };
  }

  it('colours a terminal, and never with NO_COLOR or --no-color', async () => {
    const coloured = await inTerminal(['broken.yaml']);
    expect(coloured.code).toBe(1);
    expect(coloured.raw).toContain('\x1b[31merror');
    expect(coloured.raw).toContain('region/mismatch');

    // The same terminal decision in-process (streams that say they are terminals): colour off on request.
    const terminal = { cwd: FIXTURES, tty: true, env: { TERM: 'xterm-256color' } };
    expect((await runCli(['validate', 'broken.yaml'], terminal)).stdout).toContain('\x1b[31merror');
    for (const plain of [
      await runCli(['validate', 'broken.yaml'], { ...terminal, env: { ...terminal.env, NO_COLOR: '1' } }),
      await runCli(['validate', '--no-color', 'broken.yaml'], terminal),
    ]) {
      expect(plain.code).toBe(1);
      expect(plain.stdout + plain.stderr).toContain('region/mismatch');
      expect(plain.stdout + plain.stderr).not.toContain('\x1b[');
    }
  });
});

describe('validate: secrets', () => {
  const wrongPlaces: Record<string, string> = {
    'literal.yaml': example('${env:COGNITO_CLIENT_SECRET}', TEST_SECRET),
    'invalid-literal.yaml': example('${env:COGNITO_CLIENT_SECRET}', `${TEST_SECRET}!`),
    'quoted.yaml': example('${env:COGNITO_CLIENT_SECRET}', `"${TEST_SECRET}"`),
    'block-header.yaml': example('${env:COGNITO_CLIENT_SECRET}', `|${TEST_SECRET}`),
    'tag.yaml': example('${env:COGNITO_CLIENT_SECRET}', `!${TEST_SECRET} x`),
    'unclosed.yaml': example('${env:COGNITO_CLIENT_SECRET}', `[${TEST_SECRET}`),
    'in-other-field.yaml': example('1h57kf5cpq17m0eml12eqe3alr', TEST_SECRET).replace('${env:COGNITO_CLIENT_SECRET}', TEST_SECRET),
  };

  it.each(['text', 'json', 'github'])('never prints a secret written into a file (%s)', async (format) => {
    const files = Object.entries(wrongPlaces).map(([name, text]) => write(name, text));
    const r = await validate(['--format', format, ...files]);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
    // Not the secret, nor a part of it long enough to matter.
    for (const stream of [r.stdout, r.stderr]) expect(stream).not.toContain(TEST_SECRET.slice(0, 12));
    // Each file got its finding.
    for (const name of files) expect(r.stdout).toContain(name);
  });
});

describe('validate --online', () => {
  function fake(options: FakeCognitoOptions): Promise<FakeCognito> {
    return cognitos.take(options);
  }
  const online = (args: string[], idp: string) =>
    validate(['--online', ...args], { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: idp });

  it('checks the pool of every file that passed offline, once per pool, and places live findings at their lines', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-real' }] });
    write('a.yaml', EXAMPLE_YAML);
    write('b.yaml', example('displayName: Cognito AWS', 'displayName: Second site'));
    write('broken.yaml', fixture('broken.yaml'));
    const r = await online(['--format', 'json', 'a.yaml', 'b.yaml', 'broken.yaml'], f.url);
    expect(r.code).toBe(1);
    // broken.yaml has offline errors: it is not asked about. a and b share one pool: one fetch each.
    expect([f.discoveryCount(), f.jwksCount()]).toEqual([1, 1]);
    for (const file of ['a.yaml', 'b.yaml']) {
      expect(where(r, file)).toEqual([['discovery/domain-mismatch', 'cognito.domain', 9, 11]]);
    }
    const mismatch = json(r).files[0]!.findings[0]!;
    expect(mismatch.message).toContain('acme-real.auth.eu-west-1.amazoncognito.com');
    expect(where(r, 'broken.yaml').map((w) => w[0])).not.toContain('discovery/domain-mismatch');
  });

  it('keeps a pool without a domain an error at check time (§13), where generate only warns', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, shape: 'no-domain' }] });
    write('a.yaml', EXAMPLE_YAML);
    const r = await online(['--format', 'json', 'a.yaml'], f.url);
    expect(r.code).toBe(1);
    expect(json(r).files[0]!.findings).toEqual([expect.objectContaining({ code: 'discovery/no-hosted-ui-domain', severity: 'error' })]);
  });

  it('exits 0 when the live checks pass, and asks nothing without --online', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    write('a.yaml', EXAMPLE_YAML);
    const live = await online(['a.yaml'], f.url);
    expect(live.code).toBe(0);
    expect(live.stdout).toBe('✔ 0 errors, 0 warnings in 1 file\n');
    expect(f.discoveryCount()).toBe(1);
    const offline = await validate(['a.yaml'], { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(offline.code).toBe(0);
    expect(f.requests).toHaveLength(2);
  });

  it('exits 3 when Cognito cannot be reached and nothing failed for sure, 1 when another file has errors', async () => {
    const idp = `http://127.0.0.1:${await closedPort()}`;
    write('a.yaml', EXAMPLE_YAML);
    write('broken.yaml', fixture('broken.yaml'));
    const unreachable = await online(['a.yaml'], idp);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stdout).toMatch(/^a\.yaml\n {2}\d+:\d+ +error +discovery\/unreachable/);
    expect(unreachable.stderr).toContain('Inconclusive');

    const withErrors = await online(['a.yaml', 'broken.yaml'], idp);
    expect(withErrors.code).toBe(1);
    expect(withErrors.stdout).toContain('discovery/unreachable');
  });

  it.each([
    ['HTTP 500 on discovery', { discovery: 'status-500' as const }, 'discovery/unreachable', '/.well-known/openid-configuration', 500],
    [
      'HTTP 503 on discovery',
      { discovery: { status: 503, body: 'busy' } },
      'discovery/unreachable',
      '/.well-known/openid-configuration',
      503,
    ],
    [
      'HTTP 429 on the JWKS',
      { jwks: { status: 429, body: '{"message":"Rate exceeded"}' } },
      'jwks/unreachable',
      '/.well-known/jwks.json',
      429,
    ],
  ])('%s: "try again later" is inconclusive (exit 3), naming the URL that answered (the override)', async (_n, how, code, tail, status) => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], misbehave: { [POOL]: how } });
    write('a.yaml', EXAMPLE_YAML);
    const r = await online(['--format', 'json', 'a.yaml'], f.url);
    expect(r.code).toBe(3);
    const found = json(r).files[0]!.findings.find((x) => x.code === code);
    expect(found?.message).toContain(`${f.url}/${POOL}${tail} answered HTTP ${status}`);
    expect(found?.message).toContain('try again later');
  });
});

describe('validate: many files', () => {
  it('checks 300 files in one call and reports each in the order named', async () => {
    const names: string[] = [];
    for (let i = 0; i < 300; i++) {
      const broken = i % 50 === 7;
      names.push(
        write(
          `envs/site-${String(i).padStart(3, '0')}.yaml`,
          broken ? example('region: eu-west-1 ', 'region: us-east-1 ') : example('acme-login', `acme-login-${i}`),
        ),
      );
    }
    const r = await validate(['--format', 'json', ...names]);
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(doc.files.map((f) => f.file)).toEqual(names);
    expect(doc.summary).toEqual({ files: 300, errors: 6, warnings: 0 });
    const failed = doc.files.filter((f) => !f.ok);
    expect(failed.map((f) => f.file)).toEqual(['007', '057', '107', '157', '207', '257'].map((n) => `envs/site-${n}.yaml`));
    for (const f of failed) expect(f.findings.map((x) => [x.code, x.line, x.column])).toEqual([['region/mismatch', 8, 11]]);
  });
});
