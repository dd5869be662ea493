/**
 * §17: `plan` and `doctor` over many configs, end to end in-process against moto behind the rate-limit
 * stand-in (time-scaled: the buckets refill faster than Cognito's, and the client's back-off keeps
 * pace through CREATIO_SSO_TEST_RETRY_SCALE). What a user sees: each config under its file name, one summary
 * table, the worst exit, §9's many-config document, and the usage errors of single-value inputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { motoAdmin, startMoto, type Moto } from '../support/moto.js';
import { startThrottle, type ThrottleStandIn } from '../support/moto-throttle.js';

const REGION = 'eu-west-1';
const SECRET = 'Sx7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn4Pq6Rs8Tu1Vw';
const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';

let moto: Moto;
let admin: sdk.CognitoIdentityProviderClient;
let throttle: ThrottleStandIn | undefined;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  moto = await startMoto();
  admin = motoAdmin(moto, REGION);
});
afterAll(async () => {
  admin?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  ({ dir, cleanup } = tempDir());
  mkdirSync(path.join(dir, 'envs'));
});
afterEach(async () => {
  await throttle?.close();
  throttle = undefined;
  cleanup();
});

/** A pool with its prefix domain and a client as Creatio needs it (but for `callback: false`). */
async function pool(i: number, o: { callback?: boolean } = {}): Promise<{ userPoolId: string; clientId: string }> {
  const created = await admin.send(new sdk.CreateUserPoolCommand({ PoolName: `acme-${i}` }));
  const userPoolId = created.UserPool!.Id!;
  await admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: `acme-login-${i}` }));
  const client = await admin.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'creatio',
      GenerateSecret: true,
      ClientSecret: SECRET,
      ReadAttributes: ['email', 'phone_number'],
      CallbackURLs: o.callback === false ? ['https://elsewhere.example.com/cb'] : [CALLBACK],
      LogoutURLs: [SIGN_OUT],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}

function writeConfig(name: string, p: { userPoolId: string; clientId: string }, i: number): void {
  writeFileSync(
    path.join(dir, 'envs', name),
    `version: 1
creatio:
  url: https://acme.creatio.com
  deployment: cloud
cognito:
  userPoolId: ${p.userPoolId}
  region: ${REGION}
  domain: acme-login-${i}
  clientId: ${p.clientId}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
jit:
  employees: true
  claims:
    phone_number: Contact:MobilePhone
`,
  );
}

const env = (extra: Record<string, string> = {}) => ({
  ...moto.env,
  ...(throttle ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: throttle.url } : {}),
  COGNITO_CLIENT_SECRET: SECRET,
  CREATIO_SSO_TEST_RETRY_SCALE: '0.25',
  ...extra,
});

interface ManyJson {
  ok: boolean;
  summary: Record<string, number>;
  configs: ({
    file: string;
    ok: boolean;
    exitCode: number;
    halves?: Record<string, { status: string; resources: { resource: { type: string; id: string }; action: string }[] }>;
    findings?: { code: string }[];
  } & Record<string, unknown>)[];
}

/** The summary table's rows (after the "Summary:" line): file → [Cognito, Creatio, result]. */
function tableOf(stdout: string): Map<string, string[]> {
  const lines = stdout.slice(stdout.lastIndexOf('Summary:')).split('\n').slice(2).filter(Boolean);
  return new Map(lines.map((l) => l.trim().split(/ {2,}/)).map(([file, ...rest]) => [file!, rest]));
}

describe('plan over many configs, within Cognito rate limits', () => {
  it('60 configs over 10 pools against the rate-limit stand-in: no aws/throttled, each config right, a broken one its own row', async () => {
    // Cognito's limits on a clock ten times as fast (the client's back-off scaled alike, as below).
    throttle = await startThrottle(moto.endpoint, { timeScale: 10 });
    const pools = [];
    for (let i = 0; i < 10; i++) pools.push(await pool(i, { callback: i !== 7 }));
    for (let n = 0; n < 60; n++) writeConfig(`env-${String(n).padStart(2, '0')}.yaml`, pools[n % 10]!, n % 10);
    writeFileSync(path.join(dir, 'envs', 'env-30-broken.yaml'), 'version: 1\ncognito: [unclosed\n');

    const started = Date.now();
    const r = await runCli(['plan', '--skip', 'creatio', '--exit-code', 'envs/*.yaml'], {
      cwd: dir,
      env: env({ CREATIO_SSO_TEST_RETRY_SCALE: '0.05' }),
      timeoutMs: 60_000,
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`60 configs: ${seconds.toFixed(1)} s, ${throttle.throttledCount()} calls refused by the stand-in`);

    // Every call went through the stand-in (whether it refused some depends on how fast moto answers on the
    // day: the next test forces refusals), and none surfaced.
    expect(throttle.log.length).toBeGreaterThanOrEqual(240);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/aws\/throttled|aws\/unreachable/);
    // The broken config fails the run (exit 1 before 4, §3), and hides nothing: 61 rows.
    expect(r.code).toBe(1);
    const rows = tableOf(r.stdout);
    expect(rows.size).toBe(61);
    expect(rows.get('envs/env-30-broken.yaml')).toEqual(['-', '-', 'failed']);
    for (let n = 0; n < 60; n++) {
      const file = `envs/env-${String(n).padStart(2, '0')}.yaml`;
      // Pool 7's client lacks Creatio's callback: its six configs have a change pending, the rest none.
      expect(rows.get(file), file).toEqual(
        n % 10 === 7 ? ['1 to change', 'skipped', 'changes pending'] : ['no changes', 'skipped', 'passed'],
      );
      expect(r.stdout).toContain(`── ${file} ──`);
    }
    // Each config's plan under its own heading, in the order named (the glob's, sorted).
    expect(r.stdout.indexOf('── envs/env-29.yaml ──')).toBeLessThan(r.stdout.indexOf('── envs/env-30-broken.yaml ──'));
    expect(r.stdout).toMatch(/── envs\/env-30-broken\.yaml ──\n[\s\S]*config\/parse/);
    expect(seconds).toBeLessThan(30);
  }, 90_000);

  it('refusals are absorbed: one call a second per category, two configs reading at once; each config right, no finding', async () => {
    // One call a second, on a clock ten times as fast (the client's back-off scaled alike): the same refusals in a tenth of the time.
    throttle = await startThrottle(moto.endpoint, { perCategory: 1, timeScale: 10 });
    const a = await pool(0);
    const b = await pool(1, { callback: false });
    writeConfig('a.yaml', a, 0);
    writeConfig('b.yaml', b, 1);
    const r = await runCli(['plan', '--skip', 'creatio', 'envs/a.yaml', 'envs/b.yaml'], {
      cwd: dir,
      env: env({ CREATIO_SSO_TEST_RETRY_SCALE: '0.025' }),
      timeoutMs: 60_000,
    });
    // Two configs each read the pool and then its domain (one category) within the same second: refused, retried.
    expect(throttle.throttledCount()).toBeGreaterThan(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/aws\/throttled|aws\/unreachable/);
    expect([...tableOf(r.stdout)]).toEqual([
      ['envs/a.yaml', ['no changes', 'skipped', 'passed']],
      ['envs/b.yaml', ['1 to change', 'skipped', 'passed']],
    ]);
    expect(r.code).toBe(0);
  }, 60_000);

  it('a limit no retry gets through: aws/throttled (inconclusive, exit 3) on each config, never aws/unreachable or a failure', async () => {
    throttle = await startThrottle(moto.endpoint, { perCategory: 0 });
    const a = await pool(0);
    writeConfig('a.yaml', a, 0);
    writeConfig('b.yaml', a, 0);
    const r = await runCli(['plan', '--skip', 'creatio', '--exit-code', 'envs/a.yaml', 'envs/b.yaml'], {
      cwd: dir,
      env: env({ CREATIO_SSO_TEST_RETRY_SCALE: '0.01' }),
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('aws/throttled');
    expect(r.stdout).not.toContain('aws/unreachable');
    expect([...tableOf(r.stdout).values()]).toEqual([
      ['stopped', 'skipped', 'inconclusive'],
      ['stopped', 'skipped', 'inconclusive'],
    ]);
  });

  it('--format json: §9 many-config document (sums, one document per config under its file)', async () => {
    const a = await pool(0);
    const b = await pool(1, { callback: false });
    writeConfig('a.yaml', a, 0);
    writeConfig('b.yaml', b, 1);
    const r = await runCli(
      ['plan', '--skip', 'creatio', '--format', 'json', '--config', 'envs/a.yaml', '--config', 'envs/b.yaml', 'envs/missing.yaml'],
      {
        cwd: dir,
        env: env(),
      },
    );
    const doc = JSON.parse(r.stdout) as ManyJson;
    expect(Object.keys(doc)).toEqual(['ok', 'summary', 'configs']);
    expect(doc.ok).toBe(false);
    expect(doc.configs.map((c) => c.file)).toEqual(['envs/a.yaml', 'envs/b.yaml', 'envs/missing.yaml']);
    const [da, db, missing] = doc.configs;
    expect(da!.ok).toBe(true);
    const client = (c: typeof da) => c!.halves!.cognito!.resources.find((x) => x.resource.type === 'cognito-app-client')!;
    expect(client(da).resource.id).toBe(a.clientId);
    expect(client(da).action).toBe('none');
    expect(client(db).resource.id).toBe(b.clientId);
    expect(client(db).action).toBe('update');
    expect(missing!.ok).toBe(false);
    expect(missing!.findings!.map((f) => f.code)).toContain('config/parse');
    // The sums of the one-config summaries, and the count of configs.
    expect(doc.summary.configs).toBe(3);
    expect(doc.summary.update).toBe(1);
    expect(doc.summary.failed).toBe(1);
    expect(r.code).toBe(1);
  });

  it('one config named by a glob runs exactly as the one-config command (no heading, no table)', async () => {
    const a = await pool(0);
    writeConfig('only.yaml', a, 0);
    const viaGlob = await runCli(['plan', '--skip', 'creatio', 'envs/*.yaml'], { cwd: dir, env: env() });
    const viaConfig = await runCli(['plan', '--skip', 'creatio', '--config', 'envs/only.yaml'], { cwd: dir, env: env() });
    expect(viaGlob).toEqual(viaConfig);
    expect(viaGlob.stdout).not.toContain('Summary:');
    expect(viaGlob.code).toBe(0);
  });

  it('the job summary covers every config', async () => {
    const a = await pool(0);
    writeConfig('a.yaml', a, 0);
    writeConfig('b.yaml', a, 0);
    const summary = path.join(dir, 'summary.md');
    const r = await runCli(['plan', '--skip', 'creatio', 'envs/a.yaml', 'envs/b.yaml'], {
      cwd: dir,
      env: env({ GITHUB_STEP_SUMMARY: summary }),
    });
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^## creatio-sso plan: 2 configs, passed/);
    expect(md).toContain('| envs\\/a\\.yaml | no changes | skipped | passed |');
    expect(md).toContain('| envs\\/b\\.yaml | no changes | skipped | passed |');
    // Then each config's own section (written once, by the run over all of them).
    expect(md.match(/^## creatio-sso plan$/gm)).toHaveLength(2);
  });
});

describe('single-value inputs with many configs (§17)', () => {
  it('are a usage error naming every one, before anything is read', async () => {
    const r = await runCli(['doctor', '--user-pool-id', 'eu-west-1_AbC', '--client-secret-env', 'X', 'a.yaml', 'b.yaml'], {
      cwd: dir,
      env: { CREATIO_SSO_DOMAIN: 'login.example.com', CREATIO_SSO_CREATIO_PASSWORD: 'hunter2' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'With 2 configs, --user-pool-id, --client-secret-env, CREATIO_SSO_DOMAIN, CREATIO_SSO_CREATIO_PASSWORD would apply to every one',
    );
    expect(r.stderr).toContain('CREATIO_SSO_PINS');
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stdout).toBe('');
  });

  it('plan --login is no option; doctor --login with two configs is refused; one config keeps them', async () => {
    const many = await runCli(['doctor', '--login', 'alice', '--config', 'a.yaml', '--config', 'b.yaml'], { cwd: dir });
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--login would apply to every one');
    // One config: the flag is its own (the run then says the file is missing, not a word about pins).
    const one = await runCli(['doctor', '--user-pool-id', 'eu-west-1_AbC', '--config', 'a.yaml'], { cwd: dir });
    expect(one.stderr).not.toContain('would apply to every one');
  });

  it('a malformed CREATIO_SSO_PINS is a usage error naming the entry and field, never the value', async () => {
    const secretish = 'Zq8Xw2Lk9Mn4Bv6Cx1Za3Sd5Fg7Hj9Kl2Qw4Er6Ty8';
    for (const [pins, said] of [
      ['not json', 'CREATIO_SSO_PINS is not JSON'],
      ['{"userPoolId":"x"}', 'must be a JSON list'],
      [`[{"userPoolId":"eu-west-1_A"},{"domain":"${secretish}"}]`, 'CREATIO_SSO_PINS[1].userPoolId must be given'],
      [
        `[{"userPoolId":"eu-west-1_A","clientSecretEnv":"${secretish}-"}]`,
        'CREATIO_SSO_PINS[0].clientSecretEnv must be the name of an environment variable',
      ],
    ] as const) {
      const r = await runCli(['plan', 'a.yaml', 'b.yaml'], { cwd: dir, env: { CREATIO_SSO_PINS: pins } });
      expect(r.code, pins).toBe(2);
      expect(r.stderr).toContain(said);
      expect(r.stderr).not.toContain(secretish);
    }
  });

  it('apply and rotate keep one config', async () => {
    for (const command of ['apply', 'rotate']) {
      const r = await runCli([command, '--config', 'a.yaml', '--config', 'b.yaml'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('takes one config file');
    }
  });
});

describe('doctor over many configs', () => {
  it('--format github: each config annotates its own file; the table goes to stderr; a broken config is its own row', async () => {
    writeFileSync(path.join(dir, 'envs', 'broken.yaml'), 'version: 1\ncognito: [unclosed\n');
    const r = await runCli(['doctor', '--format', 'github', 'envs/broken.yaml', 'envs/missing.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=envs\/broken\.yaml,line=\d+,col=\d+,title=config\/parse::/m);
    expect(r.stdout).toMatch(/^::error file=envs\/missing\.yaml,line=1,col=1,title=config\/parse::Cannot read envs\/missing\.yaml/m);
    expect(r.stdout).not.toContain('Summary:');
    expect(r.stderr).toContain('Summary: 2 configs, 2 not passed');
    expect(r.stderr).toMatch(/envs\/broken\.yaml +- +- +failed/);
    expect(r.stderr).toMatch(/envs\/missing\.yaml +- +- +failed/);
  });
});

describe('validate takes --config and globs too', () => {
  it('each file once, in the order named, the glob expanded here (not by a shell)', async () => {
    const ok = `version: 1\ncreatio:\n  url: https://acme.creatio.com\ncognito:\n  userPoolId: eu-west-1_AbCdEf123\n  domain: acme-login\n  clientId: 1h57kf5cpq17m0eml12eqe3alr\n`;
    writeFileSync(path.join(dir, 'envs', 'b.yaml'), ok);
    writeFileSync(path.join(dir, 'envs', 'a.yaml'), ok);
    writeFileSync(path.join(dir, 'envs', '.hidden.yaml'), 'broken: [');
    const r = await runCli(['validate', '--format', 'json', '--config', 'envs/b.yaml', 'envs/*.yaml', 'envs/none-*.yaml'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as { files: { file: string }[] };
    expect(doc.files.map((f) => f.file)).toEqual(['envs/b.yaml', 'envs/a.yaml', 'envs/none-*.yaml']);
    expect(r.code).toBe(1);
    // A name with glob characters that exists as written is that file (the shell expanded it already).
    writeFileSync(path.join(dir, 'envs', 'x[1].yaml'), ok);
    writeFileSync(path.join(dir, 'envs', 'x1.yaml'), 'broken: [');
    const literal = await runCli(['validate', '--format', 'json', 'envs/x[1].yaml'], { cwd: dir });
    expect((JSON.parse(literal.stdout) as { files: { file: string }[] }).files.map((f) => f.file)).toEqual(['envs/x[1].yaml']);
  });
});
