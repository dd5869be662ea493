/**
 * moto's Cognito emulator (`moto_server`, a Python package: `pip install "moto[server]"`) on a free
 * loopback port: `const moto = await startMoto()` in beforeAll, `await moto.stop()` in afterAll.
 * `moto.env` is an environment that points the AWS SDK at it and nowhere else.
 *
 * One server per test worker, started by the first file that asks (a Python start costs seconds): the
 * test files of a worker share this module (vitest.config.ts, isolate: false) and run one after another.
 * startMoto() hands it over clean (every pool forgotten, the secrets stand-in reset), stop() clears it
 * again; the server ends with the worker (it reads a pipe from the worker and stops when that closes).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach } from 'vitest';
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

let shared: Promise<Server> | undefined;

const SERVER = fileURLToPath(new URL('moto-server.py', import.meta.url));

interface Server {
  /** moto itself. */
  moto: string;
  secrets: SecretsStandIn;
}

export async function startMoto(): Promise<Moto> {
  const server = await (shared ??= launch().catch((e: unknown) => {
    shared = undefined;
    throw e;
  }));
  const reset = async () => {
    const res = await fetch(`${server.moto}/moto-api/reset`, { method: 'POST' });
    await res.arrayBuffer();
    server.secrets.reset();
  };
  await reset();
  return { endpoint: server.secrets.url, secrets: server.secrets, env: awsTestEnv(server.secrets.url), reset, stop: reset };
}

async function launch(): Promise<Server> {
  const found = spawnSync('/bin/sh', ['-c', 'command -v moto_server && command -v python3'], { stdio: 'ignore' });
  if (found.status !== 0) {
    throw new Error('moto_server is not installed: the AWS tests need it. Install it with: pip install "moto[server]"');
  }
  // moto's own server, its pool signing key imported once (moto-server.py: the same key for every pool, as
  // moto has it, without 0.1 s of CPU per CreateUserPool). The shell stops moto once its stdin (a pipe from
  // this process) closes: when the worker ends, however it ends. Port 0: moto takes a free port and says
  // which on stderr. (A port picked here and handed over could be taken meanwhile by another worker's moto,
  // which then answered for both until its worker ended: connection refused halfway through a file.)
  const child: ChildProcess = spawn(
    '/bin/sh',
    ['-c', 'python3 "$0" -H 127.0.0.1 -p 0 >/dev/null & m=$!; cat >/dev/null; kill $m 2>/dev/null; wait $m', SERVER],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  // Neither the child nor its pipes keep the worker alive.
  child.unref();
  for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  let stderr = '';
  let endpoint: string | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
    endpoint ??= /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    if (endpoint !== undefined) {
      try {
        const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status < 500) break;
      } catch {
        // not answering yet
      }
    }
    if (Date.now() > deadline) {
      child.stdin?.end();
      throw new Error(`moto_server did not answer within 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const secrets = await startSecretsStandIn(endpoint!);
  return { moto: endpoint!, secrets };
}

/**
 * An SDK client that administers moto's pools directly (creates pools, clients, users) for a test's set-up.
 * One attempt per call: a refusal a test provokes (a third secret is LimitExceededException, which the SDK
 * would retry as throttling) comes back at once, and moto on loopback has nothing transient to retry.
 */
export const motoAdmin = (moto: Pick<Moto, 'endpoint'>, region = 'eu-west-1'): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({
    region,
    endpoint: moto.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

/**
 * moto for the tests of one file: taken over before them (startMoto), cleared before each, handed back
 * after; `aws.moto` and `aws.admin` (an SDK client for set-ups in `region`) once the file's tests run.
 */
export function useMoto(region = 'eu-west-1'): { readonly moto: Moto; readonly admin: CognitoIdentityProviderClient } {
  let moto: Moto | undefined;
  let admin: CognitoIdentityProviderClient | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    admin = motoAdmin(moto, region);
  });
  afterAll(async () => {
    admin?.destroy();
    await moto?.stop();
  });
  beforeEach(() => moto!.reset());
  return {
    get moto() {
      return moto!;
    },
    get admin() {
      return admin!;
    },
  };
}
