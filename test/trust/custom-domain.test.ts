import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, spawnCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { startFakeCognito, type FakeCognito } from '../support/fake-cognito.js';
import { motoAdmin, startMoto, type Moto } from '../support/moto.js';
import { startProxy, type TestProxy } from '../support/proxy.js';

/**
 * §10: a custom domain is confirmed only by something outside the config file. The attack: a pull request
 * points the config at the attacker's own pool, whose custom domain `auth.attacker.example` the attacker
 * controls (DNS and TLS). The pool's discovery document is honest — it really names that domain — and so is
 * DescribeUserPool, yet neither proves anything about a pool the file chose.
 *
 * Everything is real and on loopback: moto for the AWS API (the attacker's pool in a second moto account, or
 * in the operator's own), a stand-in of cognito-idp's discovery host (CREATIO_SSO_COGNITO_IDP_URL: moto has
 * none), and the attacker's HTTPS server for `auth.attacker.example`, with a certificate the spawned CLI trusts
 * (NODE_EXTRA_CA_CERTS), reached through a real forwarding proxy that routes that one name to loopback. The
 * CLI is spawned without CREATIO_SSO_TEST's loopback-only guard, so a wrongly sent secret would really arrive.
 */

const ATTACKER_HOST = 'auth.attacker.example';
const ATTACKER_ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const CERT = path.join(ROOT, 'test/fixtures/tls/attacker-cert.pem');

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

let moto: Moto;
let describeFixer: { url: string; close: () => Promise<void> };
let attacker: { port: number; seen: Seen[]; close: () => Promise<void> };
let proxy: TestProxy;
const { dir, cleanup } = tempDir('creatio-sso-custom-domain-');

beforeAll(async () => {
  moto = await startMoto();
  describeFixer = await cognitoShapedMoto(moto.endpoint);
  attacker = await attackerServer();
  proxy = await startProxy({ route: (host, port) => (host === ATTACKER_HOST && port === 443 ? ['127.0.0.1', attacker.port] : undefined) });
});
afterAll(async () => {
  await proxy?.close();
  await attacker?.close();
  await describeFixer?.close();
  await moto?.stop();
  cleanup();
});
beforeEach(async () => {
  await moto.reset();
  attacker.seen.length = 0;
});

/** The attacker's pool and client, with the custom domain, in moto's default account or another one. */
async function attackerPool(account?: string): Promise<{ userPoolId: string; clientId: string }> {
  const admin = motoAdmin(moto, REGION);
  if (account) {
    // moto keeps accounts apart by this header: the tool's own calls carry none and land in the default account.
    admin.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = account;
        return next(args);
      },
      { step: 'build', name: 'motoAccount' },
    );
  }
  const pool = await admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'attacker' }));
  const userPoolId = pool.UserPool!.Id!;
  await admin.send(
    new sdk.CreateUserPoolDomainCommand({
      UserPoolId: userPoolId,
      Domain: ATTACKER_HOST,
      CustomDomainConfig: { CertificateArn: `arn:aws:acm:us-east-1:${account ?? '123456789012'}:certificate/attacker` },
    }),
  );
  const client = await admin.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'attacker',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback'],
      LogoutURLs: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback'],
    }),
  );
  admin.destroy();
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}

function writeConfig(userPoolId: string, clientId: string): void {
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    `version: 1
creatio:
  url: https://acme.creatio.com
cognito:
  userPoolId: ${userPoolId}
  domain: ${ATTACKER_HOST}
  clientId: ${clientId}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
`,
  );
}

interface DoctorJson {
  files: Array<{ findings: Array<{ code: string; message: string }>; checks: Array<{ name: string; status: string; summary: string }> }>;
}

/** The spawned CLI's environment: moto, the discovery stand-in, the proxy that routes the attacker's host, its certificate. */
const harnessEnv = (idp: FakeCognito, extra: Record<string, string>) => ({
  ...moto.env,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: describeFixer.url,
  AWS_REGION: REGION,
  // No loopback-only guard: the proxy and the routes above are what keep every packet on this machine.
  CREATIO_SSO_TEST: '0',
  CREATIO_SSO_COGNITO_IDP_URL: idp.url,
  HTTPS_PROXY: proxy.url,
  NO_PROXY: '127.0.0.1',
  NODE_EXTRA_CA_CERTS: CERT,
  ...extra,
});

async function doctor(idp: FakeCognito, extra: Record<string, string> = {}) {
  const r = await spawnCli(['doctor', '--format', 'json', '--skip', 'creatio'], {
    cwd: dir,
    env: harnessEnv(idp, { COGNITO_CLIENT_SECRET: TEST_SECRET, ...extra }),
    timeoutMs: 30_000,
  });
  const doc = JSON.parse(r.stdout) as DoctorJson;
  const file = doc.files[0]!;
  return { ...r, file, token: file.checks.find((c) => c.name === 'token')! };
}

const secretForms = [TEST_SECRET, encodeURIComponent(TEST_SECRET), Buffer.from(`x:${TEST_SECRET}`).toString('base64').slice(4, 20)];
const leaked = (seen: readonly Seen[]): Seen[] =>
  seen.filter((s) => s.authorization !== undefined || s.path.startsWith('/oauth2/token') || secretForms.some((f) => s.body.includes(f)));

describe("a custom domain only the file names gets no secret (§10), whatever the file's pool says", () => {
  it("the attacker's pool in another AWS account: discovery names the domain honestly, the token probe does not run", async () => {
    const { userPoolId, clientId } = await attackerPool(ATTACKER_ACCOUNT);
    writeConfig(userPoolId, clientId);
    const idp = await startFakeCognito({ pools: [{ userPoolId, shape: 'custom', customDomain: ATTACKER_HOST }] });
    try {
      const r = await doctor(idp);
      expect(r.token.status).toBe('skip');
      const warning = r.file.findings.find((f) => f.code === 'token/skipped-unconfirmed-domain');
      expect(warning?.message).toContain('custom domain that only the config file names');
      expect(warning?.message).toContain('CREATIO_SSO_USER_POOL_ID');
      // The harness works: the other probes (no secret) did reach the attacker's server through the proxy.
      expect(attacker.seen.some((s) => s.path.startsWith('/oauth2/authorize'))).toBe(true);
      expect(leaked(attacker.seen)).toEqual([]);
      expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    } finally {
      await idp.close();
    }
  });

  it("the attacker's pool in the operator's own account: DescribeUserPool names the domain too, still no secret", async () => {
    const { userPoolId, clientId } = await attackerPool();
    writeConfig(userPoolId, clientId);
    const idp = await startFakeCognito({ pools: [{ userPoolId, shape: 'custom', customDomain: ATTACKER_HOST }] });
    try {
      const r = await doctor(idp);
      // The AWS section really read the pool (so DescribeUserPool's answer was there to be misused).
      expect(r.file.checks.find((c) => c.name === 'aws')?.status).not.toBe('skip');
      expect(r.token.status).toBe('skip');
      expect(r.file.findings.map((f) => f.code)).toContain('token/skipped-unconfirmed-domain');
      expect(leaked(attacker.seen)).toEqual([]);
    } finally {
      await idp.close();
    }
  });

  it('the same pool pinned by CREATIO_SSO_USER_POOL_ID: its discovery and DescribeUserPool vouch, the probe runs (the harness sees it)', async () => {
    const { userPoolId, clientId } = await attackerPool();
    writeConfig(userPoolId, clientId);
    const idp = await startFakeCognito({ pools: [{ userPoolId, shape: 'custom', customDomain: ATTACKER_HOST }] });
    try {
      const r = await doctor(idp, { CREATIO_SSO_USER_POOL_ID: userPoolId });
      expect(r.token.status).toBe('pass');
      // The operator pinned the pool: the Basic credentials arrive at the domain that pool names.
      const token = attacker.seen.filter((s) => s.path.startsWith('/oauth2/token'));
      expect(token).toHaveLength(1);
      expect(token[0]!.authorization).toBe(`Basic ${Buffer.from(`${clientId}:${TEST_SECRET}`).toString('base64')}`);
      expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    } finally {
      await idp.close();
    }
  });

  it('the same pool pinned, its discovery failing: DescribeUserPool alone vouches, and the token probe runs', async () => {
    const { userPoolId, clientId } = await attackerPool();
    writeConfig(userPoolId, clientId);
    const idp = await startFakeCognito({
      pools: [{ userPoolId, shape: 'custom', customDomain: ATTACKER_HOST }],
      misbehave: { [userPoolId]: { discovery: 'status-500' } },
    });
    try {
      const r = await doctor(idp, { CREATIO_SSO_USER_POOL_ID: userPoolId });
      expect(r.token.status).toBe('pass');
      expect(attacker.seen.filter((s) => s.path.startsWith('/oauth2/token'))).toHaveLength(1);
      expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    } finally {
      await idp.close();
    }
  });

  it('the domain named by CREATIO_SSO_DOMAIN, equal to the file: confirmed (an equal value is no override, but it vouches)', async () => {
    const { userPoolId, clientId } = await attackerPool(ATTACKER_ACCOUNT);
    writeConfig(userPoolId, clientId);
    const idp = await startFakeCognito({ pools: [{ userPoolId, shape: 'custom', customDomain: ATTACKER_HOST }] });
    try {
      const r = await doctor(idp, { CREATIO_SSO_DOMAIN: ATTACKER_HOST });
      expect(r.token.status).toBe('pass');
      expect(attacker.seen.filter((s) => s.path.startsWith('/oauth2/token'))).toHaveLength(1);
      expect(r.stderr).not.toContain('instead of cognito.domain');
    } finally {
      await idp.close();
    }
  });
});

/**
 * §17, §10 per config: one run over two configs. Both name the same custom domain (here the attacker's
 * server stands in for the operator's own custom domain too: what tells them apart is only the pin). The
 * operator's config is pinned by its CREATIO_SSO_PINS entry, which names the variable holding its secret;
 * the other config — a pull request's, pointing at the attacker's pool in another account — names that same
 * variable in its file. Only the pinned config's probe sends the secret, with its own client ID.
 */
describe('CREATIO_SSO_PINS: §10 holds per config in a run over many', () => {
  it("only the pinned config's secret leaves the process; the unpinned one's custom domain gets no secret", async () => {
    const ours = await attackerPool();
    const theirs = await attackerPool(ATTACKER_ACCOUNT);
    const config = (name: string, p: { userPoolId: string; clientId: string }) =>
      writeFileSync(
        path.join(dir, name),
        `version: 1\ncreatio:\n  url: https://acme.creatio.com\ncognito:\n  userPoolId: ${p.userPoolId}\n  domain: ${ATTACKER_HOST}\n  clientId: ${p.clientId}\n  clientSecret: \${env:PROD_SECRET}\n`,
      );
    config('prod.yaml', ours);
    config('pr.yaml', theirs);
    const idp = await startFakeCognito({
      pools: [
        { userPoolId: ours.userPoolId, shape: 'custom', customDomain: ATTACKER_HOST },
        { userPoolId: theirs.userPoolId, shape: 'custom', customDomain: ATTACKER_HOST },
      ],
    });
    try {
      const r = await spawnCli(['doctor', '--format', 'json', '--skip', 'creatio', 'prod.yaml', 'pr.yaml'], {
        cwd: dir,
        env: harnessEnv(idp, {
          PROD_SECRET: TEST_SECRET,
          CREATIO_SSO_PINS: JSON.stringify([{ userPoolId: ours.userPoolId, clientSecretEnv: 'PROD_SECRET' }]),
        }),
        timeoutMs: 30_000,
      });
      const doc = JSON.parse(r.stdout) as {
        configs: (DoctorJson['files'][number] & { file: string; pinnedBy?: string; notPinned?: string; files: DoctorJson['files'] })[];
      };
      const [prod, pr] = doc.configs;
      expect(prod!.file).toBe('prod.yaml');
      expect(prod!.pinnedBy).toBe('CREATIO_SSO_PINS[0]');
      expect(prod!.files[0]!.checks.find((c) => c.name === 'token')!.status).toBe('pass');
      expect(pr!.notPinned).toContain('no CREATIO_SSO_PINS entry');
      expect(pr!.files[0]!.checks.find((c) => c.name === 'token')!.status).toBe('skip');
      // Its file names the pinned config's variable, which is not in its environment at all (and it is told so).
      expect(pr!.files[0]!.findings.map((f) => f.code)).toContain('client-secret/unresolved');
      expect(r.stderr.replace(/\s+/g, ' ')).toContain(
        'cognito.clientSecret names "PROD_SECRET", which CREATIO_SSO_PINS holds for another config',
      );
      // The pinned config's file names the same variable as its entry: no override, so no notice about it.
      expect(r.stderr).not.toContain('instead of cognito.clientSecret');
      const overridden = (prod!.files[0]!.findings as { code: string; path?: string }[]).filter((f) => f.code === 'input/overridden');
      expect(overridden.map((f) => f.path)).not.toContain('cognito.clientSecret');
      // One token request reached the domain: the pinned config's, with its own client ID.
      const token = attacker.seen.filter((s) => s.path.startsWith('/oauth2/token'));
      expect(token).toHaveLength(1);
      expect(token[0]!.authorization).toBe(`Basic ${Buffer.from(`${ours.clientId}:${TEST_SECRET}`).toString('base64')}`);
      // The harness works: the unpinned config's probes without a secret did reach the server.
      expect(attacker.seen.some((s) => s.path.startsWith('/oauth2/authorize') && s.path.includes(theirs.clientId))).toBe(true);
      expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    } finally {
      await idp.close();
    }
  }, 60_000);
});

/**
 * The attacker's hosted UI: answers like Cognito (authorize → a redirect to its login page, token → the
 * answer of a client whose secret was accepted, logout → a redirect) and records every request.
 */
async function attackerServer(): Promise<{ port: number; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createHttpsServer(
    { cert: readFileSync(CERT), key: readFileSync(path.join(ROOT, 'test/fixtures/tls/attacker-key.pem')) },
    (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const url = req.url ?? '';
        seen.push({
          method: req.method ?? '',
          path: url,
          body,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        });
        if (url.startsWith('/oauth2/token')) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
        } else if (url.startsWith('/oauth2/authorize')) {
          const q = new URL(url, `https://${ATTACKER_HOST}`).searchParams;
          res.writeHead(302, { location: `https://${ATTACKER_HOST}/login?${q.toString()}` }).end();
        } else if (url.startsWith('/logout')) {
          const q = new URL(url, `https://${ATTACKER_HOST}`).searchParams;
          res.writeHead(302, { location: q.get('logout_uri') ?? '/' }).end();
        } else res.writeHead(404).end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen, close: () => closeServer(server) };
}

/**
 * moto in front of a forwarder that gives DescribeUserPool Cognito's own shape: Cognito answers a custom
 * domain in `CustomDomain` and only a prefix in `Domain`; moto puts either in `Domain`. Only that answer is
 * changed (a mock of what moto gets wrong, nothing else).
 */
async function cognitoShapedMoto(endpoint: string): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(endpoint);
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            let body = Buffer.concat(parts);
            if (String(req.headers['x-amz-target']).endsWith('.DescribeUserPool') && up.statusCode === 200) {
              const doc = JSON.parse(body.toString('utf8')) as { UserPool?: { Domain?: string; CustomDomain?: string } };
              if (doc.UserPool?.Domain?.includes('.')) {
                doc.UserPool.CustomDomain = doc.UserPool.Domain;
                delete doc.UserPool.Domain;
              }
              body = Buffer.from(JSON.stringify(doc));
            }
            // The body is sent whole, with its length: not also chunked (a 4xx of moto's is; both at once is a parse error).
            const { 'transfer-encoding': _chunked, ...rest } = up.headers;
            const headers = { ...rest, 'content-length': String(body.length) };
            res.writeHead(up.statusCode ?? 502, headers).end(body);
          });
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) };
}

const closeServer = (server: Server | ReturnType<typeof createHttpsServer>): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
