/**
 * Execute the Cognito half of a plan (§13), in order: the domain (create, then wait until ACTIVE), the
 * app client (read-modify-write update, or a new client with a secret), then managed-login branding.
 * Stops at the first failure and says what was applied and what not.
 */
import type {
  CognitoIdentityProviderClient,
  CreateUserPoolClientRequest,
  UpdateUserPoolClientRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { finding, type Finding } from '../core/findings.js';
import { RESOURCE, type CognitoPlan, type PlanItem } from '../core/cognito/plan.js';
import { awsFailure } from './failures.js';

export interface CognitoApplyDeps {
  client: CognitoIdentityProviderClient;
  /** Injectable for tests: the clock and the pause between DescribeUserPoolDomain polls. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a new domain may take to become ACTIVE (default 3 minutes) and the poll interval (default 5 s). */
  domainTimeoutMs?: number;
  pollIntervalMs?: number;
  /** Progress for a spinner (stderr): "Creating the domain…", "Waiting for the domain (CREATING)…". */
  onProgress?: (message: string) => void;
  /** Each change the moment AWS confirmed it: a stop can then say exactly what was sent (§10). */
  onApplied?: (item: PlanItem) => void;
}

/** A client created by `--create-client`. `clientSecret` is not enumerable: JSON and logs of the result never show it. */
export interface CreatedClient {
  clientId: string;
  readonly clientSecret: string;
}

export interface CognitoApplyResult {
  ok: boolean;
  /** The plan's items, each add/change marked `applied: true|false`. */
  items: PlanItem[];
  createdClient?: CreatedClient;
  /** What stopped the run, with what was and was not applied. */
  failure?: Finding;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function applyCognito(plan: CognitoPlan, deps: CognitoApplyDeps): Promise<CognitoApplyResult> {
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const progress = deps.onProgress ?? (() => undefined);
  const items = plan.items.map((i) => ({ ...i }));
  const changing = (i: PlanItem) => i.action === 'add' || i.action === 'change';
  for (const i of items) if (changing(i)) i.applied = false;
  const markApplied = (resource: string) => {
    for (const i of items)
      if (i.resource === resource && changing(i)) {
        i.applied = true;
        deps.onApplied?.(i);
      }
  };
  const stop = (failure: Finding, step: string): CognitoApplyResult => {
    const done = [...new Set(items.filter((i) => i.applied === true).map((i) => i.resource))];
    const left = [...new Set(items.filter((i) => i.applied === false).map((i) => i.resource))];
    const summary = `Applied: ${done.length > 0 ? done.join(', ') : 'nothing'}; not applied: ${left.join(', ')}.`;
    return { ok: false, items, failure: { ...failure, message: `${step} failed: ${failure.message} ${summary}` } };
  };

  if (plan.createDomain) {
    const request = plan.createDomain;
    progress(`Creating the user pool domain ${request.Domain}…`);
    try {
      await deps.client.send(new sdk.CreateUserPoolDomainCommand(request));
    } catch (error) {
      return stop(awsFailure(error, 'cognito-idp:CreateUserPoolDomain', 'cognito.domain'), 'Creating the domain');
    }
    const deadline = now() + (deps.domainTimeoutMs ?? 180_000);
    let status: string | undefined;
    for (;;) {
      try {
        const answer = await deps.client.send(new sdk.DescribeUserPoolDomainCommand({ Domain: request.Domain }));
        status = answer.DomainDescription?.Status;
      } catch (error) {
        return stop(awsFailure(error, 'cognito-idp:DescribeUserPoolDomain', 'cognito.domain'), 'Waiting for the domain');
      }
      if (status === 'ACTIVE') break;
      if (status === 'FAILED' || now() >= deadline) {
        const why =
          status === 'FAILED'
            ? 'FAILED'
            : `still ${status ?? 'without a status'} after ${Math.round((deps.domainTimeoutMs ?? 180_000) / 1000)} s`;
        return stop(
          finding(
            'aws/domain-not-active',
            'cognito.domain',
            `The domain ${request.Domain} was created but is ${why}: check it under Cognito → Domain, then run apply again.`,
          ),
          'Waiting for the domain',
        );
      }
      progress(`Waiting for the domain ${request.Domain} (${status ?? 'no status yet'})…`);
      await sleep(deps.pollIntervalMs ?? 5000);
    }
    markApplied(RESOURCE.domain);
  }

  let createdClient: CreatedClient | undefined;
  if (plan.updateClient) {
    progress('Updating the app client…');
    try {
      // The request carries every writable field read from DescribeUserPoolClient (read-modify-write).
      await deps.client.send(new sdk.UpdateUserPoolClientCommand(plan.updateClient as UpdateUserPoolClientRequest));
    } catch (error) {
      return stop(awsFailure(error, 'cognito-idp:UpdateUserPoolClient', 'cognito.clientId'), 'Updating the app client');
    }
    markApplied(RESOURCE.client);
  } else if (plan.createClient) {
    progress('Creating the app client…');
    let answer;
    try {
      answer = await deps.client.send(new sdk.CreateUserPoolClientCommand(plan.createClient as CreateUserPoolClientRequest));
    } catch (error) {
      return stop(awsFailure(error, 'cognito-idp:CreateUserPoolClient', 'cognito.clientId'), 'Creating the app client');
    }
    const clientId = answer.UserPoolClient?.ClientId;
    const clientSecret = answer.UserPoolClient?.ClientSecret;
    if (!clientId || !clientSecret) {
      return stop(
        finding(
          'aws/unreachable',
          'cognito.clientId',
          'CreateUserPoolClient answered without a client ID or secret: look for the new client under Cognito → App clients.',
        ),
        'Creating the app client',
      );
    }
    createdClient = { clientId } as CreatedClient;
    Object.defineProperty(createdClient, 'clientSecret', { value: clientSecret, enumerable: false });
    markApplied(RESOURCE.client);
  }

  if (plan.createBranding) {
    const clientId = plan.createBranding.ClientId ?? createdClient?.clientId;
    progress('Creating the managed login branding…');
    try {
      await deps.client.send(
        new sdk.CreateManagedLoginBrandingCommand({
          UserPoolId: plan.createBranding.UserPoolId,
          ClientId: clientId,
          UseCognitoProvidedValues: true,
        }),
      );
    } catch (error) {
      const result = stop(awsFailure(error, 'cognito-idp:CreateManagedLoginBranding', 'cognito.clientId'), 'Creating the branding');
      return createdClient ? { ...result, createdClient } : result;
    }
    markApplied(RESOURCE.branding);
  }

  return { ok: true, items, ...(createdClient ? { createdClient } : {}) };
}
