import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReservedVariable, looksLikeSecretNotName } from '../../src/core/trust.js';
import { EXAMPLE_YAML, runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { startFakeHostedUi, type FakeHostedUi } from '../support/fake-hosted-ui.js';

/**
 * §10: a config file's `${env:NAME}` may not name another system's credential, nor hold something shaped
 * like a secret instead of a name. The attack: a pull request sets `clientSecret: ${env:GITHUB_TOKEN}` and
 * lets doctor's token probe carry the runner's token to a token endpoint. Every command refuses it with an
 * error (validate too: the CI gate must catch it), and the value is never read: the hosted UI stand-in
 * below would accept any secret, so a token request there is what a leak looks like.
 */

const POOL = { userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'acme-login.auth.eu-west-1.amazoncognito.com' };
const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
/** Shaped as Cognito generates secrets, so nothing but the name decides whether it is sent. */
const RUNNER_TOKEN = 'Zr7xQ2m9vB4nL6kP1sT8wY3eH5jC0gF2aD9uR4iO6pN1';

let hosted: FakeHostedUi;
const { dir, cleanup } = tempDir('creatio-sso-reserved-');
beforeAll(async () => {
  // Accepts any client secret (no `secret` on the client): whatever reaches its token endpoint "works".
  hosted = await startFakeHostedUi({
    clients: [
      {
        clientId: CLIENT_ID,
        callbackUrls: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback'],
        logoutUrls: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback'],
        scopes: ['openid', 'email', 'phone', 'profile'],
      },
    ],
    discovery: POOL,
  });
});
afterAll(async () => {
  await hosted.close();
  cleanup();
});

describe('isReservedVariable (§10: compared case-insensitively)', () => {
  it.each([
    ...['AWS_SECRET_ACCESS_KEY', 'AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET', 'GOOGLE_CREDENTIALS', 'GCP_SA_KEY', 'GH_PAT'],
    ...['GITHUB_TOKEN', 'github_token', 'ACTIONS_RUNTIME_TOKEN', 'CI_JOB_TOKEN', 'DOCKER_AUTH', 'NPM_TOKEN', 'RUNNER_TEMP'],
    ...['CREATIO_SSO_CREATIO_PASSWORD', 'creatio_sso_test_password', 'MY_TOKEN', 'DbPassword', 'LDAP_PASSWD', 'S3_ACCESS_KEY'],
    ...['NODE_AUTH_TOKEN', 'SYSTEM_ACCESSTOKEN', 'system_accesstoken'],
  ])('%s is reserved', (name) => expect(isReservedVariable(name)).toBe(true));

  it.each([
    'COGNITO_CLIENT_SECRET',
    'CREATIO_SSO_CLIENT_SECRET',
    'creatio_sso_client_secret',
    'ACME_SSO_SECRET',
    'MY_AWSOME_SECRET',
    'TOKE',
  ])('%s is not', (name) => expect(isReservedVariable(name)).toBe(false));
});

function config(secretRef: string): void {
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', secretRef));
}

/** The runner holds a token; the hosted UI and discovery are the stand-in (the override confirms the domain). */
const run = (args: string[]) =>
  runCli(args, {
    cwd: dir,
    env: { GITHUB_TOKEN: RUNNER_TOKEN, CREATIO_SSO_HOSTED_UI_URL: hosted.url, CREATIO_SSO_COGNITO_IDP_URL: hosted.url },
  });

const COMMANDS: string[][] = [
  ['validate', '--format', 'json'],
  ['validate', '--online', '--format', 'json'],
  ['generate', '--json', '--dry-run'],
  ['doctor', '--format', 'json', '--skip', 'aws,creatio'],
  ['plan', '--format', 'json'],
  ['apply', '--yes', '--format', 'json'],
];

describe('clientSecret: ${env:GITHUB_TOKEN} in a pull request', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c]))(
    '%s: client-secret/reserved-variable, exit 1, the token never read or sent',
    async (_n, args) => {
      config('${env:GITHUB_TOKEN}');
      const before = hosted.requests.length;
      const r = await run(args as string[]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('client-secret/reserved-variable');
      expect(r.stdout + r.stderr).toContain('GITHUB_TOKEN');
      const sent = hosted.requests.slice(before);
      expect(sent.filter((q) => q.path === '/oauth2/token')).toEqual([]);
      expect(JSON.stringify(sent.map((q) => [q.headers.authorization, q.body]))).not.toContain(RUNNER_TOKEN.slice(0, 12));
      expect(r.stdout + r.stderr).not.toContain(RUNNER_TOKEN);
    },
  );

  it("the same variable named on the command line is the operator's choice: --client-secret-env GITHUB_TOKEN is used", async () => {
    config('${env:COGNITO_CLIENT_SECRET}');
    const before = hosted.requests.length;
    const r = await run(['doctor', '--format', 'json', '--skip', 'aws,creatio', '--client-secret-env', 'GITHUB_TOKEN']);
    expect(r.stdout).not.toContain('client-secret/reserved-variable');
    expect(hosted.requests.slice(before).filter((q) => q.path === '/oauth2/token')).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain(RUNNER_TOKEN);
  });

  it('CREATIO_SSO_CLIENT_SECRET, our own variable, may be referenced', async () => {
    config('${env:CREATIO_SSO_CLIENT_SECRET}');
    const r = await run(['validate', '--format', 'json']);
    expect(r.code).toBe(0);
  });
});

describe('a secret where the variable name belongs (client-secret/secret-as-name, every command)', () => {
  it.each([
    ['a secret-shaped name', `\${env:${TEST_SECRET}}`],
    ['a name that is not a variable name', '${env:abc+def/ghi}'],
    ['an upper-case secret', '${env:Q2m9vB4nL6kP1sT8wY3eH5jC0gF2aD9uR}'],
  ])('%s: refused by validate (the CI gate), never echoed', async (_n, ref) => {
    expect(looksLikeSecretNotName(ref.slice(6, -1))).toBe(true);
    config(ref);
    for (const args of COMMANDS.slice(0, 3)) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toContain('client-secret/secret-as-name');
      expect(r.stdout + r.stderr).not.toContain(ref.slice(6, 18));
    }
  });
});
