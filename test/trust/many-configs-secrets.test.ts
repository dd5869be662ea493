/**
 * §17 with §10, across configs: where each config's client secret goes in one run over many. The spawned
 * CLI (no CREATIO_SSO_TEST loopback guard) probes a custom domain, `auth.attacker.example`, served by a
 * loopback HTTPS server with a certificate the CLI trusts, reached through a real forwarding proxy that
 * routes that one name to loopback (as test/trust/custom-domain.test.ts does). The pools' discovery
 * documents come from the Cognito stand-in; no AWS (`--skip aws,creatio`). Each token request is recorded
 * with its Basic credentials, so a test sees which client ID arrived with which secret.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, spawnCli, tempDir } from '../support/cli.js';
import { startFakeCognito, type FakeCognito } from '../support/fake-cognito.js';
import { startProxy, type TestProxy } from '../support/proxy.js';

const HOST = 'auth.attacker.example';
const CERT = path.join(ROOT, 'test/fixtures/tls/attacker-cert.pem');
const KEY = path.join(ROOT, 'test/fixtures/tls/attacker-key.pem');
const A_SECRET = 'aSecretOfConfigA0000000000000000000000000000000000aa';
const B_SECRET = 'bSecretOfConfigB1111111111111111111111111111111111bb';
const POOL_A = 'us-east-1_PoolAaaaa';
const POOL_B = 'us-east-1_PoolBbbbb';
const clientId = (n: number) => `client${String(n).padStart(20, '0')}`;

let server: Server;
let port: number;
/** Basic credentials of every token request: `clientId:secret`. */
const tokens: string[] = [];
let proxy: TestProxy;
const { dir, cleanup } = tempDir('creatio-sso-many-secrets-');

beforeAll(async () => {
  server = createServer({ cert: readFileSync(CERT), key: readFileSync(KEY) }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.startsWith('/oauth2/token')) {
        const auth = req.headers.authorization ?? '';
        tokens.push(auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : `(no basic) ${auth}`);
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      } else if (url.startsWith('/oauth2/authorize')) {
        const q = new URL(url, `https://${HOST}`).searchParams;
        res.writeHead(302, { location: `https://${HOST}/login?${q.toString()}` }).end();
      } else if (url.startsWith('/logout')) {
        res.writeHead(302, { location: new URL(url, `https://${HOST}`).searchParams.get('logout_uri') ?? '/' }).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  proxy = await startProxy({ route: (host, p) => (host === HOST && p === 443 ? ['127.0.0.1', port] : undefined) });
});
afterAll(async () => {
  await proxy?.close();
  await new Promise<void>((resolve) => {
    server?.closeAllConnections();
    server?.close(() => resolve());
  });
  cleanup();
});
beforeEach(() => void (tokens.length = 0));

function config(name: string, o: { pool: string; client: string; secretVar: string; url?: string }): void {
  writeFileSync(
    path.join(dir, name),
    `version: 1\ncreatio:\n  url: ${JSON.stringify(o.url ?? 'https://acme.creatio.com')}\ncognito:\n  userPoolId: ${o.pool}\n  domain: ${HOST}\n  clientId: ${o.client}\n  clientSecret: \${env:${o.secretVar}}\n`,
  );
}

interface ManyDoc {
  configs: { file: string; exitCode: number; pinnedBy?: string; notPinned?: string; error?: string }[];
}

async function doctor(idp: FakeCognito, files: string[], env: Record<string, string>) {
  const r = await spawnCli(['doctor', '--format', 'json', '--verbose', '--skip', 'aws,creatio', ...files], {
    cwd: dir,
    env: {
      CREATIO_SSO_TEST: '0',
      CREATIO_SSO_COGNITO_IDP_URL: idp.url,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '127.0.0.1',
      NODE_EXTRA_CA_CERTS: CERT,
      A_SECRET,
      B_SECRET,
      ...env,
    },
    timeoutMs: 40_000,
  });
  return { ...r, doc: JSON.parse(r.stdout) as ManyDoc };
}

const pools = (...ids: string[]) =>
  startFakeCognito({ pools: ids.map((userPoolId) => ({ userPoolId, shape: 'custom' as const, customDomain: HOST })) });

/**
 * Two configs probed in one run, both naming the same custom domain: A's (pool A, its client, its file reading
 * ${env:A_SECRET}) pinned by A's entry with A_SECRET, and B's (pool B, its own client) whose FILE also reads
 * ${env:A_SECRET}, pinned by `entryB`.
 */
async function twoConfigs(entryB: Record<string, string>) {
  const idp = await pools(POOL_A, POOL_B);
  try {
    config('a.yaml', { pool: POOL_A, client: clientId(1), secretVar: 'A_SECRET' });
    config('b.yaml', { pool: POOL_B, client: clientId(2), secretVar: 'A_SECRET' });
    const pins = [
      { userPoolId: POOL_A, clientSecretEnv: 'A_SECRET' },
      { userPoolId: POOL_B, ...entryB },
    ];
    return await doctor(idp, ['a.yaml', 'b.yaml'], { CREATIO_SSO_PINS: JSON.stringify(pins) });
  } finally {
    await idp.close();
  }
}

describe("one run over many configs: a config's secret goes with its own config only", () => {
  it('two pinned configs probed at once: each token request carries its own client ID with its own secret', async () => {
    // B's file reaches for A's variable; B's entry names B's own.
    const r = await twoConfigs({ clientSecretEnv: 'B_SECRET' });
    expect(r.doc.configs.map((c) => c.pinnedBy)).toEqual(['CREATIO_SSO_PINS[0]', 'CREATIO_SSO_PINS[1]']);
    expect([...tokens].sort()).toEqual([`${clientId(1)}:${A_SECRET}`, `${clientId(2)}:${B_SECRET}`]);
    expect(r.stdout + r.stderr).not.toContain(A_SECRET);
    expect(r.stdout + r.stderr).not.toContain(B_SECRET);
  }, 60_000);

  it("a config whose entry names no secret variable cannot take another entry's secret through its file (${env:A_SECRET})", async () => {
    // B's entry pins B's pool and domain (a customer's own custom domain, which that customer controls), no secret.
    const r = await twoConfigs({ domain: HOST });
    // The harness works: A's own probe carried A's secret.
    expect(tokens).toContain(`${clientId(1)}:${A_SECRET}`);
    // A's secret, named by A's entry, never arrives with B's client at B's domain.
    expect(tokens.filter((t) => t.includes(A_SECRET) && !t.startsWith(`${clientId(1)}:`))).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(A_SECRET);
  }, 60_000);

  it("look-alike sites of a pinned pool (userinfo, a trailing dot, a port, a path, punycode) are not that entry's config: no secret from it", async () => {
    const idp = await pools(POOL_A);
    try {
      const pinned = 'https://acme.creatio.com';
      const lookAlikes = [
        'https://acme.creatio.com@evil.example',
        'https://acme.creatio.com.',
        'https://acme.creatio.com:8443',
        'https://acme.creatio.com/other',
        'https://acme.creatio.com.evil.example',
        'https://xn--acme-9qa.creatio.com',
        'https://acme\u200b.creatio.com',
      ];
      const files = ['a.yaml', ...lookAlikes.map((_, i) => `look-${i}.yaml`)];
      config('a.yaml', { pool: POOL_A, client: clientId(1), secretVar: 'A_SECRET' });
      lookAlikes.forEach((url, i) => config(`look-${i}.yaml`, { pool: POOL_A, client: clientId(10 + i), secretVar: 'A_SECRET', url }));
      const r = await doctor(idp, files, {
        CREATIO_SSO_PINS: JSON.stringify([{ userPoolId: POOL_A, creatioUrl: pinned, clientSecretEnv: 'A_SECRET' }]),
      });
      expect(r.doc.configs.map((c) => c.file)).toEqual(files);
      expect(r.doc.configs[0]!.pinnedBy).toBe('CREATIO_SSO_PINS[0]');
      for (const c of r.doc.configs.slice(1)) expect(c.pinnedBy, c.file).toBeUndefined();
      // Only the pinned config's probe carried the secret: one token request, with its own client ID.
      expect(tokens).toEqual([`${clientId(1)}:${A_SECRET}`]);
      expect(r.stdout + r.stderr).not.toContain(A_SECRET);
    } finally {
      await idp.close();
    }
  }, 60_000);
});
