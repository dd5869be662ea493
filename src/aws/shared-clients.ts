import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * §17: one Cognito client per region, endpoint and credentials for a run over many configs, so the SDK's
 * adaptive rate limiter sees every call of the account and slows them all down together. A client it
 * hands out ignores `destroy()` (each config's reader calls it); `close()` destroys them all.
 */
export class AwsClientCache {
  private readonly clients = new Map<string, Promise<CognitoIdentityProviderClient>>();
  private readonly destroyers: (() => void)[] = [];

  get(key: string, make: () => Promise<CognitoIdentityProviderClient>): Promise<CognitoIdentityProviderClient> {
    let client = this.clients.get(key);
    if (!client) {
      client = make().then((c) => {
        this.destroyers.push(c.destroy.bind(c));
        c.destroy = () => {};
        return c;
      });
      // A client that could not be built is not kept: the next config gets the same error of its own.
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    for (const destroy of this.destroyers.splice(0)) destroy();
    this.clients.clear();
  }
}
