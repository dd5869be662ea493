/**
 * What moto cannot show (it reports every domain ACTIVE, knows no managed-login branding and never denies
 * access): the same read and apply code, given recorded SDK answers through aws-sdk-client-mock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from '../../src/aws/client.js';
import { readCognito } from '../../src/aws/read.js';
import { applyCognito } from '../../src/aws/apply.js';
import { auditCognito } from '../../src/core/cognito/audit.js';
import { planCognito, type CognitoPlanInput } from '../../src/core/cognito/plan.js';
import { awsTestEnv } from '../support/moto.js';
import { closedPort } from '../support/net.js';

const POOL = 'eu-west-1_AbCdEf123';
const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
const SECRET = 'Sx7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn4Pq6Rs8Tu1Vw';
const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const input: CognitoPlanInput = {
  userPoolId: POOL,
  clientId: CLIENT,
  callbackUrl: CALLBACK,
  signOutUrl: SIGN_OUT,
  domain: { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com' },
};
const goodClient: sdk.UserPoolClientType = {
  UserPoolId: POOL,
  ClientId: CLIENT,
  ClientName: 'creatio',
  ClientSecret: SECRET,
  RefreshTokenValidity: 30,
  CallbackURLs: [CALLBACK],
  LogoutURLs: [SIGN_OUT],
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
  AllowedOAuthFlowsUserPoolClient: true,
  SupportedIdentityProviders: ['COGNITO'],
};
const meta = { httpStatusCode: 400 };
const denied = (action: string) =>
  new sdk.AccessDeniedException({
    $metadata: meta,
    message: `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cognito-idp:${action} on resource: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${POOL}`,
  });
const notFound = (message: string) => new sdk.ResourceNotFoundException({ $metadata: meta, message });

let client: sdk.CognitoIdentityProviderClient;
let mock: AwsClientStub<sdk.CognitoIdentityProviderClient>;

beforeEach(async () => {
  // The endpoint is a closed loopback port: should the mock miss a command, nothing leaves the machine.
  client = await cognitoClient({ env: awsTestEnv(`http://127.0.0.1:${await closedPort()}`), region: 'eu-west-1', timeoutMs: 2000 });
  mock = mockClient(client);
  mock.on(sdk.DescribeUserPoolCommand).resolves({ UserPool: { Id: POOL, Domain: 'acme-login' } });
  mock
    .on(sdk.DescribeUserPoolDomainCommand)
    .resolves({ DomainDescription: { Domain: 'acme-login', Status: 'ACTIVE', ManagedLoginVersion: 1 } });
  mock.on(sdk.DescribeUserPoolClientCommand).resolves({ UserPoolClient: goodClient });
  // One secret, the original (§11: the list decides whether the client has one).
  mock.on(sdk.ListUserPoolClientSecretsCommand).resolves({
    ClientSecrets: [{ ClientSecretId: `${goodClient.ClientId}--1700000000`, ClientSecretCreateDate: new Date(1_700_000_000_000) }],
  });
});
afterEach(() => {
  mock.restore();
  client.destroy();
});

async function audit() {
  const result = await readCognito(client, { userPoolId: POOL, clientId: CLIENT, clientSecret: SECRET });
  if (!result.ok) throw new Error(result.finding.message);
  return { state: result.state, codes: auditCognito(input, result.state).map((f) => f.code) };
}

describe('recorded AWS answers', () => {
  it('classic hosted UI: branding is not read', async () => {
    expect((await audit()).codes).toEqual([]);
    expect(mock.commandCalls(sdk.DescribeManagedLoginBrandingByClientCommand)).toHaveLength(0);
  });

  it('a domain that is not ACTIVE: aws/domain-not-active', async () => {
    mock.on(sdk.DescribeUserPoolDomainCommand).resolves({ DomainDescription: { Domain: 'acme-login', Status: 'CREATING' } });
    expect((await audit()).codes).toEqual(['aws/domain-not-active']);
  });

  it('managed login without branding: aws/no-branding; apply creates it with Cognito-provided values', async () => {
    mock
      .on(sdk.DescribeUserPoolDomainCommand)
      .resolves({ DomainDescription: { Domain: 'acme-login', Status: 'ACTIVE', ManagedLoginVersion: 2 } });
    mock.on(sdk.DescribeManagedLoginBrandingByClientCommand).rejects(notFound('No branding'));
    const { state, codes } = await audit();
    expect(codes).toEqual(['aws/no-branding']);
    expect(mock.commandCalls(sdk.DescribeManagedLoginBrandingByClientCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      ClientId: CLIENT,
    });

    mock.on(sdk.CreateManagedLoginBrandingCommand).resolves({ ManagedLoginBranding: { ManagedLoginBrandingId: 'b1' } });
    const plan = planCognito(input, state);
    expect(plan.pending).toBe(1);
    const result = await applyCognito(plan, { client });
    expect(result.ok).toBe(true);
    expect(mock.commandCalls(sdk.CreateManagedLoginBrandingCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      ClientId: CLIENT,
      UseCognitoProvidedValues: true,
    });
  });

  it('managed login with branding: nothing to do', async () => {
    mock
      .on(sdk.DescribeUserPoolDomainCommand)
      .resolves({ DomainDescription: { Domain: 'acme-login', Status: 'ACTIVE', ManagedLoginVersion: 2 } });
    mock.on(sdk.DescribeManagedLoginBrandingByClientCommand).resolves({ ManagedLoginBranding: { ManagedLoginBrandingId: 'b1' } });
    const { state, codes } = await audit();
    expect(codes).toEqual([]);
    expect(planCognito(input, state).pending).toBe(0);
  });

  it.each([
    ['DescribeUserPool', sdk.DescribeUserPoolCommand, 'cognito.userPoolId'],
    ['DescribeUserPoolDomain', sdk.DescribeUserPoolDomainCommand, 'cognito.domain'],
    ['DescribeUserPoolClient', sdk.DescribeUserPoolClientCommand, 'cognito.clientId'],
  ] as const)('access denied on %s: aws/access-denied naming the IAM action', async (action, command, path) => {
    mock.on(command as typeof sdk.DescribeUserPoolCommand).rejects(denied(action));
    const result = await readCognito(client, { userPoolId: POOL, clientId: CLIENT, clientSecret: SECRET });
    expect(result).toMatchObject({ ok: false, finding: { code: 'aws/access-denied', path, severity: 'error' } });
    if (!result.ok) expect(result.finding.message).toContain(`cognito-idp:${action}`);
  });

  it('invalid keys: aws/credentials', async () => {
    mock.on(sdk.DescribeUserPoolCommand).rejects(
      Object.assign(
        new sdk.CognitoIdentityProviderServiceException({ name: 'UnrecognizedClientException', $fault: 'client', $metadata: meta }),
        {
          message: 'The security token included in the request is invalid.',
        },
      ),
    );
    const result = await readCognito(client, { userPoolId: POOL, clientId: CLIENT });
    expect(result).toMatchObject({ ok: false, finding: { code: 'aws/credentials' } });
  });

  it('apply stops at the first failure and says what was applied and what not', async () => {
    mock.on(sdk.DescribeUserPoolCommand).resolves({ UserPool: { Id: POOL } });
    mock.on(sdk.DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ...goodClient, CallbackURLs: [] } });
    const read = await readCognito(client, { userPoolId: POOL, clientId: CLIENT, clientSecret: SECRET });
    if (!read.ok) throw new Error(read.finding.message);
    const plan = planCognito(input, read.state);
    expect(plan.createDomain).toBeDefined();
    expect(plan.updateClient).toBeDefined();

    mock.on(sdk.CreateUserPoolDomainCommand).resolves({});
    mock.on(sdk.DescribeUserPoolDomainCommand).resolves({ DomainDescription: { Domain: 'acme-login', Status: 'ACTIVE' } });
    mock.on(sdk.UpdateUserPoolClientCommand).rejects(denied('UpdateUserPoolClient'));
    const result = await applyCognito(plan, { client, sleep: async () => undefined });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ code: 'aws/access-denied' });
    expect(result.failure!.message).toContain('cognito-idp:UpdateUserPoolClient');
    expect(result.failure!.message).toContain('Applied: UserPoolDomain; not applied: UserPoolClient.');
    expect(result.items.find((i) => i.field === 'Domain')?.applied).toBe(true);
    expect(result.items.find((i) => i.field === 'CallbackURLs')?.applied).toBe(false);
  });

  it('a new domain polls until ACTIVE, and gives up after 3 minutes on the injected clock', async () => {
    mock.on(sdk.DescribeUserPoolCommand).resolves({ UserPool: { Id: POOL } });
    const read = await readCognito(client, { userPoolId: POOL, clientId: CLIENT, clientSecret: SECRET });
    if (!read.ok) throw new Error(read.finding.message);
    const plan = planCognito(input, read.state);
    mock.on(sdk.CreateUserPoolDomainCommand).resolves({});

    mock
      .on(sdk.DescribeUserPoolDomainCommand)
      .resolvesOnce({ DomainDescription: { Status: 'CREATING' } })
      .resolvesOnce({ DomainDescription: { Status: 'CREATING' } })
      .resolves({ DomainDescription: { Status: 'ACTIVE' } });
    let clock = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    };
    const ok = await applyCognito(plan, { client, now: () => clock, sleep });
    expect(ok.ok).toBe(true);
    expect(sleeps).toEqual([5000, 5000]);

    mock.on(sdk.DescribeUserPoolDomainCommand).resolves({ DomainDescription: { Status: 'CREATING' } });
    clock = 0;
    const stuck = await applyCognito(plan, { client, now: () => clock, sleep });
    expect(stuck.ok).toBe(false);
    expect(stuck.failure).toMatchObject({ code: 'aws/domain-not-active' });
    expect(stuck.failure!.message).toContain('still CREATING after 180 s');
    expect(clock).toBeGreaterThanOrEqual(180_000);
    expect(clock).toBeLessThan(190_000);
  });
});
