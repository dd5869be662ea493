import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { closedPort } from './net.js';

/**
 * moto_server on a free loopback port, for the login proof's tests (the aws area has its own harness in
 * test/support/moto.ts; this one stays separate until the two are merged). moto keeps real pool IDs and
 * issuers, signs ID tokens with its own RSA key and serves `/<poolId>/.well-known/jwks.json`; it checks
 * neither SECRET_HASH for password flows nor the client's allowed auth flows.
 */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The environment every test gives the code under test: loopback only, fixed test credentials. */
  env: (region: string) => NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  const port = await closedPort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 20_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not start on port ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    env: (region) => ({
      CREATIO_SSO_TEST: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: region,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: url,
      CREATIO_SSO_COGNITO_IDP_URL: url,
    }),
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface TestUser {
  username: string;
  password: string;
  attributes: Record<string, string>;
}

export interface TestPool {
  userPoolId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * A pool, an app client with a custom secret (moto's generated ones are UUIDs no real secret looks like) and
 * ReadAttributes listing `readAttributes` (moto puts only those into ID tokens), and confirmed users.
 */
export async function createTestPool(
  client: CognitoIdentityProviderClient,
  o: { clientSecret: string; readAttributes: string[]; users: TestUser[] },
): Promise<TestPool> {
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  const pool = await client.send(new sdk.CreateUserPoolCommand({ PoolName: 'login-proof' }));
  const userPoolId = pool.UserPool!.Id!;
  const created = await client.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'creatio',
      GenerateSecret: true,
      ClientSecret: o.clientSecret,
      ReadAttributes: o.readAttributes,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  for (const u of o.users) await addConfirmedUser(client, userPoolId, u);
  return { userPoolId, clientId: created.UserPoolClient!.ClientId!, clientSecret: o.clientSecret };
}

/** AdminCreateUser (no invitation) + AdminSetUserPassword Permanent: a user who signs in with the password alone. */
export async function addConfirmedUser(client: CognitoIdentityProviderClient, userPoolId: string, u: TestUser): Promise<void> {
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  await client.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: u.username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(u.attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await client.send(
    new sdk.AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: u.username, Password: u.password, Permanent: true }),
  );
}
