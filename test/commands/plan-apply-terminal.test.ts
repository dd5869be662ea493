import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { startMoto, motoAdmin, type Moto } from '../support/moto.js';
import { spawnInTerminal, type Terminal } from '../support/pty.js';

/**
 * `plan` and `apply` as a person at a terminal meets them (§13): the built CLI in a pseudo-terminal
 * against moto. While AWS does not answer, a spinner says what the run waits for; `apply` asks once,
 * with one "(y/N)", and No is a cancel by the user (130).
 */
const REGION = 'eu-west-1';
const SECRET = 'Sx7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn4Pq6Rs8Tu1Vw';

let moto: Moto;
let dir: string;
let cleanup: () => void;
let term: Terminal | undefined;
beforeAll(async () => void (moto = await startMoto()));
afterAll(async () => moto?.stop());
beforeEach(async () => {
  await moto.reset();
  ({ dir, cleanup } = tempDir());
});
afterEach(() => {
  term?.kill();
  term = undefined;
  cleanup();
});

/** A pool with its domain and a client that lacks the sign-out URL (one change to make), and the config naming them. */
async function setup(): Promise<{ userPoolId: string; clientId: string }> {
  const admin = motoAdmin(moto, REGION);
  try {
    const pool = await admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'acme' }));
    const userPoolId = pool.UserPool!.Id!;
    await admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: 'acme-login' }));
    const client = await admin.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'creatio',
        GenerateSecret: true,
        ClientSecret: SECRET,
        CallbackURLs: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback'],
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
        AllowedOAuthFlowsUserPoolClient: true,
        SupportedIdentityProviders: ['COGNITO'],
      } as sdk.CreateUserPoolClientRequest),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      `version: 1
creatio:
  url: https://acme.creatio.com
  deployment: cloud
cognito:
  userPoolId: ${userPoolId}
  region: ${REGION}
  domain: acme-login
  clientId: ${clientId}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
`,
    );
    return { userPoolId, clientId };
  } finally {
    admin.destroy();
  }
}

const env = (extra: Record<string, string> = {}) =>
  ({ ...moto.env, COGNITO_CLIENT_SECRET: SECRET, CREATIO_SSO_TEST: '1', ...extra }) as Record<string, string>;

/** An AWS endpoint that takes every connection and never answers: the run waits until it is stopped. */
async function silentAws(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(() => {});
  server.on('connection', (s) => void sockets.add(s.on('error', () => {})));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('plan and apply at a terminal', () => {
  it('while AWS does not answer, plan shows a spinner that names what it waits for; without a terminal, nothing', async () => {
    await setup();
    const aws = await silentAws();
    try {
      const t = (term = spawnInTerminal(['plan', '--skip', 'creatio'], {
        cwd: dir,
        env: env({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: aws.url }),
      }));
      await t.waitFor('Reading the Cognito user pool and app client (AWS API)…', 8000);
      t.kill();
      // The same wait in a pipe: no spinner, no progress text on stderr.
      const piped = await runCli(['plan', '--skip', 'creatio', '--timeout', '300'], {
        cwd: dir,
        env: { ...moto.env, COGNITO_CLIENT_SECRET: SECRET, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: aws.url },
      });
      expect(piped.stderr).not.toContain('Reading the Cognito');
    } finally {
      await aws.close();
    }
  });

  it('apply asks once, with one (y/N); No is "Apply cancelled: nothing was changed." and exit 130', async () => {
    await setup();
    const t = (term = spawnInTerminal(['apply', '--skip', 'creatio,hosted-ui'], { cwd: dir, env: env() }));
    await t.waitFor(/Apply these changes to 1 resource\? \(y\/N\)/, 15_000);
    t.type('n\r');
    expect(await t.exited).toBe(130);
    expect(t.screen).toContain('Apply cancelled: nothing was changed.');
    // The prompt adds its own hint; the question does not repeat it.
    expect(t.screen).not.toContain('(y/N) (y/N)');
  });
});
