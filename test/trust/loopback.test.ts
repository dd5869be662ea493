import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackUrl } from '../../src/core/hosts/loopback.js';
import { createHttpClient } from '../../src/net/http.js';
import { EXAMPLE_YAML, runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * §10 "Never in cleartext": a credential travels over http only to a loopback host — exactly `localhost`,
 * `127.0.0.0/8` and `[::1]`. `evil.localhost` is a name like any other (a resolver, /etc/hosts or a proxy
 * decides where it goes), so it is not loopback, in every rule that asks.
 */
describe('one loopback definition', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.3.9', true],
    ['[::1]', true],
    ['::1', true],
    ['evil.localhost', false],
    ['localhost.evil.example', false],
    ['localhost.', false],
    ['127.0.0.256', false],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['[::ffff:127.0.0.1]', false],
    ['', false],
  ])('%s → %s', (host, yes) => expect(isLoopbackHost(host)).toBe(yes));

  it('URLs as WHATWG reads them: 127.1 and 0x7f000001 are 127.0.0.1, [0:0::1] is [::1]', () => {
    for (const url of ['http://127.1:8080/', 'http://0x7f000001/', 'http://[0:0:0:0:0:0:0:1]/']) expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of ['http://evil.localhost/', 'http://a.b@evil.example/', 'not a url']) expect(isLoopbackUrl(url), url).toBe(false);
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof isLoopbackHost(s) === 'boolean' && typeof isLoopbackUrl(s) === 'boolean'));
  });
});

describe('http://evil.localhost is not loopback for credentials', () => {
  const { dir, cleanup } = tempDir('creatio-sso-loopback-');
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);

  it('CREATIO_SSO_HOSTED_UI_URL=http://evil.localhost:9 is a usage error (exit 2) before any request', async () => {
    try {
      const r = await runCli(['doctor', '--skip', 'aws,creatio'], {
        cwd: dir,
        env: { CREATIO_SSO_HOSTED_UI_URL: 'http://evil.localhost:9', COGNITO_CLIENT_SECRET: TEST_SECRET },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not a loopback address');
    } finally {
      cleanup();
    }
  });

  it('the HTTP layer refuses a credential over http to evil.localhost (nothing is sent)', async () => {
    const http = createHttpClient({ env: {}, timeoutMs: 500 });
    try {
      const sent = http.request({
        method: 'POST',
        url: 'http://evil.localhost:9/oauth2/token',
        body: 'grant_type=authorization_code',
        credential: { kind: 'client-secret', allowedHosts: ['evil.localhost:9', 'evil.localhost'] },
      });
      await expect(sent).rejects.toThrow(/cleartext \(http\) to evil\.localhost, which is not a loopback host/);
    } finally {
      await http.close();
    }
  });
});
