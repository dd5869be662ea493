/**
 * §17 with §10 and §3: `doctor` and `plan` over many configs, attacked. Each test is an attack that PASSES
 * when the product holds the rule and FAILS when it leaks. In-process (test/support/cli.ts), loopback only:
 * the Creatio stand-in for the sites, the Cognito discovery stand-in, no AWS (the AWS audit has no
 * credentials and is skipped). The secret reaching an attacker's custom domain over TLS is in
 * many-configs-secrets.test.ts (it needs a spawned CLI).
 */
import { EventEmitter } from 'node:events';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { startFakeCognito } from '../support/fake-cognito.js';
import { tokensOf } from '../support/markdown.js';
import { startFakeCreatio, type FakeCreatio } from '../support/fake-creatio.js';

const POOL = 'eu-west-1_AbCdEf123';
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
/** A secret pasted where a variable's name belongs: 42 letters and digits, a valid variable name by shape. */
const PASTED = 'Zq8Xw2Lk9Mn4Bv6Cx1Za3Sd5Fg7Hj9Kl2Qw4Er6Ty8';
const PASSWORD = 'Supervisor!1-pinned-password';
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

let dir: string;
let cleanup: () => void;
const open: { close(): Promise<void> }[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempDir('creatio-sso-many-attacks-'));
  mkdirSync(path.join(dir, 'envs'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
  cleanup();
});

interface ConfigYaml {
  pool?: string;
  url?: string;
  deployment?: 'cloud' | 'on-site';
  domain?: string;
  extra?: string;
}
const yaml = (c: ConfigYaml = {}) => `version: 1
creatio:
  url: ${c.url ?? 'https://acme.creatio.com'}
  deployment: ${c.deployment ?? 'cloud'}
cognito:
  userPoolId: ${c.pool ?? POOL}
  domain: ${c.domain ?? 'acme-login'}
  clientId: ${CLIENT}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
${c.extra ?? ''}`;
const write = (name: string, c: ConfigYaml = {}) => writeFileSync(path.join(dir, 'envs', name), yaml(c));

interface ManyDoc {
  ok: boolean;
  configs: {
    file: string;
    exitCode: number;
    error?: string;
    pinnedBy?: string;
    notPinned?: string;
    files?: { findings: { code: string }[] }[];
  }[];
}

/** Every way a run shows something: text, JSON, --format github, and the job summary. */
async function everyOutput(args: string[], env: Record<string, string>): Promise<{ codes: (number | null)[]; all: string }> {
  const codes: (number | null)[] = [];
  let all = '';
  for (const format of ['text', 'json', 'github']) {
    const summary = path.join(dir, `summary-${format}.md`);
    const r = await runCli([...args, '--format', format], { cwd: dir, env: { ...env, GITHUB_STEP_SUMMARY: summary } });
    codes.push(r.code);
    let md = '';
    try {
      md = readFileSync(summary, 'utf8');
    } catch {
      // no summary written
    }
    all += `${r.stdout}\n${r.stderr}\n${md}\n`;
  }
  return { codes, all };
}

describe('CREATIO_SSO_PINS never echoes what was pasted into it (§17, §10 "secret-as-name")', () => {
  it.each([
    ['clientSecretEnv', { clientSecretEnv: PASTED }],
    [
      'creatioCredentials.passwordEnv',
      { creatioUrl: 'https://acme.creatio.com', creatioCredentials: { usernameEnv: 'ACME_USER', passwordEnv: PASTED } },
    ],
    [
      'creatioCredentials.oauthClientSecretEnv',
      { creatioUrl: 'https://acme.creatio.com', creatioCredentials: { oauthClientIdEnv: 'ACME_ID', oauthClientSecretEnv: PASTED } },
    ],
  ])('a secret pasted as %s: a usage error, the value in no output, JSON or job summary', async (_, fields) => {
    write('a.yaml');
    write('b.yaml', { pool: 'eu-west-1_Other1' });
    const pins = JSON.stringify([{ userPoolId: POOL, ...fields }]);
    const { codes, all } = await everyOutput(['doctor', '--skip', 'aws,hosted-ui,creatio', 'envs/a.yaml', 'envs/b.yaml'], {
      CREATIO_SSO_PINS: pins,
      ACME_USER: 'Supervisor',
      ACME_ID: 'client',
      COGNITO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(codes).toEqual([2, 2, 2]);
    expect(all).not.toContain(PASTED);
    expect(all).not.toContain(TEST_SECRET);
  });
});

describe('credentials inside the URLs of an entry are masked wherever the entry is used (§10 masking: overrides too)', () => {
  const USERINFO_PW = 'Pw9SuperSecretUserinfo';
  it.each([
    ['creatioUrl', { creatioUrl: `https://admin:${USERINFO_PW}@acme.creatio.com` }],
    [
      'creatioCredentials.identityUrl',
      {
        creatioUrl: 'https://acme.creatio.com',
        creatioCredentials: {
          oauthClientIdEnv: 'ACME_ID',
          oauthClientSecretEnv: 'ACME_SECRET',
          identityUrl: `https://admin:${USERINFO_PW}@acme-is.creatio.com`,
        },
      },
    ],
    ['domain', { domain: `https://admin:${USERINFO_PW}@login.acme.com` }],
  ])('%s with user:password@: the password in no output', async (_, fields) => {
    write('a.yaml');
    write('b.yaml', { pool: 'eu-west-1_Other1' });
    const pins = JSON.stringify([{ userPoolId: POOL, ...fields }]);
    for (const command of [
      ['doctor', '--skip', 'aws,hosted-ui', '--verbose'],
      ['plan', '--skip', 'cognito', '--verbose'],
    ]) {
      const { all } = await everyOutput([...command, 'envs/a.yaml', 'envs/b.yaml'], {
        CREATIO_SSO_PINS: pins,
        ACME_ID: 'client',
        ACME_SECRET: TEST_SECRET,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      });
      expect(all, command[0]).not.toContain(USERINFO_PW);
      expect(all, command[0]).not.toContain(TEST_SECRET);
    }
  });
});

describe('hostile values inside CREATIO_SSO_PINS are outside values: escaped wherever the entry is quoted (§10)', () => {
  const FORGED = '\n::error title=forged::pwned\u001b[2J\u2028::warning::x';
  it('domain, creatioUrl and clientId with line breaks, ESC and workflow commands: no raw control character, no forged line', async () => {
    const site = `https://acme.creatio.com${FORGED}`;
    write('a.yaml', { url: JSON.stringify(site) });
    write('b.yaml', { pool: 'eu-west-1_Other1' });
    const pins = JSON.stringify([{ userPoolId: POOL, creatioUrl: site, domain: `login.acme.com${FORGED}`, clientId: `abc${FORGED}` }]);
    for (const format of ['text', 'json', 'github']) {
      const summary = path.join(dir, `summary-${format}.md`);
      const r = await runCli(['doctor', '--skip', 'aws,hosted-ui,creatio', '--verbose', '--format', format, 'envs/a.yaml', 'envs/b.yaml'], {
        cwd: dir,
        env: { CREATIO_SSO_PINS: pins, COGNITO_CLIENT_SECRET: TEST_SECRET, GITHUB_STEP_SUMMARY: summary },
      });
      // The harness works: the entry pinned a.yaml.
      if (format === 'json') expect((JSON.parse(r.stdout) as ManyDoc).configs[0]!.pinnedBy).toBe('CREATIO_SSO_PINS[0]');
      // ... and its values were quoted: the override notices name the entry.
      if (format === 'text') expect(r.stderr).toContain('Using CREATIO_SSO_PINS[0].domain');
      for (const text of [r.stdout, r.stderr, readFileSync(summary, 'utf8')]) {
        expect(text, format).not.toMatch(RAW_CONTROL);
        expect(text, format).not.toMatch(/^\s*::(error title=forged|warning::x)/m);
      }
      expect(tokensOf(readFileSync(summary, 'utf8')).filter((t) => ['link', 'image', 'html', 'tag'].includes(t.type))).toEqual([]);
    }
  });
});

describe('§3 per config: a config with errors is judged first, before a usage error about its pin', () => {
  it('a broken config whose entry names an unset variable: its findings and exit 1, not a bare usage error', async () => {
    write('broken.yaml', { extra: 'jit:\n  employees: maybe\n' });
    write('ok.yaml', { pool: 'eu-west-1_Other1' });
    const r = await runCli(['doctor', '--skip', 'aws,hosted-ui,creatio', '--format', 'json', 'envs/broken.yaml', 'envs/ok.yaml'], {
      cwd: dir,
      env: {
        CREATIO_SSO_PINS: JSON.stringify([{ userPoolId: POOL, clientSecretEnv: 'UNSET_SECRET' }]),
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      },
    });
    // The control: without the pin, the same config is judged (exit 1) on its own findings.
    const alone = await runCli(['doctor', '--skip', 'aws,hosted-ui,creatio', '--format', 'json', 'envs/broken.yaml', 'envs/ok.yaml'], {
      cwd: dir,
      env: { COGNITO_CLIENT_SECRET: TEST_SECRET },
    });
    const judged = (JSON.parse(alone.stdout) as ManyDoc).configs.find((c) => c.file === 'envs/broken.yaml')!;
    expect(judged.exitCode).toBe(1);
    const findings = (c: ManyDoc['configs'][number]) => (c.files?.[0]?.findings ?? []).filter((f) => f.code !== 'user-pool-id/unusual');
    expect(findings(judged).length).toBeGreaterThan(0);

    const doc = JSON.parse(r.stdout) as ManyDoc;
    const broken = doc.configs.find((c) => c.file === 'envs/broken.yaml')!;
    expect(broken.exitCode).toBe(1);
    expect(findings(broken).map((f) => f.code)).toEqual(findings(judged).map((f) => f.code));
  });
});

describe('§3 across configs: the worst exit wins, in precedence 2 > 1 > 3 > 4 > 0, and no config hides another', () => {
  it('usage (an entry naming an unset variable), failed (a broken file), inconclusive (no discovery answer): 2, then 1, then 3', async () => {
    writeFileSync(path.join(dir, 'envs', 'a-broken.yaml'), 'version: 1\ncognito: [unclosed\n');
    write('b-usage.yaml');
    write('c-inconclusive.yaml', { pool: 'eu-west-1_Other1' });
    const pins = JSON.stringify([{ userPoolId: POOL, clientSecretEnv: 'UNSET_SECRET' }]);
    const run = async (files: string[], env: Record<string, string> = {}) => {
      const r = await runCli(['doctor', '--skip', 'aws,hosted-ui,creatio', '--format', 'json', ...files.map((f) => `envs/${f}`)], {
        cwd: dir,
        env: { COGNITO_CLIENT_SECRET: TEST_SECRET, ...env },
      });
      return { code: r.code, rows: (JSON.parse(r.stdout) as ManyDoc).configs.map((c) => [c.file, c.exitCode]) };
    };
    const all = await run(['a-broken.yaml', 'b-usage.yaml', 'c-inconclusive.yaml'], { CREATIO_SSO_PINS: pins });
    expect(all.rows).toEqual([
      ['envs/a-broken.yaml', 1],
      ['envs/b-usage.yaml', 2],
      ['envs/c-inconclusive.yaml', 3],
    ]);
    expect(all.code).toBe(2);
    expect((await run(['a-broken.yaml', 'c-inconclusive.yaml'])).code).toBe(1);
    expect((await run(['c-inconclusive.yaml', 'c-inconclusive.yaml', 'b-usage.yaml'])).code).toBe(3);
  });
});

describe('CREATIO_SSO_PINS and a glob that happens to match one config', () => {
  it('the one config is pinned by its entry as it would be beside others (the same rules for 1 and 2 configs)', async () => {
    const site = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
    open.push(site);
    write('only.yaml', { url: site.url, deployment: 'on-site' });
    const env = {
      CREATIO_SSO_PINS: JSON.stringify([
        { userPoolId: POOL, creatioUrl: site.url, creatioCredentials: { usernameEnv: 'ACME_USER', passwordEnv: 'ACME_PASS' } },
      ]),
      ACME_USER: 'Supervisor',
      ACME_PASS: PASSWORD,
      COGNITO_CLIENT_SECRET: TEST_SECRET,
    };
    // Two configs (the same file twice): pinned, the Creatio half reads the site.
    const two = await runCli(['plan', '--skip', 'cognito', 'envs/*.yaml', './envs/only.yaml'], { cwd: dir, env });
    expect(two.stdout).not.toContain('trust/unpinned-host');
    expect(site.requests.some((q) => q.body.includes(PASSWORD))).toBe(true);
    // One config: the same entry pins it (or the run says the pins were not used), never a silent unpinned run.
    const before = site.requests.length;
    const one = await runCli(['plan', '--skip', 'cognito', 'envs/*.yaml'], { cwd: dir, env });
    expect(one.stdout + one.stderr).not.toContain(PASSWORD);
    const signedIn = site.requests.slice(before).some((q) => q.body.includes(PASSWORD));
    expect(signedIn || /CREATIO_SSO_PINS/.test(one.stderr)).toBe(true);
    expect(one.code).toBe(two.code);
  });
});

describe('single-value inputs with many configs: each one alone is a usage error (§17), its value never echoed', () => {
  const VALUE = 'hunter2-single-value';
  it.each([
    'CREATIO_SSO_CREATIO_URL',
    'CREATIO_SSO_USER_POOL_ID',
    'CREATIO_SSO_DOMAIN',
    'CREATIO_SSO_CLIENT_ID',
    'CREATIO_SSO_PROVIDER_CODE',
    'CREATIO_SSO_CLIENT_SECRET',
    'CREATIO_SSO_CREATIO_USERNAME',
    'CREATIO_SSO_CREATIO_PASSWORD',
    'CREATIO_SSO_CREATIO_OAUTH_CLIENT_ID',
    'CREATIO_SSO_CREATIO_OAUTH_CLIENT_SECRET',
    'CREATIO_SSO_CREATIO_IDENTITY_URL',
    'CREATIO_SSO_TEST_PASSWORD',
  ])('%s with a glob matching two configs', async (name) => {
    write('a.yaml');
    write('b.yaml');
    for (const command of ['doctor', 'plan']) {
      const r = await runCli([command, 'envs/*.yaml'], { cwd: dir, env: { [name]: VALUE } });
      expect(r.code, `${command} ${name}`).toBe(2);
      expect(r.stderr).toContain(name);
      expect(r.stdout + r.stderr).not.toContain(VALUE);
    }
  });

  it.each([
    [['--creatio-url', 'https://acme.creatio.com']],
    [['--user-pool-id', POOL]],
    [['--domain', 'login.acme.com']],
    [['--client-id', CLIENT]],
    [['--provider-code', 'cognito-x']],
    [['--client-secret-env', 'COGNITO_CLIENT_SECRET']],
    [['--client-secret-stdin']],
    [['--creatio-password-stdin']],
  ])('%j with the same file named twice in two spellings', async (flag) => {
    write('a.yaml');
    for (const command of ['doctor', 'plan']) {
      const r = await runCli([command, ...flag, 'envs/a.yaml', './envs/a.yaml'], {
        cwd: dir,
        env: { COGNITO_CLIENT_SECRET: TEST_SECRET, CREATIO_SSO_CREATIO_USERNAME: '' },
        input: `${TEST_SECRET}\n`,
      });
      expect(r.code, `${command} ${flag.join(' ')}`).toBe(2);
      expect(r.stderr).toContain(flag[0]);
      expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    }
  });
});

describe('Creatio credentials from a pin go only to the site the pin names (§10 "credentials follow their source", per config)', () => {
  async function sites(): Promise<{ ours: FakeCreatio; evil: FakeCreatio }> {
    const ours = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
    const evil = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
    open.push(ours, evil);
    return { ours, evil };
  }
  const carries = (f: FakeCreatio) =>
    f.requests.filter(
      (q) => q.body.includes(PASSWORD) || /cookie|authorization/i.test(Object.keys(q.headers).join(' ')) || /Login/.test(q.path),
    );

  it('an entry without creatioUrl: no config gets a site from it, so the password goes nowhere (trust/unpinned-host, exit 2)', async () => {
    const { ours, evil } = await sites();
    write('ours.yaml', { url: ours.url, deployment: 'on-site' });
    write('evil.yaml', { url: evil.url, deployment: 'on-site' });
    const r = await runCli(['plan', '--skip', 'cognito', '--format', 'json', 'envs/ours.yaml', 'envs/evil.yaml'], {
      cwd: dir,
      env: {
        CREATIO_SSO_PINS: JSON.stringify([
          { userPoolId: POOL, creatioCredentials: { usernameEnv: 'ACME_USER', passwordEnv: 'ACME_PASS' } },
        ]),
        ACME_USER: 'Supervisor',
        ACME_PASS: PASSWORD,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      },
    });
    expect(carries(evil)).toEqual([]);
    expect(carries(ours)).toEqual([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('trust/unpinned-host');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('an entry with creatioUrl: a config naming the same pool and a look-alike URL gets no credentials at its own site', async () => {
    const { ours, evil } = await sites();
    const evilPort = new URL(evil.url).port;
    const lookAlikes = [
      `${ours.url}@127.0.0.1:${evilPort}`,
      `http://127.0.0.1:${evilPort}/${ours.url}`,
      `http://127.0.0.1:${evilPort}?${ours.url}`,
      `http://127.0.0.1:${evilPort}#${ours.url}`,
      `${evil.url}.`,
      `${evil.url}//`,
    ];
    write('ours.yaml', { url: ours.url, deployment: 'on-site' });
    lookAlikes.forEach((url, i) =>
      writeFileSync(path.join(dir, 'envs', `look-${i}.yaml`), yaml({ url: JSON.stringify(url), deployment: 'on-site' })),
    );
    const r = await runCli(['plan', '--skip', 'cognito', '--format', 'json', 'envs/*.yaml'], {
      cwd: dir,
      env: {
        CREATIO_SSO_PINS: JSON.stringify([
          { userPoolId: POOL, creatioUrl: ours.url, creatioCredentials: { usernameEnv: 'ACME_USER', passwordEnv: 'ACME_PASS' } },
        ]),
        ACME_USER: 'Supervisor',
        ACME_PASS: PASSWORD,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      },
      timeoutMs: 40_000,
    });
    const doc = JSON.parse(r.stdout) as ManyDoc;
    expect(doc.configs).toHaveLength(1 + lookAlikes.length);
    // The harness works: the pinned config did sign in at its own site.
    expect(ours.requests.some((q) => q.body.includes(PASSWORD))).toBe(true);
    expect(evil.requests.filter((q) => q.body.includes(PASSWORD) || /Login/.test(q.path))).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  }, 60_000);

  it("two pinned sites of one pool: each config's password goes to its own site only", async () => {
    const { ours: a, evil: b } = await sites();
    write('a.yaml', { url: a.url, deployment: 'on-site' });
    write('b.yaml', { url: b.url, deployment: 'on-site' });
    const other = 'Supervisor!1-the-other-site';
    const r = await runCli(['plan', '--skip', 'cognito', '--format', 'json', 'envs/a.yaml', 'envs/b.yaml'], {
      cwd: dir,
      env: {
        CREATIO_SSO_PINS: JSON.stringify([
          { userPoolId: POOL, creatioUrl: a.url, creatioCredentials: { usernameEnv: 'A_USER', passwordEnv: 'A_PASS' } },
          { userPoolId: POOL, creatioUrl: `${b.url}/`, creatioCredentials: { usernameEnv: 'B_USER', passwordEnv: 'B_PASS' } },
        ]),
        A_USER: 'Supervisor',
        A_PASS: PASSWORD,
        B_USER: 'Supervisor',
        B_PASS: other,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      },
    });
    const doc = JSON.parse(r.stdout) as ManyDoc;
    expect(doc.configs.map((c) => c.pinnedBy)).toEqual(['CREATIO_SSO_PINS[0]', 'CREATIO_SSO_PINS[1]']);
    expect(a.requests.some((q) => q.body.includes(PASSWORD))).toBe(true);
    expect(b.requests.some((q) => q.body.includes(other))).toBe(true);
    expect(a.requests.filter((q) => q.body.includes(other))).toEqual([]);
    expect(b.requests.filter((q) => q.body.includes(PASSWORD))).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(other);
  });
});

describe('globs: what a pull request can put in the folder (symlinks, devices, pipes, huge files)', () => {
  it('a symlink to /dev/zero, a FIFO (as itself and through a link), a 1 GiB sparse file: each its own row, no hang, the others checked', async () => {
    write('a-ok.yaml');
    symlinkSync('/dev/zero', path.join(dir, 'envs', 'b-zero.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'envs', 'c-fifo.yaml')]);
    symlinkSync('c-fifo.yaml', path.join(dir, 'envs', 'd-fifo-link.yaml'));
    writeFileSync(path.join(dir, 'envs', 'e-huge.yaml'), '');
    truncateSync(path.join(dir, 'envs', 'e-huge.yaml'), 1024 ** 3);
    const started = Date.now();
    const r = await runCli(['doctor', '--skip', 'aws,hosted-ui,creatio', '--format', 'json', 'envs/*.yaml', 'envs/c-fifo.yaml'], {
      cwd: dir,
      env: { COGNITO_CLIENT_SECRET: TEST_SECRET },
      timeoutMs: 20_000,
    });
    expect(r.code).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000);
    const doc = JSON.parse(r.stdout) as ManyDoc;
    const files = doc.configs.map((c) => c.file);
    expect(files).toEqual(
      expect.arrayContaining(['envs/a-ok.yaml', 'envs/b-zero.yaml', 'envs/d-fifo-link.yaml', 'envs/e-huge.yaml', 'envs/c-fifo.yaml']),
    );
    for (const f of ['envs/b-zero.yaml', 'envs/d-fifo-link.yaml', 'envs/e-huge.yaml', 'envs/c-fifo.yaml'])
      expect(doc.configs.find((c) => c.file === f)!.exitCode, f).toBe(1);
    expect(r.code).toBe(1);
  });

  it.each(['envs/[z-a].yaml', 'envs/[\\]-a].yaml', 'envs/**/[9-0]*.yaml'])(
    'a pattern with a class no regular expression takes (%s): never "Unexpected error", the other configs still checked',
    async (pattern) => {
      write('ok.yaml');
      const r = await runCli(['doctor', '--skip', 'aws,hosted-ui,creatio', '--format', 'json', pattern, 'envs/ok.yaml'], {
        cwd: dir,
        env: { COGNITO_CLIENT_SECRET: TEST_SECRET },
      });
      expect(r.stdout + r.stderr).not.toContain('Unexpected error');
      // Either a usage error that names the pattern, or the pattern is its own row and ok.yaml is checked.
      if (r.code === 2) expect(r.stderr).toContain(pattern);
      else expect((JSON.parse(r.stdout) as ManyDoc).configs.map((c) => c.file)).toContain('envs/ok.yaml');
    },
  );

  it('a symlink to a credentials file outside the folder: its content appears in no output (text, JSON, github, job summary)', async () => {
    mkdirSync(path.join(dir, 'outside'));
    const awsKey = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
    const dotenv = 'hunter2hunter2-dotenv';
    writeFileSync(
      path.join(dir, 'outside', 'credentials'),
      `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${awsKey}\n`,
    );
    writeFileSync(path.join(dir, 'outside', '.env'), `DB_PASSWORD=${dotenv}\nAPI_KEY: ${dotenv}\n`);
    symlinkSync('../outside/credentials', path.join(dir, 'envs', 'creds.yaml'));
    symlinkSync('../outside/.env', path.join(dir, 'envs', 'dotenv.yaml'));
    write('ok.yaml');
    const { codes, all } = await everyOutput(['doctor', '--skip', 'aws,hosted-ui,creatio', 'envs/*.yaml'], {
      COGNITO_CLIENT_SECRET: TEST_SECRET,
    });
    expect(codes).toEqual([1, 1, 1]);
    for (const secret of [awsKey, 'AKIAIOSFODNN7EXAMPLE', dotenv, TEST_SECRET]) expect(all).not.toContain(secret);
  });
});

describe('hostile config file names (a pull request names the files): nothing reaches the terminal, the annotations or the summary raw', () => {
  const NAMES = [
    'a\n::error title=forged::pwned.yaml',
    'b\r::warning::cr.yaml',
    'c\u001b]0;title\u0007\u001b[2J.yaml',
    'd [x](https:__evil.example) ![i](https:__evil.example_i.png) <img src=x onerror=alert(1)> | e.yaml',
    'f\u2028::notice::ls.yaml',
  ];
  it.each(['doctor', 'plan'])(
    '%s over them in every format: no raw control character, no forged workflow command, an inert job summary',
    async (command) => {
      for (const name of NAMES) writeFileSync(path.join(dir, 'envs', name), 'version: 1\ncognito: [unclosed\n');
      write('ok.yaml');
      const skip = command === 'doctor' ? ['--skip', 'aws,hosted-ui,creatio'] : ['--skip', 'creatio'];
      for (const format of command === 'doctor' ? ['text', 'json', 'github'] : ['text', 'json']) {
        const summary = path.join(dir, `summary-${format}.md`);
        const r = await runCli([command, ...skip, '--format', format, 'envs/*.yaml'], {
          cwd: dir,
          env: { COGNITO_CLIENT_SECRET: TEST_SECRET, GITHUB_STEP_SUMMARY: summary },
        });
        expect([1, 2], format).toContain(r.code);
        for (const text of [r.stdout, r.stderr]) {
          expect(text, format).not.toMatch(RAW_CONTROL);
          for (const line of text.split('\n')) {
            if (!line.startsWith('::')) continue;
            // The tool's own annotations only: the file property escaped, no forged title or command.
            expect(line, format).toMatch(/^::(error|warning|notice) file=[^,:\n]*,line=\d+,col=\d+,title=[a-z-]+\/[a-z-]+::/);
          }
          expect(text).not.toMatch(/^::(error title=forged|warning::cr|notice::ls)/m);
        }
        const md = readFileSync(summary, 'utf8');
        expect(md).not.toMatch(RAW_CONTROL);
        const tokens = tokensOf(md);
        expect(tokens.filter((t) => ['link', 'image', 'html', 'tag'].includes(t.type)).map((t) => t.raw)).toEqual([]);
        if (format === 'json') expect((JSON.parse(r.stdout) as ManyDoc).configs).toHaveLength(NAMES.length + 1);
      }
    },
  );
});

describe('a stop in the middle of many configs (§3: 143/129/130, §10: nothing secret, §17: at most 4 at once)', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ])(
    '5 pinned configs, 4 at once, their discovery hanging; %s: exit %i, no secret anywhere, the fifth never started',
    async (signal, exit) => {
      const pools = [1, 2, 3, 4, 5].map((i) => `eu-west-1_Hang${i}`);
      const idp = await startFakeCognito({
        pools: pools.map((userPoolId) => ({ userPoolId })),
        misbehave: Object.fromEntries(pools.map((p) => [p, { discovery: 'hang' as const }])),
      });
      open.push(idp);
      const secrets = pools.map((_, i) => `${TEST_SECRET.slice(0, 40)}${String(i).repeat(12)}`);
      pools.forEach((pool, i) => write(`env-${i}.yaml`, { pool, domain: `hang-${i}` }));
      const signals = new EventEmitter();
      const summary = path.join(dir, 'summary.md');
      const run = runCli(['doctor', '--skip', 'aws,creatio', 'envs/*.yaml'], {
        cwd: dir,
        signals,
        env: {
          CREATIO_SSO_COGNITO_IDP_URL: idp.url,
          CREATIO_SSO_PINS: JSON.stringify(pools.map((userPoolId, i) => ({ userPoolId, clientSecretEnv: `SECRET_${i}` }))),
          ...Object.fromEntries(secrets.map((s, i) => [`SECRET_${i}`, s])),
          GITHUB_STEP_SUMMARY: summary,
        },
        timeoutMs: 30_000,
      });
      const deadline = Date.now() + 15_000;
      while (idp.discoveryCount() < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(idp.discoveryCount()).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 200));
      signals.emit(signal);
      const r = await run;
      expect(r.code).toBe(exit);
      // At most four configs at once: the fifth pool was never asked for.
      expect(idp.requests.filter((p) => p.includes(pools[4]!))).toEqual([]);
      expect(idp.maxInFlight()).toBeLessThanOrEqual(4);
      let md = '';
      try {
        md = readFileSync(summary, 'utf8');
      } catch {
        // none written
      }
      for (const s of secrets) expect(r.stdout + r.stderr + md).not.toContain(s);
      // A stopped run claims nothing passed.
      expect(r.stdout + md).not.toMatch(/all passed|configs, passed/);
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(signals.listenerCount(s)).toBe(0);
    },
    40_000,
  );
});
