import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, EXAMPLE_YAML, runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { closedPort } from '../support/net.js';
import { fakeCognitoPool, type FakeCognito, type FakeCognitoOptions } from '../support/fake-cognito.js';
import { startProxy } from '../support/proxy.js';

/**
 * `generate` runs the live checks by default. The built CLI is spawned against a fake cognito-idp on
 * 127.0.0.1, reached only through CREATIO_SSO_COGNITO_IDP_URL; CREATIO_SSO_TEST=1 makes the CLI refuse
 * anything but loopback, so a mistake here cannot reach AWS.
 */
const POOL = 'eu-west-1_AbCdEf123';
let dir: string;
let cleanup: () => void;
const closers: Array<() => Promise<void>> = [];
// Fake Cognito servers start once for the file; each test sets the answers it needs.
const cognitos = fakeCognitoPool();
afterAll(() => cognitos.close());

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  cognitos.release();
  cleanup();
});

function fake(options: FakeCognitoOptions): Promise<FakeCognito> {
  return cognitos.take(options);
}
const generate = (args: string[], env: Record<string, string>) =>
  runCli(['generate', ...args], { cwd: dir, env: { CREATIO_SSO_TEST: '1', COGNITO_CLIENT_SECRET: TEST_SECRET, ...env } });
const wrote = () => existsSync(path.join(dir, 'creatio-sso', 'creatio-sso-record.json'));

describe('generate with live checks', () => {
  it('writes the artifacts when the pool and its domain check out', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    const r = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.stderr).not.toContain('✖');
    expect(r.code).toBe(0);
    expect(wrote()).toBe(true);
    expect([f.discoveryCount(), f.jwksCount()]).toEqual([1, 1]);
  });

  it("names the pool's real domain on a mismatch, at the domain line, and writes nothing", async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-real' }] });
    const r = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('discovery/domain-mismatch');
    expect(r.stderr).toContain('acme-real.auth.eu-west-1.amazoncognito.com');
    expect(r.stderr).toContain('Set cognito.domain: acme-real');
    // Placed at the line of cognito.domain in the file.
    expect(r.stderr).toMatch(/^\s*9:\d+\s+error\s+.*discovery\/domain-mismatch/m);
    expect(wrote()).toBe(false);
  });

  it('warns when the pool has no domain yet, naming the fix (set-up time, §13), and fails with --strict', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, shape: 'no-domain' }] });
    const r = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('discovery/no-hosted-ui-domain');
    expect(r.stderr).toContain('npx creatio-sso apply');
    expect(r.stderr).toContain('Branding → Domain');
    expect(r.stderr).not.toContain('discovery/domain-mismatch');
    expect(wrote()).toBe(true);
    const strict = await generate(['--strict', '--out-dir', 'strict'], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(strict.code).toBe(1);
  });

  it('reports an unknown pool', async () => {
    const f = await fake({ pools: [] });
    const r = await generate(['--json'], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { files: unknown[]; findings: { code: string; path: string; line?: number }[] };
    expect(out.files).toEqual([]);
    expect(out.findings).toEqual([expect.objectContaining({ code: 'discovery/pool-not-found', path: 'cognito.userPoolId', line: 7 })]);
    expect(f.jwksCount()).toBe(0);
  });

  it('exits 3 and writes nothing when Cognito cannot be reached', async () => {
    const port = await closedPort();
    const r = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('discovery/unreachable');
    expect(r.stderr).toContain('connection refused');
    expect(r.stderr).toContain('--offline');
    expect(wrote()).toBe(false);
  });

  it('honours --timeout on a server that never answers (exit 3)', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], misbehave: { [POOL]: { discovery: 'hang' } } });
    const started = Date.now();
    const r = await generate(['--timeout', '700'], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.code).toBe(3);
    expect(r.stderr, r.stderr).toContain('within 700 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(wrote()).toBe(false);
  });

  it('prints one JSON document when inconclusive with --json', async () => {
    const port = await closedPort();
    const r = await generate(['--json'], { CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['discovery/unreachable']);
  });

  it('passes a pre-2024 document with a warning, and fails it with --strict', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, shape: 'pre-2024', prefix: 'acme-login' }] });
    const ok = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('discovery/no-end-session');
    const strict = await generate(['--strict', '--out-dir', 'strict'], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(strict.code).toBe(1);
  });

  it('asks nothing with --offline', async () => {
    const f = await fake({ pools: [] });
    const r = await generate(['--offline'], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.code).toBe(0);
    expect(f.requests).toEqual([]);
  });

  it('is a usage error (exit 2) when an override uses http to a host that is not loopback', async () => {
    const r = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: 'http://cognito.example.com' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a loopback address');
    expect(wrote()).toBe(false);
  });

  it('goes through HTTP_PROXY when it is set, and around it for NO_PROXY', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }] });
    const proxy = await startProxy();
    closers.push(() => proxy.close());
    const via = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: f.url, HTTP_PROXY: proxy.url });
    expect(via.code).toBe(0);
    expect(proxy.forwards()).toBe(2);
    const around = await generate(['--out-dir', 'direct'], {
      CREATIO_SSO_COGNITO_IDP_URL: f.url,
      http_proxy: proxy.url,
      no_proxy: '127.0.0.1',
    });
    expect(around.code).toBe(0);
    expect(proxy.forwards()).toBe(2);
    expect([f.discoveryCount(), f.jwksCount()]).toEqual([2, 2]);
  });
});

describe('progress while requests run', () => {
  it('shows a spinner on a terminal', async () => {
    const pty = (await import('@lydell/node-pty')).default;
    // Slow enough answers that the spinner draws (it starts at once) before the run ends.
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], delayMs: 200 });
    const env = cleanEnv({
      CREATIO_SSO_TEST: '1',
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      CREATIO_SSO_COGNITO_IDP_URL: f.url,
      TERM: 'xterm',
      NO_COLOR: '1',
    });
    const child = pty.spawn(process.execPath, [BIN, 'generate'], { cols: 120, rows: 30, cwd: dir, env: env as Record<string, string> });
    let screen = '';
    child.onData((d) => (screen += d));
    const code = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.onExit((e) => {
        clearTimeout(timer);
        resolve(e.exitCode);
      });
    });
    expect(code).toBe(0);
    expect(screen).toContain('Checking discovery documents and signing keys');
  });

  it('writes no spinner or progress when stderr is not a terminal', async () => {
    const f = await fake({ pools: [{ userPoolId: POOL, prefix: 'acme-login' }], delayMs: 100 });
    const r = await generate([], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Checking');
  });
});
