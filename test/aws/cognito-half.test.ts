/**
 * The Cognito half against moto: read → audit → plan → apply → read again. moto merges on update, so the
 * read-modify-write rule is asserted on the UpdateUserPoolClient request the tool sends (captured by an
 * SDK middleware), not on what moto keeps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient, type AwsClientOptions } from '../../src/aws/client.js';
import { readCognito, type CognitoReadInput } from '../../src/aws/read.js';
import { applyCognito } from '../../src/aws/apply.js';
import { applyCognitoHalf, inspectCognito } from '../../src/aws/half.js';
import { auditCognito } from '../../src/core/cognito/audit.js';
import { planCognito, planLines, type CognitoPlanInput } from '../../src/core/cognito/plan.js';
import type { CognitoState } from '../../src/core/cognito/state.js';
import { useMoto } from '../support/moto.js';
import { closedPort } from '../support/net.js';

const REGION = 'eu-west-1';
const SECRET = 'Sx7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn4Pq6Rs8Tu1Vw';
const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const OTHER_CALLBACK = 'https://intranet.acme.com/oauth/callback';
const SCOPES = ['openid', 'email', 'phone', 'profile'];

const aws = useMoto(REGION);

const options = (env: NodeJS.ProcessEnv = aws.moto.env): AwsClientOptions => ({ env, region: REGION, timeoutMs: 5000 });

/** A pool (with the prefix domain unless told otherwise) and a client with a custom secret: moto's own are UUIDs. */
async function setup(client: Partial<sdk.CreateUserPoolClientRequest> = {}, withDomain = true) {
  const pool = await aws.admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'acme' }));
  const userPoolId = pool.UserPool!.Id!;
  if (withDomain) await aws.admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: 'acme-login' }));
  const created = await aws.admin.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'creatio',
      GenerateSecret: true,
      ClientSecret: SECRET,
      RefreshTokenValidity: 7,
      AccessTokenValidity: 2,
      TokenValidityUnits: { RefreshToken: 'days', AccessToken: 'hours' },
      ReadAttributes: ['email', 'phone_number'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      CallbackURLs: [OTHER_CALLBACK, CALLBACK],
      LogoutURLs: [SIGN_OUT],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: SCOPES,
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      ...client,
    } as sdk.CreateUserPoolClientRequest),
  );
  return { userPoolId, clientId: created.UserPoolClient!.ClientId! };
}

const planInput = (userPoolId: string, clientId?: string): CognitoPlanInput => ({
  userPoolId,
  clientId,
  callbackUrl: CALLBACK,
  signOutUrl: SIGN_OUT,
  domain: { kind: 'prefix', prefix: 'acme-login', host: `acme-login.auth.${REGION}.amazoncognito.com` },
});

/** The tool's client, recording every command it sends (name and input). */
async function toolClient(env: NodeJS.ProcessEnv = aws.moto.env) {
  const client = await cognitoClient(options(env));
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: String(context.commandName), input: structuredClone(args.input as Record<string, unknown>) });
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  return { client, sent };
}

async function read(input: CognitoReadInput, env?: NodeJS.ProcessEnv): Promise<CognitoState> {
  const { client } = await toolClient(env);
  const result = await readCognito(client, input);
  client.destroy();
  if (!result.ok) throw new Error(`read failed: ${result.finding.code} ${result.finding.message}`);
  return result.state;
}

const auditCodes = (userPoolId: string, state: CognitoState) =>
  auditCognito({ ...planInput(userPoolId), jit: { employees: true, claims: { phone_number: 'Contact:MobilePhone' } } }, state).map(
    (f) => f.code,
  );

describe('Cognito through the AWS API (moto)', () => {
  it('a correct client: no findings, nothing pending', async () => {
    const { userPoolId, clientId } = await setup();
    const state = await read({ userPoolId, clientId, clientSecret: SECRET });
    expect(state.prefixDomain).toBe('acme-login');
    expect(state.domains).toEqual([{ domain: 'acme-login', custom: false, status: 'ACTIVE' }]);
    expect(state.client).toMatchObject({ found: true, secret: 'match' });
    expect(JSON.stringify(state)).not.toContain(SECRET);
    expect(auditCodes(userPoolId, state)).toEqual([]);
    const plan = planCognito(planInput(userPoolId, clientId), state);
    expect(plan.pending).toBe(0);
    expect(planLines(plan.items)).toContain(`  = CallbackURLs  ${CALLBACK}`);
  });

  it('callback, sign-out URL, a scope and the code flow missing: one plan, one apply, all fixed, the rest kept', async () => {
    const { userPoolId, clientId } = await setup({
      CallbackURLs: [OTHER_CALLBACK],
      LogoutURLs: ['https://intranet.acme.com/bye'],
      AllowedOAuthFlows: ['implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
    });
    const before = await read({ userPoolId, clientId, clientSecret: SECRET });
    expect(auditCodes(userPoolId, before)).toEqual(['aws/callback-missing', 'aws/logout-missing', 'aws/flow-missing', 'aws/scope-missing']);

    const plan = planCognito(planInput(userPoolId, clientId), before);
    expect(plan.pending).toBe(4);
    expect(planLines(plan.items)).toEqual(
      expect.arrayContaining([
        `  + CallbackURLs  ${CALLBACK}`,
        `  + LogoutURLs  ${SIGN_OUT}`,
        '  + AllowedOAuthFlows  code',
        '  + AllowedOAuthScopes  phone',
      ]),
    );

    const { client, sent } = await toolClient();
    const result = await applyCognito(plan, { client });
    client.destroy();
    expect(result.ok).toBe(true);
    expect(result.items.filter((i) => i.applied === true)).toHaveLength(4);

    // Read-modify-write, asserted on the request itself: every field read comes back, changed only where needed.
    const update = sent.find((s) => s.command === 'UpdateUserPoolClientCommand')!.input;
    expect(update).toMatchObject({
      UserPoolId: userPoolId,
      ClientId: clientId,
      ClientName: 'creatio',
      RefreshTokenValidity: 7,
      AccessTokenValidity: 2,
      TokenValidityUnits: { RefreshToken: 'days', AccessToken: 'hours' },
      ReadAttributes: ['email', 'phone_number'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      CallbackURLs: [OTHER_CALLBACK, CALLBACK],
      LogoutURLs: ['https://intranet.acme.com/bye', SIGN_OUT],
      AllowedOAuthFlows: ['implicit', 'code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'phone'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(update).not.toHaveProperty('ClientSecret');
    expect(JSON.stringify(sent)).not.toContain(SECRET);

    const after = await read({ userPoolId, clientId, clientSecret: SECRET });
    expect(auditCodes(userPoolId, after)).toEqual([]);
    expect(after.client).toMatchObject({
      settings: { CallbackURLs: [OTHER_CALLBACK, CALLBACK], RefreshTokenValidity: 7, AccessTokenValidity: 2 },
    });
    const second = planCognito(planInput(userPoolId, clientId), after);
    expect(second.pending).toBe(0);
    expect(second.updateClient).toBeUndefined();
  });

  it('a client without a secret: aws/no-secret', async () => {
    const { userPoolId, clientId } = await setup({ GenerateSecret: false, ClientSecret: undefined });
    const state = await read({ userPoolId, clientId, clientSecret: SECRET });
    expect(state.client).toMatchObject({ secret: 'none' });
    expect(auditCodes(userPoolId, state)).toEqual(['aws/no-secret']);
  });

  it('a wrong secret: aws/secret-mismatch, and neither secret in the state', async () => {
    const { userPoolId, clientId } = await setup();
    const wrong = 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm6Ll5Kk4Jj3';
    const state = await read({ userPoolId, clientId, clientSecret: wrong });
    expect(auditCodes(userPoolId, state)).toEqual(['aws/secret-mismatch']);
    const text = JSON.stringify({ state, findings: auditCognito(planInput(userPoolId), state) });
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(wrong);
  });

  it('a pool without a domain: the plan adds it, apply creates it and waits for ACTIVE', async () => {
    const { userPoolId, clientId } = await setup({}, false);
    const state = await read({ userPoolId, clientId, clientSecret: SECRET });
    expect(state.prefixDomain).toBeUndefined();
    const plan = planCognito(planInput(userPoolId, clientId), state);
    expect(planLines(plan.items)).toContain('  + Domain  acme-login');
    expect(plan.pending).toBe(1);

    const { client, sent } = await toolClient();
    const progress: string[] = [];
    const result = await applyCognito(plan, { client, onProgress: (m) => progress.push(m), sleep: async () => undefined });
    client.destroy();
    expect(result.ok).toBe(true);
    expect(sent.map((s) => s.command)).toEqual(['CreateUserPoolDomainCommand', 'DescribeUserPoolDomainCommand']);
    expect(progress[0]).toContain('acme-login');

    const after = await read({ userPoolId, clientId, clientSecret: SECRET });
    expect(after.prefixDomain).toBe('acme-login');
    expect(planCognito(planInput(userPoolId, clientId), after).pending).toBe(0);
  });

  it('a client that does not exist: aws/client-not-found; --create-client creates one with a secret', async () => {
    const { userPoolId } = await setup();
    const state = await read({ userPoolId, clientId: '1h57kf5cpq17m0eml12eqe3alr', clientSecret: SECRET });
    expect(state.client).toEqual({ clientId: '1h57kf5cpq17m0eml12eqe3alr', found: false });
    expect(auditCodes(userPoolId, state)).toEqual(['aws/client-not-found']);
    expect(planCognito(planInput(userPoolId, '1h57kf5cpq17m0eml12eqe3alr'), state).findings.map((f) => f.code)).toEqual([
      'aws/client-not-found',
    ]);

    const noClient = await read({ userPoolId });
    const plan = planCognito({ ...planInput(userPoolId), createClient: true }, noClient);
    const { client } = await toolClient();
    const result = await applyCognito(plan, { client });
    client.destroy();
    expect(result.ok).toBe(true);
    const created = result.createdClient!;
    expect(created.clientId).toMatch(/^\w+$/);
    expect(created.clientSecret.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toContain(created.clientSecret);
    const after = await read({ userPoolId, clientId: created.clientId, clientSecret: created.clientSecret });
    expect(auditCodes(userPoolId, after)).toEqual([]);
    expect(planCognito(planInput(userPoolId, created.clientId), after).pending).toBe(0);
  });

  it('the half in one call: inspect finds the gaps, apply fixes them and inspects again', async () => {
    const { userPoolId, clientId } = await setup({ CallbackURLs: [OTHER_CALLBACK], AllowedOAuthScopes: ['openid'] });
    const input = { ...options(), ...planInput(userPoolId, clientId), clientSecret: SECRET };
    const before = await inspectCognito(input);
    expect(before.status).toBe('checked');
    expect(before.findings.map((f) => f.code)).toEqual(['aws/callback-missing', 'aws/scope-missing']);
    expect(before.plan!.pending).toBe(4);
    const applied = await applyCognitoHalf(input, before.plan!);
    expect(applied).toMatchObject({ status: 'checked', applied: true, findings: [] });
    expect(applied.after!.plan!.pending).toBe(0);
  });

  it('the half stops with the finding that ended the read', async () => {
    const half = await inspectCognito({ ...options(), ...planInput(`${REGION}_Nope12345`, 'abc') });
    expect(half).toMatchObject({ status: 'stopped', items: [], findings: [{ code: 'discovery/pool-not-found' }] });
  });

  it('an unknown pool: the read stops with discovery/pool-not-found', async () => {
    const { client } = await toolClient();
    const result = await readCognito(client, { userPoolId: `${REGION}_Nope12345`, clientId: 'abc' });
    client.destroy();
    expect(result).toMatchObject({ ok: false, finding: { code: 'discovery/pool-not-found', path: 'cognito.userPoolId' } });
  });

  it('no credentials: aws/credentials, and nothing is sent', async () => {
    const env = { ...aws.moto.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const { client, sent } = await toolClient(env);
    const result = await readCognito(client, { userPoolId: `${REGION}_AbCdEf123`, clientId: 'abc' });
    client.destroy();
    expect(result).toMatchObject({ ok: false, finding: { code: 'aws/credentials' } });
    expect(sent.map((s) => s.command)).toEqual(['DescribeUserPoolCommand']);
  });

  it('--aws with nothing configured: the [default] profile is tried, the metadata service is not (disabled), aws/credentials', async () => {
    const env = { ...aws.moto.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const client = await cognitoClient({ ...options(env), explicit: true });
    const result = await readCognito(client, { userPoolId: `${REGION}_AbCdEf123` });
    client.destroy();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.finding.code).toBe('aws/credentials');
      expect(result.finding.message).toContain('profile default');
      expect(result.finding.message).not.toContain('EC2');
    }
  });

  it('a named profile from the passed environment (not process.env) is used', async () => {
    const { userPoolId, clientId } = await setup();
    const dir = mkdtempSync(join(tmpdir(), 'creatio-sso-aws-'));
    try {
      writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = testing\naws_secret_access_key = testing\n', { mode: 0o600 });
      const env: NodeJS.ProcessEnv = {
        ...aws.moto.env,
        AWS_PROFILE: 'ci',
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_CONFIG_FILE: join(dir, 'config'),
      };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      const state = await read({ userPoolId, clientId, clientSecret: SECRET }, env);
      expect(state.client).toMatchObject({ found: true, secret: 'match' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an endpoint that does not answer: aws/unreachable (inconclusive)', async () => {
    const port = await closedPort();
    const env = { ...aws.moto.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${port}` };
    const { client } = await toolClient(env);
    const result = await readCognito(client, { userPoolId: `${REGION}_AbCdEf123` });
    client.destroy();
    expect(result).toMatchObject({ ok: false, finding: { code: 'aws/unreachable' } });
    if (!result.ok) expect(result.finding.message).toContain('cognito-idp:DescribeUserPool');
  });
});

/**
 * §11's secret rules with two secrets (the stand-in over moto in test/support/moto-secrets.ts keeps them):
 * ListUserPoolClientSecrets decides "no secret"; DescribeUserPoolClient shows only the original secret.
 */
describe('client secrets after a rotation (§11)', () => {
  const NEWER = 'Nw4Xq8Lm2Kp6Rt0Vw3Yz7Ab1Cd5Ef9Gh2Jk6Mn0Pq4Rs8Tu3Vw';
  const addSecret = (userPoolId: string, clientId: string, value = NEWER) =>
    aws.admin.send(new sdk.AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecret: value }));
  const listSecrets = async (userPoolId: string, clientId: string) =>
    (await aws.admin.send(new sdk.ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId }))).ClientSecrets ?? [];

  it('the stand-in keeps Cognito’s rules: two at most, never the last deleted, ids <clientId>--<epoch>, the original alone in ClientSecret', async () => {
    const { userPoolId, clientId } = await setup();
    expect((await listSecrets(userPoolId, clientId)).map((s) => s.ClientSecretId)).toEqual([
      expect.stringMatching(new RegExp(`^${clientId}--\\d+$`)),
    ]);
    const added = await addSecret(userPoolId, clientId);
    expect(added.ClientSecretDescriptor?.ClientSecretValue).toBe(NEWER);
    await expect(addSecret(userPoolId, clientId, 'Third3Third3Third3Third3Third3')).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    const [original, newer] = await listSecrets(userPoolId, clientId);
    expect(JSON.stringify([original, newer])).not.toContain(NEWER);
    const described = async () =>
      (await aws.admin.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))).UserPoolClient
        ?.ClientSecret;
    expect(await described()).toBe(SECRET);
    await aws.admin.send(
      new sdk.DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: original!.ClientSecretId! }),
    );
    expect(await described()).toBeUndefined();
    await expect(
      aws.admin.send(
        new sdk.DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: newer!.ClientSecretId! }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('the original deleted, the newer configured: not aws/no-secret, not aws/secret-mismatch — the token probe decides', async () => {
    const { userPoolId, clientId } = await setup();
    await addSecret(userPoolId, clientId);
    const [original] = await listSecrets(userPoolId, clientId);
    await aws.admin.send(
      new sdk.DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: original!.ClientSecretId! }),
    );
    const state = await read({ userPoolId, clientId, clientSecret: NEWER });
    expect(state.client).toMatchObject({ secret: 'uncomparable', secrets: [{ id: expect.stringContaining(`${clientId}--`) as string }] });
    expect(auditCodes(userPoolId, state)).toEqual([]);
  });

  it('two secrets: aws/rotation-in-progress names both ids and their ages; the configured newer one is no mismatch', async () => {
    const { userPoolId, clientId } = await setup();
    await addSecret(userPoolId, clientId);
    const state = await read({ userPoolId, clientId, clientSecret: NEWER });
    expect(state.client).toMatchObject({ secret: 'uncomparable' });
    const findings = auditCognito({ ...planInput(userPoolId), now: new Date(Date.now() + 3 * 3_600_000).toISOString() }, state);
    const rotation = findings.find((f) => f.code === 'aws/rotation-in-progress');
    expect(rotation?.severity).toBe('warning');
    for (const s of await listSecrets(userPoolId, clientId)) expect(rotation?.message).toContain(s.ClientSecretId!);
    expect(rotation?.message).toContain('3 hours ago');
    expect(findings.map((f) => f.code)).not.toContain('aws/secret-mismatch');
    expect(JSON.stringify(findings)).not.toContain(NEWER);
  });

  it('one secret and a wrong configured value: still aws/secret-mismatch', async () => {
    const { userPoolId, clientId } = await setup();
    const state = await read({ userPoolId, clientId, clientSecret: NEWER });
    expect(state.client).toMatchObject({ secret: 'mismatch' });
    expect(auditCodes(userPoolId, state)).toEqual(['aws/secret-mismatch']);
  });
});
