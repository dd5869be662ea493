import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { DoctorOptions, GenerateOptions, InitOptions, UrlsOptions, ValidateOptions } from '../../src/cli/program.js';
import { main } from '../../src/cli/run.js';
import type { Context } from '../../src/cli/context.js';
import { finding, type Finding, type FindingCode } from '../../src/core/findings.js';
import { ExitCode } from '../../src/cli/errors.js';
import { INPUTS, sourceLabel } from '../../src/settings/inputs.js';
import { createOutput } from '../../src/io/output.js';
import { verdict, worseVerdict } from '../../src/report/verdict.js';
import { overrideFinding, overrideNotice, resolveFileSettings } from '../../src/settings/resolve.js';
import { EXAMPLE_YAML, TEST_SECRET, tempDir } from '../support/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
});
afterEach(() => cleanup());

const sink = () => {
  let text = '';
  return {
    stream: Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), { isTTY: false }),
    text: () => text,
  };
};

const context = (env: NodeJS.ProcessEnv): Context => {
  const [stdout, stderr] = [sink().stream, sink().stream];
  return {
    output: createOutput({ color: false, verbose: false, stdout, stderr, env }),
    stdout,
    stderr,
    signal: new AbortController().signal,
    env,
    cwd: dir,
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    interactive: false,
    timeoutMs: 1000,
    verbose: false,
  };
};

describe('settings: every input resolved once, with where it came from', () => {
  it('records file, flag, variable and default sources; only a different value is an override', async () => {
    const env = {
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      CREATIO_SSO_CLIENT_ID: 'otherclient000000000000000',
      CREATIO_SSO_REGION: 'eu-west-1',
    };
    const s = await resolveFileSettings({ domain: 'acme-new', displayName: 'Cognito AWS' }, context(env));

    expect(s.file).toBe('creatio-sso.yaml');
    expect(s.inputs.get('userPoolId')).toEqual({ value: 'eu-west-1_AbCdEf123', source: { kind: 'file', path: 'creatio-sso.yaml' } });
    expect(s.inputs.get('domain')).toEqual({ value: 'acme-new', source: { kind: 'flag', flag: '--domain' } });
    expect(s.inputs.get('clientId')).toEqual({
      value: 'otherclient000000000000000',
      source: { kind: 'env', name: 'CREATIO_SSO_CLIENT_ID' },
    });
    // Equal to the file's value: no override, and the value keeps the file as its place.
    expect(s.inputs.get('region')?.source).toEqual({ kind: 'file', path: 'creatio-sso.yaml' });
    expect(s.inputs.get('displayName')?.source).toEqual({ kind: 'file', path: 'creatio-sso.yaml' });
    expect(s.inputs.has('providerCode')).toBe(false);
    expect(s.overrides.map((o) => [o.path.join('.'), o.value, o.from])).toEqual([
      ['cognito.domain', 'acme-new', '--domain'],
      ['cognito.clientId', 'otherclient000000000000000', 'CREATIO_SSO_CLIENT_ID'],
    ]);
    expect(s.overridden.map((o) => o.key)).toEqual(['cognito.domain', 'cognito.clientId']);
    expect(s.secret).toMatchObject({ value: TEST_SECRET, source: { kind: 'file', path: 'creatio-sso.yaml' } });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it("a site URL that differs from the file's by a trailing slash is no override; another site, or a page path, is", async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
    const env = { COGNITO_CLIENT_SECRET: TEST_SECRET };
    for (const same of ['https://acme.creatio.com/', ' https://acme.creatio.com']) {
      const s = await resolveFileSettings({ creatioUrl: same }, context(env));
      expect(s.overridden, same).toEqual([]);
    }
    for (const other of ['https://other.creatio.com/', 'https://acme.creatio.com/0/Shell/']) {
      const s = await resolveFileSettings({ creatioUrl: other }, context(env));
      expect(s.overridden.map((o) => o.key)).toEqual(['creatio.url']);
    }
  });

  it('a value the file lacks is applied but replaces nothing, so it gets no notice', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace(/ {2}region: .*\n/, ''));
    const s = await resolveFileSettings({ region: 'eu-west-1' }, context({ COGNITO_CLIENT_SECRET: TEST_SECRET }));
    expect(s.overrides.map((o) => o.path.join('.'))).toEqual(['cognito.region']);
    expect(s.overridden).toEqual([]);
  });

  it('the secret: another source than the file reference is an override named without any value', async () => {
    const env = { COGNITO_CLIENT_SECRET: 'x', OTHER_SECRET: TEST_SECRET, CREATIO_SSO_CLIENT_SECRET: TEST_SECRET };
    const named = await resolveFileSettings({ clientSecretEnv: 'OTHER_SECRET' }, context(env));
    expect(named.secret.source).toEqual({ kind: 'flag', flag: '--client-secret-env' });
    expect(named.overridden).toEqual([{ key: 'cognito.clientSecret', file: 'creatio-sso.yaml', source: named.secret.source }]);
    expect(overrideNotice(named.overridden[0]!)).toBe('Using --client-secret-env instead of cognito.clientSecret in creatio-sso.yaml.');

    const variable = await resolveFileSettings({}, context(env));
    expect(variable.secret.source).toEqual({ kind: 'env', name: 'CREATIO_SSO_CLIENT_SECRET' });
    expect(overrideNotice(variable.overridden[0]!)).not.toContain(TEST_SECRET);

    // The same variable the file names: nothing replaced.
    const same = await resolveFileSettings({ clientSecretEnv: 'COGNITO_CLIENT_SECRET' }, context(env));
    expect(same.overridden).toEqual([]);
  });

  it('a file that does not parse has no values to compare, and nothing breaks', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'version: [1\n');
    const s = await resolveFileSettings({ domain: 'acme-new' }, context({}));
    expect(s.overridden).toEqual([]);
    expect(s.overrides.map((o) => o.from)).toEqual(['--domain']);
  });

  it('names sources in the user words, and the notice and finding follow §10', () => {
    expect(sourceLabel({ kind: 'flag', flag: '--domain' })).toBe('--domain');
    expect(sourceLabel({ kind: 'env', name: 'CREATIO_SSO_DOMAIN' })).toBe('CREATIO_SSO_DOMAIN');
    expect(sourceLabel({ kind: 'file', path: 'a.yaml' })).toBe('a.yaml');
    expect(sourceLabel({ kind: 'default' })).toBe('the default');
    const o = {
      key: 'cognito.domain',
      file: 'creatio-sso.yaml',
      source: { kind: 'flag', flag: '--domain' },
      values: { given: 'acme-new', inFile: 'acme-login' },
    } as const;
    expect(overrideNotice(o)).toBe('Using --domain ("acme-new") instead of cognito.domain in creatio-sso.yaml ("acme-login").');
    expect(overrideFinding(o)).toMatchObject({ code: 'input/overridden', severity: 'info', path: 'cognito.domain' });
  });

  it('declares --provider-code / CREATIO_SSO_PROVIDER_CODE in the one INPUTS table', () => {
    expect(INPUTS.find((i) => i.key === 'providerCode')).toMatchObject({
      flag: '--provider-code',
      env: 'CREATIO_SSO_PROVIDER_CODE',
      path: ['provider', 'code'],
    });
    // The usage --help shows starts with the flag the messages name.
    for (const i of INPUTS) expect(i.usage.startsWith(`${i.flag} <`)).toBe(true);
  });
});

describe('verdict: one exit code from findings and --strict (§3: 1 > 3 > 4 > 0)', () => {
  const f = (code: FindingCode, severity?: Finding['severity']): Finding => ({
    ...finding(code, '', ''),
    ...(severity ? { severity } : {}),
  });
  const error = f('client/unknown');
  const warning = f('client/unknown', 'warning');
  const info = f('input/overridden');
  const unreachable = f('discovery/unreachable');
  it.each([
    ['nothing', [], false, false, ExitCode.ok],
    ['an info', [info], true, false, ExitCode.ok],
    ['a warning', [warning], false, false, ExitCode.ok],
    ['a warning with --strict', [warning], true, false, ExitCode.failed],
    ['an error', [error], false, false, ExitCode.failed],
    ['only an unreachable check', [unreachable], false, false, ExitCode.inconclusive],
    ['an error and an unreachable check', [unreachable, error], false, false, ExitCode.failed],
    ['a strict warning and an unreachable check', [unreachable, warning], true, false, ExitCode.failed],
    ['changes pending', [warning], false, true, ExitCode.changesPending],
    ['changes pending and an unreachable check', [unreachable], false, true, ExitCode.inconclusive],
    ['changes pending and an error', [error], false, true, ExitCode.failed],
    [
      'a credential not sent (trust/unpinned-host) and an error',
      [error, f('trust/unpinned-host'), unreachable],
      false,
      true,
      ExitCode.usage,
    ],
    ['a credential refused: only the file names its system', [error, f('trust/unpinned-host')], false, true, ExitCode.usage],
    ['Creatio did not answer', [f('creatio/unreachable')], false, false, ExitCode.inconclusive],
  ] as const)('%s', (_name, findings, strict, pending, code) => {
    expect(verdict(findings, { strict, pending })).toBe(code);
  });

  it('folds the verdicts of many files by the same precedence', () => {
    const order = [ExitCode.usage, ExitCode.failed, ExitCode.inconclusive, ExitCode.changesPending, ExitCode.ok];
    for (const [i, a] of order.entries()) for (const [j, b] of order.entries()) expect(worseVerdict(a, b)).toBe(order[Math.min(i, j)]);
  });
});

describe('typed options: each command takes what its declaration gives', () => {
  it('defaults make values present; choices make unions', () => {
    expectTypeOf<GenerateOptions['outDir']>().toEqualTypeOf<string>();
    expectTypeOf<InitOptions['config']>().toEqualTypeOf<string>();
    expectTypeOf<GenerateOptions['config']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DoctorOptions['format']>().toEqualTypeOf<'text' | 'json' | 'github'>();
    expectTypeOf<GenerateOptions['deployment']>().toEqualTypeOf<'cloud' | 'on-site' | undefined>();
    expectTypeOf<GenerateOptions['providerCode']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ValidateOptions['files']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<UrlsOptions>().not.toHaveProperty('clientId');
    expectTypeOf<ValidateOptions>().not.toHaveProperty('domain');
    // validate checks files as written: no input flags at all.
    expect(INPUTS.length).toBeGreaterThan(0);
  });
});

describe('no silent overrides, end to end (§10)', () => {
  const cli = async (args: string[], env: NodeJS.ProcessEnv) => {
    const out = sink();
    const err = sink();
    const code = await main({
      argv: ['node', 'creatio-sso', ...args],
      env,
      cwd: dir,
      stdin: Object.assign(new PassThrough(), { isTTY: false }),
      stdout: out.stream,
      stderr: err.stream,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  };
  const env = { COGNITO_CLIENT_SECRET: TEST_SECRET, CREATIO_SSO_DISPLAY_NAME: 'Acme SSO' };

  it('text: one notice line per replaced value on stderr; an equal value gets none', async () => {
    const r = await cli(['generate', '--offline', '--dry-run', '--domain', 'acme-new', '--region', 'eu-west-1'], env);
    expect(r.code).toBe(0);
    const notices = r.stderr.split('\n').filter((l) => l.startsWith('Using '));
    expect(notices).toEqual([
      'Using --domain ("acme-new") instead of cognito.domain in creatio-sso.yaml ("acme-login").',
      'Using CREATIO_SSO_DISPLAY_NAME ("Acme SSO") instead of provider.displayName in creatio-sso.yaml ("Cognito AWS").',
    ]);
    expect(r.stdout).toContain('acme-new.auth.eu-west-1.amazoncognito.com');
  });

  it('a subcommand --help shows the global options too; validate says it takes no input flags', async () => {
    const r = await cli(['validate', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Global Options:[\s\S]*--timeout <ms>/);
    expect(r.stdout).toMatch(/It\s+takes no input flags or variables/);
    expect(r.stdout).not.toContain('--domain');
  });

  it('JSON: an info finding input/overridden per replaced value, naming key and source, never a secret', async () => {
    const r = await cli(['generate', '--offline', '--dry-run', '--json', '--domain', 'acme-new'], {
      ...env,
      CREATIO_SSO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Using ');
    const doc = JSON.parse(r.stdout) as { findings: Finding[] };
    const overridden = doc.findings.filter((x) => x.code === 'input/overridden');
    expect(overridden.map((x) => [x.severity, x.path])).toEqual([
      ['info', 'cognito.domain'],
      ['info', 'provider.displayName'],
      ['info', 'cognito.clientSecret'],
    ]);
    expect(overridden[2]!.message).toBe('Using CREATIO_SSO_CLIENT_SECRET instead of cognito.clientSecret in creatio-sso.yaml.');
    expect(r.stdout).not.toContain(TEST_SECRET);
  });
});
