/**
 * §16 step 4: a secret proved at Cognito's token endpoint (the token probe of §8: `invalid_grant` means
 * the secret was accepted), only to the endpoint this run confirmed (§10). A newly added secret may take
 * a moment to be accepted: a rejection is asked again until the window closes.
 */
import type { ResolvedConfig } from '../core/config/checks.js';
import type { ProbeResult } from '../core/cognito/hosted-ui.js';
import type { TokenEndpointTrust } from '../core/trust.js';
import { cancellation } from '../cli/stop.js';
import { probeTokenOnly } from '../live/hosted-ui.js';
import type { HttpClient } from '../net/types.js';

/** How long a rejected new secret is asked again, and how often. Tests pass shorter ones. */
export interface ProofTiming {
  windowMs: number;
  intervalMs: number;
}

export const PROOF_TIMING: ProofTiming = { windowMs: 30_000, intervalMs: 1_000 };

export interface Prover {
  /** One probe. */
  once(secret: string): Promise<ProbeResult>;
  /** Probes until accepted, something other than a rejection, or the window closes. */
  untilAccepted(secret: string, timing: ProofTiming): Promise<ProbeResult>;
}

export function prover(resolved: ResolvedConfig, http: HttpClient, trust: TokenEndpointTrust, signal: AbortSignal): Prover {
  const target = {
    providerUrl: resolved.urls.providerUrl,
    userPoolId: resolved.userPoolId,
    clientId: resolved.clientId,
    callbackUrl: resolved.urls.callbackUrl,
    signOutUrl: resolved.urls.signOutUrl,
  };
  const once = (secret: string) => probeTokenOnly(target, { http, secret, secretFrom: 'the new secret' }, trust);
  return {
    once,
    async untilAccepted(secret, timing) {
      const deadline = Date.now() + timing.windowMs;
      for (;;) {
        const r = await once(secret);
        if (r.status !== 'fail' || Date.now() + timing.intervalMs > deadline) return r;
        await sleep(timing.intervalMs, signal);
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancellation(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancellation(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
