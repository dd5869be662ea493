import { createHmac } from 'node:crypto';

/**
 * Cognito's SECRET_HASH for a client with a secret (SPEC §14): Base64(HMAC-SHA256(key = client secret,
 * message = username + clientId)), both as UTF-8. The username is the one sent as USERNAME.
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId, 'utf8')
    .digest('base64');
}
