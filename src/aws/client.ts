/**
 * The Cognito API client (§11), built from explicit options instead of `process`: the command's
 * environment, the pool's region, --aws-profile, --timeout and the tool's proxy settings. The SDK is
 * loaded with `await import()` so commands that never talk to AWS do not pay for it.
 *
 * Credentials come from a chain of the SDK's own providers, each fed from the passed environment:
 * a named profile (--aws-profile / AWS_PROFILE), static keys (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY),
 * web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN), container credentials
 * (AWS_CONTAINER_CREDENTIALS_*), and only when the user asked for AWS with --aws: the [default] profile
 * and then EC2's instance metadata (unless AWS_EC2_METADATA_DISABLED). So the metadata service at
 * 169.254.169.254 is never probed unasked.
 * Exceptions where the SDK reads `process.env` itself (§10 allows it): the home folder of the SSO token
 * cache (HOME) inside the profile provider, a profile's `credential_source = Environment`, and the
 * STS/SSO clients a profile or web identity may need to assume a role.
 */
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AwsClientCache } from './shared-clients.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2, StandardRetryBackoffStrategy } from '@smithy/types';
import { UsageError } from '../cli/errors.js';
import { isLoopbackHost, isLoopbackUrl } from '../core/hosts/loopback.js';
import { proxyFor, proxySettingsOf, type ProxySettings } from '../net/http.js';

export interface AwsClientOptions {
  /** The command's environment (the context's), never process.env. */
  env: NodeJS.ProcessEnv;
  /** The pool's region. */
  region: string;
  /** --aws-profile; else AWS_PROFILE from env. */
  profile?: string;
  /** --timeout: connection and request limit of every AWS call. */
  timeoutMs: number;
  /** The tool's proxy settings; default: read from env (HTTPS_PROXY, NO_PROXY, lower case first). */
  proxy?: ProxySettings;
  /**
   * The user asked for AWS explicitly (--aws): then, when nothing in the environment names credentials,
   * the [default] profile and EC2's instance metadata may be tried.
   */
  explicit?: boolean;
  /** The run's stop (SIGINT, SIGTERM, SIGHUP): aborts every call in flight, so no socket outlives the run. */
  signal?: AbortSignal;
  /** Multiplies the retry back-off (tests against the rate-limit stand-in's scaled clock); default 1. */
  retryDelayScale?: number;
  /** Many configs (§17): one client per region and credentials, shared by all, closed by the cache's owner. */
  shared?: AwsClientCache;
}

const CONTAINER_VARIABLES = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'] as const;

const isSet = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** The Cognito API endpoint: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (or AWS_ENDPOINT_URL), else the region's. */
export function cognitoEndpoint(env: NodeJS.ProcessEnv, region: string): { url: string; fromEnv: boolean } {
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true';
  const configured = ignore ? undefined : [env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, env.AWS_ENDPOINT_URL].find(isSet);
  if (configured === undefined) return { url: `https://cognito-idp.${region}.amazonaws.com`, fromEnv: false };
  let url: URL;
  try {
    url = new URL(configured.trim());
  } catch {
    throw new UsageError('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER is not a URL: set it to e.g. http://127.0.0.1:5000 or unset it.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UsageError(
      'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER must be https, or http on a loopback host (localhost, 127.0.0.0/8, [::1]).',
    );
  }
  return { url: url.href.replace(/\/$/, ''), fromEnv: true };
}

/** Where the AWS SDK's requests go through a proxy: https endpoints only, NO_PROXY respected. */
export function awsProxyFor(endpoint: string, proxy: ProxySettings): string | undefined {
  // A signed request never goes through a proxy in cleartext (§10): http endpoints (loopback) go direct.
  if (!endpoint.startsWith('https:')) return undefined;
  return proxyFor(endpoint, proxy);
}

/** A typed failure of the credential chain: read.ts maps it to aws/credentials. */
export class AwsCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsCredentialsError';
  }
}

/** Build the Cognito client. Throws UsageError for an unusable endpoint or proxy variable. */
export async function cognitoClient(options: AwsClientOptions): Promise<CognitoIdentityProviderClient> {
  const endpoint = cognitoEndpoint(options.env, options.region);
  const proxySettings = options.proxy ?? proxySettingsOf(options.env);
  const proxyUrl = awsProxyFor(endpoint.url, proxySettings);
  if (!options.shared) return buildClient(options, endpoint, proxyUrl);
  // What decides the client: where it sends, through what, with which credentials, on which clock.
  const key = JSON.stringify([
    options.region,
    endpoint.url,
    proxyUrl ?? '',
    [options.profile, options.env.AWS_PROFILE].find(isSet) ?? '',
    options.env.AWS_ACCESS_KEY_ID ?? '',
    options.explicit === true,
    options.timeoutMs,
    options.retryDelayScale ?? 1,
  ]);
  return options.shared.get(key, () => buildClient(options, endpoint, proxyUrl));
}

async function buildClient(
  options: AwsClientOptions,
  endpoint: { url: string },
  proxyUrl: string | undefined,
): Promise<CognitoIdentityProviderClient> {
  // The test suite sets CREATIO_SSO_TEST=1: then the first hop (endpoint or proxy) must be loopback, whatever a test forgot.
  if (options.env.CREATIO_SSO_TEST === '1' && !isLoopbackUrl(proxyUrl ?? endpoint.url)) {
    throw new UsageError(
      'CREATIO_SSO_TEST=1: AWS calls must go to a loopback endpoint or proxy (set AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).',
    );
  }
  const [{ CognitoIdentityProviderClient }, { NodeHttpHandler }, { AdaptiveRetryStrategy, DefaultRateLimiter }] = await Promise.all([
    import('@aws-sdk/client-cognito-identity-provider'),
    import('@smithy/node-http-handler'),
    import('@smithy/core/retry'),
  ]);
  let httpsAgent;
  if (proxyUrl !== undefined) {
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    try {
      httpsAgent = new HttpsProxyAgent(proxyUrl);
    } catch {
      throw new UsageError('HTTPS_PROXY is not a URL: set it to e.g. http://proxy.example.com:3128 or unset it.');
    }
  }
  const scale = options.retryDelayScale ?? 1;
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: options.timeoutMs,
    requestTimeout: options.timeoutMs,
    // Without this the handler only logs a warning when requestTimeout passes, and waits on.
    throwOnRequestTimeout: true,
    ...(httpsAgent ? { httpsAgent } : {}),
  });
  const client = new CognitoIdentityProviderClient({
    region: options.region,
    // Always explicit, so the SDK never picks an endpoint from process.env behind the context's back.
    endpoint: endpoint.url,
    requestHandler,
    credentials: credentialChain(options, requestHandler),
    retryStrategy: throttleTolerantRetry(
      new AdaptiveRetryStrategy(THROTTLED_ATTEMPTS, {
        backoff: fullJitter(scale),
        // The pace is kept per category of Cognito's limits (paceByCategory below), not for the client as a whole.
        rateLimiter: UNPACED,
      }),
    ),
  });
  // The client-side rate limiter's slowest pace (0.5 requests a second by default), on the same clock.
  paceByCategory(client, () => new DefaultRateLimiter({ minFillRate: 0.5 / scale }));
  const { signal } = options;
  if (signal) {
    // Every call gets the run's stop unless it brings its own: a stopped run does not wait for AWS.
    const send = client.send.bind(client) as (command: unknown, opts?: { abortSignal?: AbortSignal }) => Promise<unknown>;
    client.send = ((command: unknown, opts?: { abortSignal?: AbortSignal }) =>
      send(command, { abortSignal: signal, ...opts })) as typeof client.send;
  }
  return client;
}

/** Cognito's categories of rate limits (§11, §17): an operation not named here is paced on its own. */
const CATEGORY_OF: Readonly<Record<string, string>> = {
  DescribeUserPool: 'UserPoolRead',
  DescribeUserPoolDomain: 'UserPoolRead',
  DescribeManagedLoginBrandingByClient: 'UserPoolRead',
  DescribeUserPoolClient: 'UserPoolClientRead',
  ListUserPoolClientSecrets: 'UserPoolClientRead',
  UpdateUserPoolClient: 'UserPoolClientUpdate',
  CreateUserPoolClient: 'UserPoolClientUpdate',
  AddUserPoolClientSecret: 'UserPoolClientUpdate',
  DeleteUserPoolClientSecret: 'UserPoolClientUpdate',
};

interface RateLimiter {
  getSendToken(): Promise<void>;
  updateClientSendingRate(answer: unknown): void;
}
const UNPACED: RateLimiter = { getSendToken: async () => {}, updateClientSendingRate: () => {} };

/**
 * The SDK's adaptive rate limiter, one per category: Cognito limits each category of an account on its own,
 * so "too many requests" for client reads must not slow the pool reads down (one limiter for the whole
 * client did: 67 % of the allowed rate over 200 configs, against 80 % asked). Each attempt (inside the
 * retry loop) waits for its category's token and reports its answer to it.
 */
function paceByCategory(client: CognitoIdentityProviderClient, limiter: () => RateLimiter): void {
  const limiters = new Map<string, RateLimiter>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const category = CATEGORY_OF[operation] ?? operation;
      let pace = limiters.get(category);
      if (!pace) limiters.set(category, (pace = limiter()));
      await pace.getSendToken();
      try {
        const answer = await next(args);
        pace.updateClientSendingRate({});
        return answer;
      } catch (e) {
        pace.updateClientSendingRate(e);
        throw e;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'cognitoPaceByCategory' },
  );
}

/**
 * §11: Cognito's rate limits (about 15 requests a second per account and category, 5 per pool and
 * operation) are the normal case with many environments, so a throttled call is retried, adaptively
 * (the SDK's client-side rate limiter slows down for the whole client), up to this many attempts.
 */
export const THROTTLED_ATTEMPTS = 6;

/** The longest pause between two attempts (the SDK's own cap). */
const MAX_RETRY_DELAY_MS = 20_000;

/**
 * Exponential back-off with full jitter, as the SDK's default (base 500 ms for throttling, set by the
 * strategy), scaled for tests: the SDK's own cannot be scaled, and a test of exhausted retries would wait.
 */
function fullJitter(scale: number): StandardRetryBackoffStrategy {
  let base = 100;
  return {
    setDelayBase: (delay) => {
      base = delay;
    },
    computeNextBackoffDelay: (attempt) => Math.floor(Math.random() * Math.min(MAX_RETRY_DELAY_MS, base * 2 ** attempt) * scale),
  };
}

/**
 * Errors the SDK counts as throttling that are Cognito quotas, not rates: LimitExceededException is a
 * third client secret, an app client past the pool's quota. Retrying cannot help; the SDK's list has
 * them because other services use the name for a rate.
 */
const QUOTA_ERRORS = new Set(['LimitExceededException']);

/**
 * The adaptive strategy for throttling, and one retry for anything else: an unreachable endpoint should
 * cost two timeouts, not eight; a quota, none. The SDK stops retrying when a refresh throws, and reports
 * the last error.
 */
function throttleTolerantRetry(adaptive: RetryStrategyV2): RetryStrategyV2 & { mode: string } {
  return {
    mode: 'adaptive',
    acquireInitialRetryToken: (scope) => adaptive.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: async (token, info) => {
      // The retry middleware passes the error itself beside its type (RetryErrorInfo declares only the type).
      const name = (info as { error?: { name?: unknown } }).error?.name;
      if (typeof name === 'string' && QUOTA_ERRORS.has(name)) throw new Error('a quota: no retry');
      if (info.errorType !== 'THROTTLING' && token.getRetryCount() >= 1) throw new Error('no retry left for this error');
      return adaptive.refreshRetryTokenForRetry(token, info);
    },
    recordSuccess: (token) => adaptive.recordSuccess(token),
  };
}

type Provider = () => Promise<AwsCredentialIdentity>;

/**
 * The credential chain of the class comment. Each link is decided from the passed env when the chain is
 * built; the providers themselves load lazily on first use and the result is cached until it expires.
 */
export function credentialChain(options: AwsClientOptions, requestHandler?: unknown): AwsCredentialIdentityProvider {
  const { env } = options;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const files = {
    filepath: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
    configFilepath: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
  };
  // Inner clients (STS for role assumption, SSO) use the same region and handler, so the proxy applies.
  const clientConfig = { region: options.region, ...(requestHandler ? { requestHandler } : {}) };
  const profile = [options.profile, env.AWS_PROFILE].find(isSet);

  const links: { name: string; provider: Provider }[] = [];
  if (profile !== undefined) {
    links.push({ name: `profile ${profile}`, provider: fromProfile(profile, files, clientConfig) });
  } else if (isSet(env.AWS_ACCESS_KEY_ID) && isSet(env.AWS_SECRET_ACCESS_KEY)) {
    const keys: AwsCredentialIdentity = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
      ...(isSet(env.AWS_SESSION_TOKEN) ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(isSet(env.AWS_CREDENTIAL_EXPIRATION) ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
    };
    links.push({ name: 'AWS_ACCESS_KEY_ID', provider: async () => keys });
  } else if (isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE)) {
    links.push({
      name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      provider: async () => {
        const { fromTokenFile } = await import('@aws-sdk/credential-provider-web-identity');
        if (!isSet(env.AWS_ROLE_ARN)) throw new AwsCredentialsError('AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not.');
        return fromTokenFile({
          webIdentityTokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE,
          roleArn: env.AWS_ROLE_ARN,
          ...(isSet(env.AWS_ROLE_SESSION_NAME) ? { roleSessionName: env.AWS_ROLE_SESSION_NAME } : {}),
          clientConfig,
        })();
      },
    });
  } else if (CONTAINER_VARIABLES.some((name) => isSet(env[name]))) {
    links.push({
      name: 'AWS_CONTAINER_CREDENTIALS_*',
      provider: async () => {
        const { fromHttp } = await import('@aws-sdk/credential-provider-http');
        return fromHttp({
          awsContainerCredentialsRelativeUri: env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
          awsContainerCredentialsFullUri: env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
          awsContainerAuthorizationToken: env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
          awsContainerAuthorizationTokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
          timeout: Math.min(options.timeoutMs, 5000),
        })();
      },
    });
  } else if (options.explicit === true) {
    links.push({ name: 'profile default', provider: fromProfile('default', files, clientConfig) });
    const imdsDisabled = env.AWS_EC2_METADATA_DISABLED !== undefined && env.AWS_EC2_METADATA_DISABLED.trim().toLowerCase() !== 'false';
    if (!imdsDisabled) {
      links.push({
        name: 'EC2 instance metadata',
        provider: async () => {
          const { fromInstanceMetadata } = await import('@smithy/credential-provider-imds');
          return fromInstanceMetadata({ timeout: Math.min(options.timeoutMs, 1000), maxRetries: 0 })();
        },
      });
    }
  }

  let cached: Promise<AwsCredentialIdentity> | undefined;
  const resolve = async (): Promise<AwsCredentialIdentity> => {
    if (links.length === 0) {
      throw new AwsCredentialsError(
        'No AWS credentials: set AWS_PROFILE (or --aws-profile), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_WEB_IDENTITY_TOKEN_FILE.',
      );
    }
    const tried: string[] = [];
    for (const link of links) {
      try {
        return await link.provider();
      } catch (error) {
        if (error instanceof AwsCredentialsError) throw error;
        tried.push(`${link.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    throw new AwsCredentialsError(`No AWS credentials could be loaded (${tried.join('; ')}).`);
  };
  return async () => {
    const current = cached ? await cached.catch(() => undefined) : undefined;
    if (current && (current.expiration === undefined || current.expiration.getTime() - Date.now() > 300_000)) return current;
    cached = resolve();
    return cached;
  };
}

function fromProfile(profile: string, files: { filepath: string; configFilepath: string }, clientConfig: object): Provider {
  return async () => {
    const { fromIni } = await import('@aws-sdk/credential-provider-ini');
    return fromIni({ profile, ...files, clientConfig })();
  };
}
