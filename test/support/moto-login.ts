import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startMoto as startMotoServer } from './moto.js';

/**
 * moto_server for the login proof's tests: the one harness of test/support/moto.ts, seen as the login
 * tests use it (a URL, an environment per region that also routes InitiateAuth through
 * CREATIO_SSO_COGNITO_IDP_URL). moto keeps real pool IDs and issuers, signs ID tokens with its own RSA key
 * and serves `/<poolId>/.well-known/jwks.json`; it checks neither SECRET_HASH for password flows nor the
 * client's allowed auth flows.
 */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The environment every test gives the code under test: loopback only, fixed test credentials. */
  env: (region: string) => NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  const moto = await startMotoServer();
  return {
    url: moto.endpoint,
    env: (region) => ({ ...moto.env, AWS_REGION: region, CREATIO_SSO_COGNITO_IDP_URL: moto.endpoint }),
    close: () => moto.stop(),
  };
}

export interface TestUser {
  username: string;
  password: string;
  attributes: Record<string, string>;
}

/**
 * Alice, the test user of the login proof, with every attribute Creatio's claims read; of them all only
 * zoneinfo is not readable by the client (ALICE_READABLE), so a summary must say it is missing.
 */
export const alice = (password: string): TestUser => ({
  username: 'alice',
  password,
  attributes: {
    email: 'alice@example.com',
    email_verified: 'true',
    name: 'Alice Example',
    given_name: 'Alice',
    family_name: 'Example',
    phone_number: '+15555550100',
    locale: 'en-US',
    zoneinfo: 'Europe/Dublin',
  },
});
export const ALICE_READABLE = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'phone_number', 'locale'];

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
