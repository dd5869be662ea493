import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';

describe('creatio-sso urls', () => {
  it('--json prints exactly the keys of §3', async () => {
    const r = await runCli([
      'urls',
      '--user-pool-id',
      'eu-west-1_AbCdEf123',
      '--domain',
      'acme-login',
      '--creatio-url',
      'https://acme.creatio.com',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toStrictEqual({
      providerUrl: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
      discoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration',
      endSessionEndpoint:
        'https://acme-login.auth.eu-west-1.amazoncognito.com/logout?client_id={client_id}&logout_uri={redirect_uri}&state={state}',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
      signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
    });
  });

  it('omits the Creatio URLs without --creatio-url, and reads environment variables', async () => {
    const r = await runCli(['urls', '--json'], {
      env: {
        CREATIO_SSO_USER_POOL_ID: 'https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbCdEf123',
        CREATIO_SSO_DOMAIN: 'acme',
      },
    });
    expect(r.code).toBe(0);
    const urls = JSON.parse(r.stdout);
    expect(Object.keys(urls)).toEqual(['providerUrl', 'discoveryUrl', 'endSessionEndpoint', 'issuer', 'jwksUri']);
    expect(urls.providerUrl).toBe('https://acme.auth-fips.us-gov-west-1.amazoncognito.com');
    expect(urls.issuer).toBe('https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbCdEf123');
  });

  it('prints labelled text without colour when not on a terminal', async () => {
    const r = await runCli(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'auth.acme.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Provider URL \(Url\)\s+https:\/\/auth\.acme\.com$/m);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('normalizes a pasted Creatio page URL and warns on stderr', async () => {
    const r = await runCli([
      'urls',
      '--user-pool-id',
      'eu-west-1_AbCdEf123',
      '--domain',
      'acme-login',
      '--creatio-url',
      'https://acme.creatio.com/0/Shell/#Section/Contacts',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).callbackUrl).toBe('https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback');
    // Flags have no place in a file: the finding is a plain row, without a heading or a location column.
    expect(r.stderr).toMatch(/^ {2}warning {2}creatio-url\/normalized {2}/);
  });

  it('exits 2 naming every missing input at once', async () => {
    const r = await runCli(['urls']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--user-pool-id');
    expect(r.stderr).toContain('--domain');
  });

  it('exits 1 with findings for wrong values', async () => {
    const r = await runCli(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'eu-west-1_AbCdEf123']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('domain/is-user-pool-id');
    expect(r.stdout).toBe('');
  });
});

describe('the command line', () => {
  it('--help lists every command with examples', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'generate', 'urls', 'validate', 'doctor', 'Examples:']) expect(r.stdout).toContain(c);
  });

  it('--version prints the package version, from the bin (prebuilt) and from the CLI itself', async () => {
    const [fast, slow] = await Promise.all([spawnCli(['--version']), runCli(['--version'])]);
    expect(fast.code).toBe(0);
    expect(slow.code).toBe(0);
    expect(fast.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(fast.stdout).toBe(slow.stdout);
  });

  it('an unknown flag is a usage error (exit 2)', async () => {
    const r = await runCli(['urls', '--no-such-flag']);
    expect(r.code).toBe(2);
    // One style for every usage error, commander's and ours alike.
    expect(r.stderr).toMatch(/^Usage error: unknown option '--no-such-flag'/);
    const missing = await runCli(['urls', '--domain', 'acme-login']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Usage error: /);
  });

  it('a bad --timeout is a usage error', async () => {
    const r = await runCli(['--timeout', 'soon', 'urls']);
    expect(r.code).toBe(2);
  });
});

describe('pipes', () => {
  it('a reader that closes the pipe early (| head) is not a crash', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN, cleanEnv } = await import('../support/cli.js');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" generate --help | head -1`], { env: cleanEnv(), encoding: 'utf8' });
    expect(r.stdout).toMatch(/^Usage: creatio-sso generate/);
    expect(r.stderr).not.toContain('EPIPE');
  });

  it('keeps the verdict as the exit code when the reader stops early', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN, cleanEnv } = await import('../support/cli.js');
    const args = Array.from({ length: 1000 }, (_, i) => `missing-${i}.yaml`).join(' ');
    const bash = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" validate ${args} | head -c 10 >/dev/null`], {
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(bash.status).toBe(1);
    expect(bash.stderr).not.toContain('EPIPE');
  });
});

describe('prebuilt --help and --version (bin fast path)', () => {
  it.each([
    ['--help'],
    ['-h'],
    ['help'],
    ['init', '--help'],
    ['generate', '-h'],
    ['help', 'urls'],
    ['validate', '--help'],
    ['doctor', '--help'],
  ])('creatio-sso %s prints exactly what the CLI itself prints', async (...args) => {
    // fast: the bin's prebuilt answer, in a process; slow: the CLI itself (commander), in-process.
    const [fast, slow] = await Promise.all([spawnCli(args), runCli(args)]);
    expect(fast.code).toBe(0);
    expect(slow.code).toBe(0);
    expect(fast.stdout).toBe(slow.stdout);
    expect(fast.stdout).toContain('Usage: creatio-sso');
  });

  it('a bare creatio-sso shows help as a usage error (exit 2)', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: creatio-sso');
  });
});
