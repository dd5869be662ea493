import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, runCli, TEST_SECRET, tempDir } from '../support/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
});
afterEach(() => cleanup());

const env = { COGNITO_CLIENT_SECRET: TEST_SECRET };
const generate = (args: string[] = [], extraEnv: Record<string, string> = env, input?: string) =>
  runCli(['generate', '--offline', ...args], { cwd: dir, env: extraEnv, input });
const mode = (p: string) => statSync(path.join(dir, p)).mode & 0o777;

const EXPECTED_RECORD = `{
  "SsoOpenIdProvider": {
    "Name": "Cognito AWS",
    "SsoSettingsTemplate": "d48ff378-0271-49dc-8285-c1a430834b31",
    "ClientID": "1h57kf5cpq17m0eml12eqe3alr",
    "ClientSecret": "${TEST_SECRET}",
    "Url": "https://acme-login.auth.eu-west-1.amazoncognito.com",
    "DiscoveryUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration",
    "EndSessionEndpointUrl": "https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}",
    "IsDefault": false
  },
  "SsoServiceProvider": {
    "UseJit": true,
    "SspUseJit": false
  },
  "OpenIdFieldNameMap": [
    {
      "OpenIdClaimName": "phone_number",
      "EntityFieldName": "Contact:MobilePhone"
    }
  ],
  "Features": {
    "EnableOpenIDAuth": true
  },
  "SysSettings": {
    "MobileUseSSO": false
  }
}
`;

const EXPECTED_APP_CLIENT = `{
  "UserPoolId": "eu-west-1_AbCdEf123",
  "ClientId": "1h57kf5cpq17m0eml12eqe3alr",
  "CallbackURLs": [
    "https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback"
  ],
  "LogoutURLs": [
    "https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback"
  ],
  "AllowedOAuthFlows": [
    "code"
  ],
  "AllowedOAuthScopes": [
    "openid",
    "email",
    "phone",
    "profile"
  ],
  "AllowedOAuthFlowsUserPoolClient": true,
  "SupportedIdentityProviders": [
    "COGNITO"
  ]
}
`;

describe('creatio-sso generate', () => {
  it('writes the §6 artifacts for the §4 example, byte for byte, with the record 0600', async () => {
    const r = await generate();
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'creatio-sso/creatio-sso-record.json'), 'utf8')).toBe(EXPECTED_RECORD);
    expect(readFileSync(path.join(dir, 'creatio-sso/cognito-app-client.json'), 'utf8')).toBe(EXPECTED_APP_CLIENT);
    expect(mode('creatio-sso/creatio-sso-record.json')).toBe(0o600);
    expect(mode('creatio-sso/cognito-app-client.json')).toBe(0o644);
    expect(r.stdout).toContain('creatio-sso/creatio-sso-record.json');
    expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    // No temporary files left behind.
    expect(readdirSync(path.join(dir, 'creatio-sso')).sort()).toEqual(['SETUP.md', 'cognito-app-client.json', 'creatio-sso-record.json']);
  });

  it('renders SETUP.md with every value to paste and no secret', async () => {
    await generate();
    const setup = readFileSync(path.join(dir, 'creatio-sso/SETUP.md'), 'utf8');
    for (const value of [
      'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
      'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
      'https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
      '1h57kf5cpq17m0eml12eqe3alr',
      'Email, OpenID, Phone, Profile',
      'creatio-sso-record.json',
      '`phone_number` | `Contact:MobilePhone`',
    ])
      expect(setup).toContain(value);
    expect(setup).not.toContain(TEST_SECRET);
    // Cloud: no feature step, no mobile step.
    expect(setup).not.toContain('EnableOpenIDAuth');
    expect(setup).not.toContain('MobileUseSSO');
    // The API route beside the manual Creatio steps, with the site to pin.
    expect(setup).toContain('export CREATIO_SSO_CREATIO_URL=https://acme.creatio.com');
  });

  it('adds the on-site feature step and the mobile step when they apply', async () => {
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      EXAMPLE_YAML.replace('deployment: cloud', 'deployment: on-site').replace('useSso: false', 'useSso: true'),
    );
    expect((await generate()).code).toBe(0);
    const setup = readFileSync(path.join(dir, 'creatio-sso/SETUP.md'), 'utf8');
    expect(setup).toContain('https://acme.creatio.com/0/Flags');
    expect(setup).toContain('POST https://acme.creatio.com/0/rest/FeatureService/SetFeatureStateForAllUsers');
    expect(setup).toContain('{"code":"EnableOpenIDAuth","state":1}');
    expect(setup).toContain('MobileUseSSO');
  });

  it('never overwrites without --force, and overwrites with it', async () => {
    expect((await generate()).code).toBe(0);
    writeFileSync(path.join(dir, 'creatio-sso/SETUP.md'), 'mine');
    const again = await generate();
    expect(again.code).toBe(1);
    // Every file in the way, at once, relative to the working folder (as init lists them).
    expect(again.stderr).toContain(
      'creatio-sso/creatio-sso-record.json, creatio-sso/cognito-app-client.json and creatio-sso/SETUP.md already exist. Nothing was written. Use --force',
    );
    expect(readFileSync(path.join(dir, 'creatio-sso/SETUP.md'), 'utf8')).toBe('mine');
    // With --json stdout is still the one document: no files, the refusal as a finding.
    const json = await generate(['--json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { files: unknown[]; findings: { code: string; severity: string; message: string }[] };
    expect(doc.files).toEqual([]);
    expect(doc.findings).toContainEqual(
      expect.objectContaining({ code: 'output/exists', severity: 'error', message: expect.stringContaining('already exist') }),
    );
    expect(readFileSync(path.join(dir, 'creatio-sso/SETUP.md'), 'utf8')).toBe('mine');
    const forced = await generate(['--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'creatio-sso/SETUP.md'), 'utf8')).toContain('# Creatio single sign-on');
    expect(mode('creatio-sso/creatio-sso-record.json')).toBe(0o600);
  });

  it('--dry-run writes nothing and masks the secret', async () => {
    const r = await generate(['--dry-run']);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'creatio-sso'))).toBe(false);
    expect(r.stdout).toContain('"ClientSecret": "********"');
    expect(r.stdout).toContain('"ClientID": "1h57kf5cpq17m0eml12eqe3alr"');
    expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
  });

  it('--json prints one document with files and findings', async () => {
    const r = await generate(['--json', '--out-dir', 'out']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      files: [
        { path: 'out/creatio-sso-record.json', mode: '0600', bytes: Buffer.byteLength(EXPECTED_RECORD) },
        { path: 'out/cognito-app-client.json', mode: '0644', bytes: Buffer.byteLength(EXPECTED_APP_CLIENT) },
        { path: 'out/SETUP.md', mode: '0644', bytes: statSync(path.join(dir, 'out/SETUP.md')).size },
      ],
      findings: [],
    });
  });

  it('stops on an offline error, writes nothing and exits 1', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace('domain: acme-login', 'domain: eu-west-1_AbCdEf123'));
    const r = await generate(['--json']);
    expect(r.code).toBe(1);
    expect(existsSync(path.join(dir, 'creatio-sso'))).toBe(false);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toEqual([]);
    expect(doc.findings).toEqual([
      expect.objectContaining({ code: 'domain/is-user-pool-id', severity: 'error', path: 'cognito.domain', line: 9, column: 11 }),
    ]);
  });

  it('reports an unset secret variable as client-secret/unresolved at its line', async () => {
    const r = await generate([], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('client-secret/unresolved');
    expect(r.stderr).toContain('COGNITO_CLIENT_SECRET');
    expect(r.stderr).toMatch(/11:\d+/);
    expect(existsSync(path.join(dir, 'creatio-sso'))).toBe(false);
  });

  it('takes the secret from stdin or a named variable, never echoing it', async () => {
    const viaStdin = await generate(['--client-secret-stdin', '--out-dir', 'a'], {}, `${TEST_SECRET}\n`);
    expect(viaStdin.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'a/creatio-sso-record.json'), 'utf8')).SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
    const viaEnv = await generate(['--client-secret-env', 'MY_SECRET', '--out-dir', 'b'], { MY_SECRET: TEST_SECRET });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'b/creatio-sso-record.json'), 'utf8')).SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
    for (const r of [viaStdin, viaEnv]) expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
  });

  it('lets flags and environment variables win over the file', async () => {
    const r = await generate(['--display-name', 'Acme SSO', '--json'], { ...env, CREATIO_SSO_CLIENT_ID: '2abcdefghijklmnopqrstuvwxy' });
    expect(r.code).toBe(0);
    const record = JSON.parse(readFileSync(path.join(dir, 'creatio-sso/creatio-sso-record.json'), 'utf8'));
    expect(record.SsoOpenIdProvider.Name).toBe('Acme SSO');
    expect(record.SsoOpenIdProvider.ClientID).toBe('2abcdefghijklmnopqrstuvwxy');
  });

  it('refuses a malformed secret without quoting it', async () => {
    const bad = 'not-a-cognito-secret-but-long-enough';
    const r = await generate([], { COGNITO_CLIENT_SECRET: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('client-secret/invalid');
    expect(r.stdout + r.stderr).not.toContain(bad);
  });

  it('refuses a secret passed as --client-secret-env without echoing it (exit 2)', async () => {
    const r = await generate(['--client-secret-env', TEST_SECRET], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('never the secret itself');
    expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
  });

  it('a --deployment outside cloud|on-site is a usage error', async () => {
    const r = await generate(['--deployment', 'moon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cloud, on-site');
  });

  it('exits 2 without a config file, and names the way out', async () => {
    const empty = tempDir();
    try {
      const r = await runCli(['generate', '--offline'], { cwd: empty.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--config');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      empty.cleanup();
    }
  });
});
