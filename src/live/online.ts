import type { ResolvedConfig } from '../core/config/checks.js';
import type { Stage } from '../core/cognito/discovery.js';
import type { Finding } from '../core/findings.js';
import type { Context } from '../cli/context.js';
import { startSpinner } from '../io/spinner.js';
import { httpClientFor } from '../net/http.js';
import type { HttpClient } from '../net/types.js';
import { fetchDiscovery, poolAnswered, type DiscoveryResult, type PoolTarget } from './discovery.js';
import { fetchJwks } from './jwks.js';

/** One config whose offline checks passed, ready for the live checks (discovery document and JWKS). */
export interface OnlineItem {
  /** The file as the user named it (key of the result map). */
  file: string;
  resolved: ResolvedConfig;
}

export interface OnlineResult {
  /** Findings per file (paths like `cognito.domain`; the caller places them at line/column). */
  findings: Map<string, Finding[]>;
  /**
   * A check could not be completed (network, timeout): the run exits 3 unless errors exit 1 first.
   * Such checks are reported as `discovery/unreachable` / `jwks/unreachable` (severity error): leave
   * them out when deciding on exit 1, e.g. `failsWith(findings.filter((f) => !isInconclusive(f)), strict)`.
   */
  inconclusive: boolean;
}

export interface OnlineOptions {
  /** Share a client (and its one-request-per-URL cache) with other checks; it is then not closed here. */
  http?: HttpClient;
  /**
   * Ask for the JWKS at the same time as the discovery document, not after it (doctor: one round trip
   * fewer). Its answer is still judged only when discovery found the pool, so the findings are the same.
   */
  together?: boolean;
  /** Show no spinner: the caller shows one for everything it runs at once. */
  quiet?: boolean;
  /** Set-up time (generate, plan, apply) or check time (validate --online, doctor, the default): see core/cognito/discovery.ts Stage. */
  stage?: Stage;
}

/**
 * Discovery document and JWKS of one pool, judged against one config. The JWKS is asked for only when
 * the discovery answer was the pool's own document (a missing pool is one finding, not two).
 */
export async function checkPoolLive(target: PoolTarget, http: HttpClient, together = false): Promise<DiscoveryResult> {
  const early = together ? fetchJwks(target, http) : undefined;
  // A failed early request is judged (or dropped) below, never left unhandled.
  early?.catch(() => {});
  const discovery = await fetchDiscovery(target, http);
  if (!poolAnswered(discovery)) return discovery;
  const jwks = await (early ?? fetchJwks(target, http));
  return { ...discovery, findings: [...discovery.findings, ...jwks.findings], inconclusive: discovery.inconclusive || jwks.inconclusive };
}

const poolKey = (r: Pick<ResolvedConfig, 'region' | 'userPoolId'>): string => `${r.region}\n${r.userPoolId}`;

/**
 * Discovery document and JWKS checks for every item, sharing one fetch per pool: 200 files over 20
 * pools make 20 discovery and 20 JWKS requests, at most the HTTP client's concurrency (DEFAULT_CONCURRENCY) in flight.
 */
export async function runOnlineChecks(items: readonly OnlineItem[], ctx: Context, options: OnlineOptions = {}): Promise<OnlineResult> {
  const findings = new Map<string, Finding[]>(items.map((i) => [i.file, []]));
  if (items.length === 0) return { findings, inconclusive: false };

  const pools = new Map<string, OnlineItem[]>();
  for (const item of items) {
    const key = poolKey(item.resolved);
    pools.set(key, [...(pools.get(key) ?? []), item]);
  }

  const http = options.http ?? httpClientFor(ctx);
  const label = (done: number) => `Checking discovery documents and signing keys: ${done}/${pools.size} pool${pools.size === 1 ? '' : 's'}`;
  const spinner = options.quiet ? { update: () => {}, stop: () => {} } : await startSpinner(ctx, label(0));
  let done = 0;
  let inconclusive = false;
  try {
    await Promise.all(
      [...pools.values()].map(async (group) => {
        // The first config fetches; the others are answered from the client's cache and judged alone,
        // because each may name another domain for the same pool.
        const results = await Promise.all(
          group.map((item) => checkPoolLive({ ...item.resolved, stage: options.stage ?? 'check' }, http, options.together)),
        );
        results.forEach((r, i) => {
          findings.get(group[i]!.file)!.push(...r.findings);
          inconclusive ||= r.inconclusive;
        });
        spinner.update(label(++done));
      }),
    );
  } finally {
    spinner.stop();
    if (!options.http) await http.close();
  }
  return { findings, inconclusive };
}
