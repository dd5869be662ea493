import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AwsCredentialsError, awsProxyFor, cognitoClient, cognitoEndpoint, credentialChain } from '../../src/aws/client.js';
import { readCognito } from '../../src/aws/read.js';
import { UsageError } from '../../src/cli/errors.js';
import { awsSettingsOf } from '../../src/settings/aws.js';
import { awsTestEnv } from '../support/moto.js';
import { startProxy, type TestProxy } from '../support/proxy.js';

describe('whether the AWS API is used (settings.aws)', () => {
  it.each<[string, { aws?: boolean; awsProfile?: string }, NodeJS.ProcessEnv, boolean]>([
    ['nothing', {}, {}, false],
    ['a [default] profile alone (HOME only)', {}, { HOME: '/home/u' }, false],
    ['--aws', { aws: true }, {}, true],
    ['--aws-profile', { awsProfile: 'ci' }, {}, true],
    ['AWS_PROFILE', {}, { AWS_PROFILE: 'ci' }, true],
    ['AWS_ACCESS_KEY_ID', {}, { AWS_ACCESS_KEY_ID: 'AKIA' }, true],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', {}, { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }, true],
    ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', {}, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' }, true],
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', {}, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/creds' }, true],
    ['an empty AWS_PROFILE', {}, { AWS_PROFILE: '' }, false],
    ['only a region', {}, { AWS_REGION: 'eu-west-1' }, false],
  ])('%s → %s', (_name, flags, env, expected) => {
    expect(awsSettingsOf(flags, env).wanted).toBe(expected);
  });

  it.each<[string, { aws?: boolean; awsProfile?: string }, { asked: boolean; explicit: boolean; profile?: string }]>([
    ['nothing', {}, { asked: false, explicit: false }],
    ['--aws', { aws: true }, { asked: true, explicit: true }],
    ['--aws-profile ci', { awsProfile: 'ci' }, { asked: true, explicit: false, profile: 'ci' }],
    ['an empty --aws-profile', { awsProfile: ' ' }, { asked: false, explicit: false, profile: ' ' }],
  ])('%s: asked by flag, or not', (_name, flags, expected) => {
    const { asked, explicit, profile } = awsSettingsOf(flags, { AWS_PROFILE: 'env-profile' });
    expect({ asked, explicit, ...(profile !== undefined ? { profile } : {}) }).toEqual(expected);
  });
});

describe('cognitoEndpoint', () => {
  it.each<[NodeJS.ProcessEnv, string]>([
    [{}, 'https://cognito-idp.eu-west-1.amazonaws.com'],
    [{ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:5000/' }, 'http://127.0.0.1:5000'],
    [{ AWS_ENDPOINT_URL: 'http://localhost:4566' }, 'http://localhost:4566'],
    [
      { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:5000', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'https://cognito-idp.eu-west-1.amazonaws.com',
    ],
  ])('%o → %s', (env, url) => {
    expect(cognitoEndpoint(env, 'eu-west-1').url).toBe(url);
  });

  it.each(['http://cognito.example.com', 'not a url', 'ftp://127.0.0.1'])('refuses %s (usage error)', (value) => {
    expect(() => cognitoEndpoint({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: value }, 'eu-west-1')).toThrow(UsageError);
  });
});

describe('awsProxyFor', () => {
  const proxy = {
    httpsProxy: 'http://proxy.local:3128',
    httpProxy: 'http://proxy.local:3128',
    noProxy: 'internal.example.com,.amazonaws.cn',
  };
  it.each<[string, string | undefined]>([
    ['https://cognito-idp.eu-west-1.amazonaws.com', 'http://proxy.local:3128'],
    ['https://api.internal.example.com', undefined],
    ['http://127.0.0.1:5000', undefined],
  ])('%s → %s', (endpoint, expected) => {
    expect(awsProxyFor(endpoint, proxy)).toBe(expected);
  });
});

describe('the SDK client honours the tool settings', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startProxy({ refuseConnect: 403 });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('HTTPS_PROXY applies to AWS calls (the loopback proxy refuses the tunnel: nothing leaves the machine)', async () => {
    const env: NodeJS.ProcessEnv = { ...awsTestEnv('unused'), HTTPS_PROXY: proxy.url };
    delete env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
    const client = await cognitoClient({ env, region: 'eu-west-1', timeoutMs: 2000 });
    const result = await readCognito(client, { userPoolId: 'eu-west-1_AbCdEf123' });
    client.destroy();
    expect(proxy.passages.map((p) => p.target)).toContain('cognito-idp.eu-west-1.amazonaws.com:443');
    expect(result).toMatchObject({ ok: false, finding: { code: 'aws/unreachable' } });
  });

  it('under the test suite, a non-loopback first hop is refused before any request', async () => {
    const env = awsTestEnv('unused');
    delete env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
    await expect(cognitoClient({ env, region: 'eu-west-1', timeoutMs: 2000 })).rejects.toThrow(UsageError);
  });
});

describe('credentialChain: fed from the passed environment', () => {
  it('static keys come from the passed env, not process.env', async () => {
    const creds = await credentialChain({
      env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalr', AWS_SESSION_TOKEN: 'tok' },
      region: 'eu-west-1',
      timeoutMs: 1000,
    })();
    expect(creds).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalr', sessionToken: 'tok' });
  });

  it('nothing named and no --aws: fails at once, no provider (and no metadata service) is tried', async () => {
    // AWS_EC2_METADATA_DISABLED is deliberately absent: only the chain's own rule keeps 169.254.169.254 out.
    const started = Date.now();
    await expect(credentialChain({ env: { HOME: '/nonexistent' }, region: 'eu-west-1', timeoutMs: 1000 })()).rejects.toThrow(
      AwsCredentialsError,
    );
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('container credentials: the full URI and the authorization token from the passed env', async () => {
    let authorization: string | undefined;
    const server = createServer((req, res) => {
      authorization = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          AccessKeyId: 'ASIACONTAINER',
          SecretAccessKey: 'sek',
          Token: 'tok',
          Expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const env = {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/creds`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer abc',
        HOME: '/nonexistent',
      };
      const creds = await credentialChain({ env, region: 'eu-west-1', timeoutMs: 2000 })();
      expect(creds.accessKeyId).toBe('ASIACONTAINER');
      expect(authorization).toBe('Bearer abc');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('timeouts', () => {
  it('an endpoint that accepts but never answers: aws/unreachable within the --timeout budget', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer(() => undefined);
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const client = await cognitoClient({ env: awsTestEnv(`http://127.0.0.1:${port}`), region: 'eu-west-1', timeoutMs: 300 });
      const started = Date.now();
      const result = await readCognito(client, { userPoolId: 'eu-west-1_AbCdEf123' });
      client.destroy();
      expect(result).toMatchObject({ ok: false, finding: { code: 'aws/unreachable' } });
      if (!result.ok) expect(result.finding.message).toContain('timed out');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('properties', () => {
  it('any endpoint variable gives a URL or a usage error, never a crash', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        try {
          const { url } = cognitoEndpoint({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: value }, 'eu-west-1');
          expect(url).toMatch(/^https?:\/\//);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
    );
  });
});

describe('retries: a rate is retried, a quota is not (§11)', () => {
  /** A cognito-idp stand-in that refuses every call with one error type; how many calls reached it. */
  async function refusing(type: string): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: type, message: type }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, calls: () => calls, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it.each<[string, (calls: number) => void]>([
    // Cognito's quotas (a third client secret, an app client past the pool's limit): the SDK lists the name
    // among its throttling errors, but waiting does not lift a quota.
    ['LimitExceededException', (calls) => expect(calls).toBe(1)],
    ['TooManyRequestsException', (calls) => expect(calls).toBeGreaterThan(1)],
  ])('%s', async (type, expectCalls) => {
    const cognito = await refusing(type);
    try {
      const client = await cognitoClient({ env: awsTestEnv(cognito.url), region: 'eu-west-1', timeoutMs: 2000, retryDelayScale: 0.001 });
      const result = await readCognito(client, { userPoolId: 'eu-west-1_AbCdEf123' });
      client.destroy();
      expect(result.ok).toBe(false);
      expectCalls(cognito.calls());
    } finally {
      await cognito.close();
    }
  });
});
