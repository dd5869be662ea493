import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { exampleProvider, startFakeCreatio, type FakeCreatio, type FakeCreatioOptions, onSiteConfig } from '../support/fake-creatio.js';

/**
 * `plan` and `apply` for the Creatio half end to end, in process: the CLI against the Creatio stand-in
 * (SPEC §12), without AWS credentials (the Cognito half is left out with --skip cognito, as §13 asks).
 */
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
const PASSWORD = 'Supervisor!1-not-a-real-one';

let dir: string;
let cleanup: () => void;
const open: FakeCreatio[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
  cleanup();
});

async function site(options: FakeCreatioOptions = {}): Promise<FakeCreatio> {
  const f = await startFakeCreatio({ users: { Supervisor: PASSWORD }, ...options });
  open.push(f);
  // On-site: a loopback site has a port, which cloud forbids.
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    onSiteConfig(
      f.url,
      `provider:
  displayName: Cognito AWS
mobile:
  useSso: true
`,
      { clientId: CLIENT },
    ),
  );
  return f;
}

// The Creatio half alone: the Cognito half and apply's final look at the hosted UI are left out (no Cognito stand-in here).
const run = (f: FakeCreatio, args: string[], pinned = true, password = PASSWORD) =>
  runCli([...args, '--skip', args[0] === 'apply' ? 'cognito,hosted-ui' : 'cognito'], {
    cwd: dir,
    env: {
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
      CREATIO_SSO_CREATIO_PASSWORD: password,
      // The site and the pool pinned (§10: the secret goes into Creatio only for a pool named outside the file).
      ...(pinned ? { CREATIO_SSO_CREATIO_URL: f.url, CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123' } : {}),
    },
  });

describe('plan and apply: the Creatio half', () => {
  it('an empty Creatio: plan inserts (exit 4), apply --yes writes it, a second plan finds nothing', async () => {
    const f = await site();
    const plan = await run(f, ['plan', '--exit-code']);
    expect(plan.stderr + plan.stdout).not.toContain(PASSWORD);
    expect(plan.code).toBe(4);
    // One new record is one resource to create, not nine changes; the manual step is repeated last.
    expect(plan.stdout).toContain(`Creatio provider cognito-1h57kf5c (${f.url})  + create\n`);
    expect(plan.stdout).toMatch(/\+ .*ClientID/);
    expect(plan.stdout).toContain('Creatio feature EnableOpenIDAuth  ~ update in place\n');
    expect(plan.stdout).toContain('Creatio setting MobileUseSSO  ~ update in place\n');
    expect(plan.stdout).toContain('Plan: 1 to create, 2 to update, 0 unchanged; 1 manual step. Cognito not checked (--skip cognito).\n');
    expect(plan.stdout).toMatch(
      /Manual steps \(apply does not make them\):\n {2}! Creatio provider cognito-1h57kf5c .*: JIT {2}System Designer/,
    );
    expect(plan.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}! Creatio provider .*JIT/);
    expect(plan.stderr).toContain('apply writes "provider.code: cognito-1h57kf5c" into the config');
    expect(f.writes()).toEqual([]);

    const json = JSON.parse((await run(f, ['plan', '--format', 'json'])).stdout) as {
      summary: Record<string, number>;
      halves: {
        cognito: { status: string };
        creatio: { status: string; resources: { resource: { type: string; id: string }; action: string; fields: unknown[] }[] };
      };
    };
    expect(json.halves.cognito.status).toBe('skipped');
    expect(json.halves.creatio.status).toBe('checked');
    expect(json.summary).toEqual({ create: 1, update: 2, unchanged: 0, manual: 1 });
    expect(json.halves.creatio.resources.map((r) => [r.resource.type, r.resource.id, r.action])).toEqual([
      ['creatio-feature', 'EnableOpenIDAuth', 'update'],
      ['creatio-provider', 'cognito-1h57kf5c', 'create'],
      ['creatio-setting', 'MobileUseSSO', 'update'],
    ]);
    expect(JSON.stringify(json)).not.toContain(TEST_SECRET);

    const apply = await run(f, ['apply', '--yes']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 1 created, 2 updated.');
    expect(apply.stdout + apply.stderr).not.toContain(TEST_SECRET);
    expect(f.providers).toHaveLength(1);
    expect(f.providers[0]).toMatchObject({ ClientID: CLIENT, Url: 'https://acme-login.auth.eu-west-1.amazoncognito.com' });
    // The line the config needs is written into it by apply (comments and the rest kept), and said so.
    const config = readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8');
    expect(config).toMatch(/provider:\n {2}displayName: Cognito AWS\n {2}code: cognito-1h57kf5c\n/);
    expect(apply.stderr).toContain('Wrote provider.code: cognito-1h57kf5c into creatio-sso.yaml');

    const again = await run(f, ['plan', '--exit-code']);
    expect(again.code).toBe(0);
    // Only the Creatio side was read: the summary says so, not "both sides match".
    expect(again.stdout).toContain(
      'No changes. Creatio matches the config. Cognito not checked (--skip cognito). One manual step remains (below).',
    );
    expect(again.stderr).not.toContain('provider.code');
  });

  it.each([
    ['the realistic default (CRT_CSRF only)', {}],
    ['an older site (BPMCSRF only)', { csrf: 'bpm' }],
    ['a site that issues both CSRF cookies', { csrf: 'both' }],
    ['a .NET Core site behind a proxy that answers both health checks', { style: 'netcore', proxyAnswers2xx: 'ping' }],
  ] as const)('%s: apply --yes writes it all, a second apply finds nothing to do', async (_name, options) => {
    const f = await site({ ...options, refusedSettings: [] });
    const apply = await run(f, ['apply', '--yes']);
    expect(apply.stderr + apply.stdout).not.toContain(TEST_SECRET);
    expect(apply.code).toBe(0);
    expect(f.providers).toHaveLength(1);
    expect(f.features.EnableOpenIDAuth).toBe(1);
    expect(f.sysSettings.MobileUseSSO).toBe(true);
    // No "features cache" note: the route with its trailing slash matched.
    expect(apply.stderr + apply.stdout).not.toMatch(/features cache/);
    const written = f.writes().length;
    const again = await run(f, ['apply', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    expect(f.writes()).toHaveLength(written);
    // Every signed-in request carried ForceUseSession, and no Code filter reached the virtual entity.
    expect(f.requests.filter((r) => r.headers.cookie !== undefined).every((r) => r.headers.forceusesession === 'true')).toBe(true);
    const virtual = f.requests.filter((r) => r.body.includes('"RootSchemaName":"SsoOpenIdProvider"'));
    const filters = virtual.map((r) => JSON.stringify((JSON.parse(r.body) as { Filters?: unknown }).Filters ?? {}));
    expect(filters.some((x) => x.includes('"ColumnPath":"Code"'))).toBe(false);
  });

  it('a site without the CanUseSSO licence: creatio/not-licensed, exit 1, saying what to do', async () => {
    const f = await site({ unlicensed: true, features: { EnableOpenIDAuth: 1 } });
    const apply = await run(f, ['apply', '--yes', '--format', 'json']);
    expect(apply.code).toBe(1);
    const doc = JSON.parse(apply.stdout) as { findings: { code: string; message: string }[] };
    const stop = doc.findings.find((x) => x.code === 'creatio/not-licensed');
    expect(stop?.message).toMatch(/InsertQuery .*LicException.*CanUseSSO/);
    // The advice survives the clipping of a long message (§10): the lists of what was applied go first.
    expect(stop?.message).toMatch(/Install the site's SSO licence first .*then run apply again\.$/);
    expect(doc.findings.some((x) => x.code === 'creatio/api-unexpected')).toBe(false);
    expect(f.providers).toEqual([]);
  });

  it('a feature the site has no row for: apply switches it on, the re-read still finds it off, and says to do it by hand', async () => {
    const f = await site({ missingFeatures: ['EnableOpenIDAuth'] });
    const apply = await run(f, ['apply', '--yes', '--format', 'json']);
    expect(apply.code).toBe(1);
    const doc = JSON.parse(apply.stdout) as { findings: { code: string; message: string }[] };
    const off = doc.findings.find((x) => x.code === 'creatio/feature-off');
    expect(off?.message).toMatch(/still reports it off.*by hand at <CreatioURL>\/0\/Flags/);
    expect(f.providers).toHaveLength(1);
  });

  it('a site only the file names: trust/unpinned-host, exit 2, and no credential sent', async () => {
    const f = await site();
    const plan = await run(f, ['plan', '--format', 'json'], false);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('trust/unpinned-host');
    expect(f.requests.filter((r) => r.path.endsWith('/Login'))).toEqual([]);
  });

  it('apply without --yes and without a terminal: exit 2, nothing written', async () => {
    const f = await site();
    const apply = await run(f, ['apply']);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('--yes');
    expect(f.writes()).toEqual([]);
  });

  it('with no credentials at all, plan and apply fail closed (exit 2, naming what to set), even with --exit-code', async () => {
    const f = await site();
    for (const args of [['plan'], ['plan', '--exit-code'], ['apply', '--yes']]) {
      const r = await runCli(args, { cwd: dir, env: { COGNITO_CLIENT_SECRET: TEST_SECRET } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('CREATIO_SSO_CREATIO_USERNAME');
      expect(r.stderr).toContain('AWS_PROFILE');
      expect(r.stderr).not.toContain('Nothing was checked');
    }
    // Only the Creatio half left out: the Cognito half still needs its credentials.
    const one = await runCli(['plan', '--skip', 'creatio'], { cwd: dir, env: { COGNITO_CLIENT_SECRET: TEST_SECRET } });
    expect(one.code).toBe(2);
    expect(one.stderr).not.toContain('CREATIO_SSO_CREATIO_USERNAME');
    // Creatio credentials that are incomplete are named too.
    const half = await runCli(['plan', '--skip', 'cognito'], {
      cwd: dir,
      env: { COGNITO_CLIENT_SECRET: TEST_SECRET, CREATIO_SSO_CREATIO_USERNAME: 'Supervisor' },
    });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('CREATIO_SSO_CREATIO_USERNAME is set but CREATIO_SSO_CREATIO_PASSWORD is not');
    expect(f.requests).toEqual([]);
  });

  it('a config with errors: its findings and exit 1, not "Nothing was checked" or how to give credentials', async () => {
    const f = await site();
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8').replace('acme-login', '-bad-'),
    );
    const plan = await runCli(['plan'], { cwd: dir, env: { COGNITO_CLIENT_SECRET: TEST_SECRET } });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('domain/');
    expect(plan.stdout + plan.stderr).not.toMatch(/Nothing was checked|credentials/);
    expect(f.requests).toEqual([]);
  });

  const ours = exampleProvider;

  it('a provider with a stale URL: plan shows the change, apply updates it, a second plan finds nothing', async () => {
    const f = await site({
      providers: [ours({ Url: 'https://old-login.auth.eu-west-1.amazoncognito.com' })],
      features: { EnableOpenIDAuth: 1 },
    });
    const plan = await run(f, ['plan', '--exit-code']);
    expect(plan.code).toBe(4);
    expect(plan.stdout).toMatch(/~ .*Url\s+https:\/\/old-login\.auth\.eu-west-1\.amazoncognito\.com → https:\/\/acme-login/);
    expect((await run(f, ['apply', '--yes'])).code).toBe(0);
    expect(f.providers).toHaveLength(1);
    expect(f.providers[0]!.Url).toBe('https://acme-login.auth.eu-west-1.amazoncognito.com');
    expect((await run(f, ['plan', '--exit-code'])).code).toBe(0);
  });

  // What stops the half (the details of each finding: test/creatio/half.test.ts): exit 1, the finding in the
  // JSON report, no provider written, and neither the password nor the client secret in the output.
  it.each([
    ['two candidate providers', { providers: [ours({ Code: 'first' }), ours({ Code: 'second' })] }, PASSWORD, 'creatio/ambiguous-provider'],
    ['a wrong password', {}, 'wrong-password-1', 'creatio/sign-in-failed'],
    ['a site whose CSRF cookie is stripped', { csrf: 'stripped' }, PASSWORD, 'creatio/api-unexpected'],
    ['a 404 on InsertQuery', { broken: { InsertQuery: 404 } }, PASSWORD, 'creatio/api-unexpected'],
  ] as const)(
    '%s: apply stops with exit 1 and the finding, writes no provider, shows no secret',
    async (_name, options, password, code) => {
      const providersBefore = 'providers' in options ? options.providers.length : 0;
      const f = await site(options as FakeCreatioOptions);
      const apply = await run(f, ['apply', '--yes', '--format', 'json'], true, password);
      expect(apply.code).toBe(1);
      const doc = JSON.parse(apply.stdout) as { findings: { code: string }[] };
      expect(doc.findings.map((x) => x.code)).toContain(code);
      expect(f.providers).toHaveLength(providersBefore);
      expect(apply.stdout + apply.stderr).not.toContain(password);
      expect(apply.stdout + apply.stderr).not.toContain(TEST_SECRET);
      // A stop is a finding, never a crash.
      expect(apply.stderr).not.toContain('Unexpected error');
    },
  );

  it('a .NET Core site (no /0/ in service paths): plan and apply work the same', async () => {
    const f = await site({ style: 'netcore' });
    expect((await run(f, ['apply', '--yes'])).code).toBe(0);
    // Only the path-style probe asks under /0/ (and gets a 404); every service call goes to the root.
    expect(f.requests.filter((r) => r.path.startsWith('/0/') && !r.path.endsWith('/HealthCheck/Ping'))).toEqual([]);
    expect(f.providers).toHaveLength(1);
    expect((await run(f, ['plan', '--exit-code'])).code).toBe(0);
  });
});
