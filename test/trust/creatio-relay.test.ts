import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeCreatio, type FakeCreatio, onSiteConfig } from '../support/fake-creatio.js';

/**
 * §10 "The client secret goes to one place only", with Creatio as the relay. `apply` writes the client
 * secret into Creatio's SsoOpenIdProvider together with `Url` (the configured domain) and `DiscoveryUrl`
 * (the configured pool). Creatio itself then POSTs that secret to the token endpoint those name, at the
 * first SSO sign-in — which the attacker can start from the site's own login page, sending the browser
 * back to Creatio's callback with any code. So a config file that names its own custom domain (or its own
 * pool, whose discovery document names its custom domain) steers the secret to a host of its choosing,
 * although the Creatio site itself is pinned (CREATIO_SSO_CREATIO_URL) and the token probe refuses the
 * same domain (token/skipped-unconfirmed-domain).
 *
 * The rule (core/trust.ts creatioSecretTrust): the secret is written into Creatio only when the environment
 * or a flag pins the pool, and names the domain when it is a custom one; otherwise plan and apply say
 * trust/unpinned-host (exit 2) and nothing changes, on either side.
 */
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
const PASSWORD = 'Supervisor!1-not-a-real-one';

let dir: string;
let cleanup: () => void;
let site: FakeCreatio;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('creatio-sso-relay-'));
  site = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
});
afterEach(async () => {
  await site.close();
  cleanup();
});

/** The pull request's file: the operator's site and pool, the attacker's custom domain. */
function config(domain: string): void {
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    onSiteConfig(
      site.url,
      `provider:
  code: cognito-1h57kf5c
`,
      { domain, clientId: CLIENT },
    ),
  );
}

/** The operator's CI: the site pinned, Creatio credentials and the client secret in the environment. */
const apply = (env: Record<string, string> = {}) =>
  runCli(['apply', '--yes', '--skip', 'cognito,hosted-ui', '--format', 'json'], {
    cwd: dir,
    env: {
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
      CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
      CREATIO_SSO_CREATIO_URL: site.url,
      ...env,
    },
  });

/** Records that hold the secret next to a sign-in host: where Creatio will send it. */
const secretNextTo = (host: string) => site.providers.filter((p) => p.ClientSecret === TEST_SECRET && (p.Url ?? '').includes(host));

describe('apply never hands Creatio the client secret together with a sign-in host only the file names', () => {
  it('a custom domain only the config file names: the secret is not written beside it', async () => {
    config('auth.attacker.example');
    const run = await apply();
    expect(run.stdout + run.stderr).not.toContain(TEST_SECRET);
    // Today: InsertQuery with ClientSecret = the operator's secret and Url = https://auth.attacker.example.
    expect(secretNextTo('auth.attacker.example')).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('trust/unpinned-host');
    expect(site.writes()).toEqual([]);
  });

  it("a prefix domain, but a pool only the file names (its discovery document may name the pool owner's custom domain, now or later): not written", async () => {
    config('acme-login');
    const run = await apply();
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('CREATIO_SSO_USER_POOL_ID');
    expect(site.providers.filter((p) => p.ClientSecret === TEST_SECRET)).toEqual([]);
    // plan says so before anything changes.
    const plan = await runCli(['plan', '--skip', 'cognito', '--format', 'json'], {
      cwd: dir,
      env: {
        COGNITO_CLIENT_SECRET: TEST_SECRET,
        CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
        CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
        CREATIO_SSO_CREATIO_URL: site.url,
      },
    });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Not writing the client secret into Creatio');
  });

  it('a prefix domain and the pool pinned by CREATIO_SSO_USER_POOL_ID: written (AWS serves the prefix host)', async () => {
    config('acme-login');
    const run = await apply({ CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123' });
    expect(run.code).toBe(0);
    expect(site.providers.filter((p) => p.ClientSecret === TEST_SECRET)).toHaveLength(1);
  });

  // The domain and the pool both named outside the file: the operator's choice under any rule (the pool
  // matters too: Creatio reads the token endpoint from DiscoveryUrl, i.e. from the pool's document).
  it('control: domain and pool named outside the file (CREATIO_SSO_DOMAIN, CREATIO_SSO_USER_POOL_ID) are written', async () => {
    config('auth.attacker.example');
    const run = await apply({ CREATIO_SSO_DOMAIN: 'auth.attacker.example', CREATIO_SSO_USER_POOL_ID: 'eu-west-1_AbCdEf123' });
    expect(run.stdout + run.stderr).not.toContain(TEST_SECRET);
    expect(secretNextTo('auth.attacker.example')).toHaveLength(1);
  });
});
