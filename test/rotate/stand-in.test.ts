/**
 * The client-secret stand-in in front of moto (test/support/moto-secrets.ts) as §16 describes it for the
 * sign-in calls: InitiateAuth and AdminInitiateAuth accept a SECRET_HASH made with any current secret of
 * the client and refuse one made with a deleted secret, as Cognito answers. Other tests (rotate --login)
 * rely on it, so it is tested on its own, through the AWS SDK, as the tool's AdminInitiateAuth path sends.
 */
import { createHmac } from 'node:crypto';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestPool, type TestPool } from '../support/moto-login.js';
import { useMoto } from '../support/moto.js';

const ORIGINAL = 'Or1ginalSecret7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn';
const GIVEN = 'N3wSecret5Tq8Wz1Xc4Vb7Nm0Lk3Jh6Gf9Ds2Pa5Qr8Ue1Io';
const USER = { username: 'ada', password: 'Test-Passw0rd!x', attributes: { email: 'ada@example.com', email_verified: 'true' } };

let pool: TestPool;

const aws = useMoto();

beforeEach(async () => {
  pool = await createTestPool(aws.admin, { clientSecret: ORIGINAL, readAttributes: ['email'], users: [USER] });
});

const hash = (secret: string) =>
  createHmac('sha256', secret)
    .update(USER.username + pool.clientId, 'utf8')
    .digest('base64');

/** The answer to a sign-in: 'signed in', or the error's name and message. */
async function signIn(flow: 'InitiateAuth' | 'AdminInitiateAuth', secretHash: string | undefined): Promise<string> {
  const params: Record<string, string> = { USERNAME: USER.username, PASSWORD: USER.password };
  if (secretHash !== undefined) params.SECRET_HASH = secretHash;
  try {
    const out =
      flow === 'InitiateAuth'
        ? await aws.admin.send(
            new sdk.InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: params }),
          )
        : await aws.admin.send(
            new sdk.AdminInitiateAuthCommand({
              UserPoolId: pool.userPoolId,
              ClientId: pool.clientId,
              AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
              AuthParameters: params,
            }),
          );
    return out.AuthenticationResult?.IdToken ? 'signed in' : 'no token';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

const refused = () => `NotAuthorizedException: Unable to verify secret hash for client ${pool.clientId}`;

describe('the secrets stand-in: InitiateAuth and AdminInitiateAuth judge SECRET_HASH against the current secrets', () => {
  it.each(['InitiateAuth', 'AdminInitiateAuth'] as const)(
    '%s: the original secret before any rotation; a wrong or missing hash is refused',
    async (flow) => {
      // The stand-in has not met the client yet: InitiateAuth names no pool, so it finds the pool itself.
      expect(await signIn(flow, hash(ORIGINAL))).toBe('signed in');
      expect(await signIn(flow, hash(GIVEN))).toBe(refused());
      expect(await signIn(flow, undefined)).toMatch(/^NotAuthorizedException: Client \S+ is configured for secret/);
    },
  );

  it.each(['InitiateAuth', 'AdminInitiateAuth'] as const)(
    '%s: both secrets while two are current; a deleted one is refused',
    async (flow) => {
      const added = await aws.admin.send(
        new sdk.AddUserPoolClientSecretCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId, ClientSecret: GIVEN }),
      );
      expect(await signIn(flow, hash(GIVEN))).toBe('signed in');
      expect(await signIn(flow, hash(ORIGINAL))).toBe('signed in');

      // Delete the original: moto still knows it, the stand-in no longer accepts it.
      const [original] = aws.moto.secrets.secretsOf(pool.clientId)!;
      await aws.admin.send(
        new sdk.DeleteUserPoolClientSecretCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId, ClientSecretId: original!.id }),
      );
      expect(await signIn(flow, hash(ORIGINAL))).toBe(refused());
      expect(await signIn(flow, hash(GIVEN))).toBe('signed in');

      // And the mirror: a new third secret, then the added one deleted.
      const third = await aws.admin.send(new sdk.AddUserPoolClientSecretCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }));
      const thirdValue = third.ClientSecretDescriptor!.ClientSecretValue!;
      expect(await signIn(flow, hash(thirdValue))).toBe('signed in');
      await aws.admin.send(
        new sdk.DeleteUserPoolClientSecretCommand({
          UserPoolId: pool.userPoolId,
          ClientId: pool.clientId,
          ClientSecretId: added.ClientSecretDescriptor!.ClientSecretId!,
        }),
      );
      expect(await signIn(flow, hash(GIVEN))).toBe(refused());
      expect(await signIn(flow, hash(thirdValue))).toBe('signed in');
    },
  );

  it('a wrong password is still moto’s answer (the stand-in judges only the hash)', async () => {
    const out = await aws.admin
      .send(
        new sdk.InitiateAuthCommand({
          ClientId: pool.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: USER.username, PASSWORD: 'not-it', SECRET_HASH: hash(ORIGINAL) },
        }),
      )
      .catch((e: Error) => e);
    expect(out).toBeInstanceOf(Error);
    expect((out as Error).name).toBe('NotAuthorizedException');
    expect((out as Error).message).not.toMatch(/secret hash/);
  });
});
