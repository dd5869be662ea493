/**
 * moto's Cognito emulator (`moto_server`, a Python package: `pip install "moto[server]"`) on a free
 * loopback port, one per test file: `const moto = await startMoto()` in beforeAll, `await moto.stop()`
 * in afterAll. `moto.env` is an environment that points the AWS SDK at it and nowhere else.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { closedPort } from './net.js';
import { startSecretsStandIn, type SecretsStandIn } from './moto-secrets.js';

export interface Moto {
  /** moto behind the client-secret stand-in (moto-secrets.ts): what every test points the SDK at. */
  endpoint: string;
  /** The client-secret stand-in: which secrets each client holds now. */
  secrets: SecretsStandIn;
  /** AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER at moto, dummy keys, no metadata service, no proxy. */
  env: NodeJS.ProcessEnv;
  /** Forget every pool (POST /moto-api/reset), so each test starts clean. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The environment every AWS test uses: keys that only moto accepts, and nothing that reaches beyond loopback. */
export function awsTestEnv(endpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
    // An empty HOME keeps the developer's ~/.aws out of the test.
    HOME: '/nonexistent-creatio-sso-test-home',
    CREATIO_SSO_TEST: '1',
  };
}

export async function startMoto(): Promise<Moto> {
  const found = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
  if (found.error !== undefined) {
    throw new Error('moto_server is not installed: the AWS tests need it. Install it with: pip install "moto[server]"');
  }
  const port = await closedPort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const secrets = await startSecretsStandIn(endpoint);
  return {
    endpoint: secrets.url,
    secrets,
    env: awsTestEnv(secrets.url),
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await res.arrayBuffer();
      secrets.reset();
    },
    async stop() {
      await secrets.close();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** An SDK client that administers moto's pools directly (creates pools, clients, users) for a test's set-up. */
export const motoAdmin = (moto: Pick<Moto, 'endpoint'>, region = 'eu-west-1'): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({
    region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
