import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, ROOT, runCli, spawnCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeCognito, type Misbehaviour } from '../support/fake-cognito.js';
import { startProxy } from '../support/proxy.js';
import { writeFileSync } from 'node:fs';

const POOL = 'eu-west-1_AbCdEf123';
const { dir, cleanup } = tempDir('creatio-sso-diff-');
afterAll(cleanup);
writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
const CA = path.join(ROOT, 'test/fixtures/tls/cert.pem');

const cases: [string, Misbehaviour | undefined, boolean, 'http' | 'https' | undefined][] = [
  ['plain', undefined, false, undefined],
  ['tls', undefined, true, undefined],
  ['tls via https proxy', undefined, true, 'https'],
  ['http via proxy', undefined, false, 'http'],
  ['reset', 'reset', false, undefined],
  ['html', 'html', false, undefined],
  ['huge', 'huge', false, undefined],
  ['huge-declared', 'huge-declared', false, undefined],
  ['500', 'status-500', false, undefined],
  ['redirect', 'redirect', false, undefined],
  ['ctl', { status: 200, body: '{"issuer":"\u001b[2J\u0007x"}', contentType: 'application/json' }, false, undefined],
];
/**
 * The slim undici of the bundle (dispatchers alone, Dispatcher#request in src/net/http.ts) answers as the
 * sources do: TLS, proxies (absolute-form and CONNECT), and the fake's misbehaviours. The bundle's main()
 * runs in this process beside the sources'; the TLS cases spawn the bin, since NODE_EXTRA_CA_CERTS counts
 * only when a process starts.
 */
describe('the bundle against misbehaving servers, as the sources', () => {
  for (const [name, m, tls, proxy] of cases)
    it(name, async () => {
      const f = await startFakeCognito({
        pools: [{ userPoolId: POOL, prefix: 'acme-login' }],
        tls,
        ...(m && { misbehave: { [POOL]: { discovery: m } } }),
      });
      const p = proxy ? await startProxy() : undefined;
      try {
        const env: Record<string, string> = {
          COGNITO_CLIENT_SECRET: TEST_SECRET,
          CREATIO_SSO_COGNITO_IDP_URL: f.url,
          NODE_EXTRA_CA_CERTS: CA,
        };
        if (p) env[proxy === 'https' ? 'HTTPS_PROXY' : 'HTTP_PROXY'] = p.url;
        for (const args of [
          ['validate', '--online', '--format', 'json', '--verbose', 'creatio-sso.yaml'],
          ['generate', '--dry-run', '--json', '--verbose'],
        ]) {
          // NODE_EXTRA_CA_CERTS counts only when a process starts: in-process, the fake's certificate stays untrusted.
          const a = tls ? await spawnCli(args, { cwd: dir, env }) : await runCli(args, { cwd: dir, env, columns: 80, build: 'bundle' });
          if (tls) expect(a.code, `${args.join(' ')}\n${a.stderr}`).toBe(0);
          else {
            const b = await runCli(args, { cwd: dir, env, columns: 80 });
            expect({ code: a.code, stdout: a.stdout, stderr: a.stderr }, args.join(' ')).toEqual({
              code: b.code,
              stdout: b.stdout,
              stderr: b.stderr,
            });
          }
        }
        if (p) expect(p.passages.length).toBeGreaterThan(0);
      } finally {
        await p?.close();
        await f.close();
      }
    });
});
