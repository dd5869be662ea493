import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir } from './support/cli.js';
import { startFakeCreatio, type FakeCreatio } from './support/fake-creatio.js';

/**
 * `plan` and `apply` for the Creatio half end to end, in process: the CLI against the Creatio stand-in
 * (SPEC §12), without AWS credentials (the Cognito half is skipped, which is no pending change).
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

async function site(): Promise<FakeCreatio> {
  const f = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
  open.push(f);
  // On-site: a loopback site has a port, which cloud forbids.
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    `version: 1
creatio:
  url: ${f.url}
  deployment: on-site
cognito:
  userPoolId: eu-west-1_AbCdEf123
  domain: acme-login
  clientId: ${CLIENT}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
provider:
  displayName: Cognito AWS
mobile:
  useSso: true
`,
  );
  return f;
}

const run = (f: FakeCreatio, args: string[], pinned = true) =>
  runCli(args, {
    cwd: dir,
    env: {
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
      CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
      ...(pinned ? { CREATIO_SSO_CREATIO_URL: f.url } : {}),
    },
  });

describe('plan and apply: the Creatio half', () => {
  it('an empty Creatio: plan inserts (exit 4), apply --yes writes it, a second plan finds nothing', async () => {
    const f = await site();
    const plan = await run(f, ['plan', '--exit-code']);
    expect(plan.stderr + plan.stdout).not.toContain(PASSWORD);
    expect(plan.code).toBe(4);
    expect(plan.stdout).toMatch(/Creatio/);
    expect(plan.stdout).toMatch(/\+ .*ClientID/);
    expect(f.writes()).toEqual([]);

    const json = JSON.parse((await run(f, ['plan', '--format', 'json'])).stdout) as {
      changes: number;
      halves: { cognito: { status: string }; creatio: { status: string; items: { action: string; to?: unknown }[] } };
    };
    expect(json.halves.cognito.status).toBe('skipped');
    expect(json.halves.creatio.status).toBe('checked');
    expect(json.changes).toBeGreaterThan(0);
    expect(JSON.stringify(json)).not.toContain(TEST_SECRET);

    const apply = await run(f, ['apply', '--yes']);
    expect(apply.code).toBe(0);
    expect(apply.stdout + apply.stderr).not.toContain(TEST_SECRET);
    expect(f.providers).toHaveLength(1);
    expect(f.providers[0]).toMatchObject({ ClientID: CLIENT, Url: 'https://acme-login.auth.eu-west-1.amazoncognito.com' });

    const again = await run(f, ['plan', '--exit-code']);
    expect(again.code).toBe(0);
    // Only the Creatio side was read (no AWS credentials): the summary says so, not "both sides match".
    expect(again.stderr).toContain('No changes: the Creatio side matches the config (the other was not checked).');
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

  it('with no credentials at all, plan says nothing was checked (not "no changes") and exits 0', async () => {
    const f = await site();
    const plan = await runCli(['plan', '--exit-code'], { cwd: dir, env: { COGNITO_CLIENT_SECRET: TEST_SECRET } });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('Nothing was checked: both halves were skipped');
    expect(f.requests).toEqual([]);
  });
});
