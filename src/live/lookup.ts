import type { Context } from '../context.js';

/** What the wizard learns about a pool from its discovery document. */
export type PoolLookup =
  /** The pool has a hosted UI domain: `host` is the host of its authorization endpoint. */
  | { status: 'found'; host: string; kind: 'prefix' | 'custom'; prefix?: string }
  | { status: 'no-domain'; message: string }
  | { status: 'not-found'; message: string }
  /** Cognito could not be asked (network, timeout, unexpected answer): the wizard may go on offline. */
  | { status: 'unreachable'; message: string };

/**
 * Ask Cognito (or CREATIO_SSO_COGNITO_IDP_URL) for the pool's discovery document and read its domain.
 * STUB: the live-checks work replaces this body.
 */
export async function lookupPool(userPoolId: string, region: string, ctx: Context): Promise<PoolLookup> {
  void userPoolId;
  void region;
  void ctx;
  return { status: 'unreachable', message: 'live lookup is not built yet' };
}
