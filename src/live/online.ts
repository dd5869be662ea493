import type { ResolvedConfig } from '../core/checks.js';
import type { Finding } from '../core/findings.js';
import type { Context } from '../context.js';

/** One config whose offline checks passed, ready for the live checks of SPEC §8. */
export interface OnlineItem {
  /** The file as the user named it (key of the result map). */
  file: string;
  resolved: ResolvedConfig;
}

export interface OnlineResult {
  /** Findings per file (paths like `cognito.domain`; the caller places them at line/column). */
  findings: Map<string, Finding[]>;
  /** A check could not be completed (network, timeout): the run exits 3 unless errors exit 1 first. */
  inconclusive: boolean;
}

/**
 * Discovery document and JWKS checks for every item, sharing one fetch per pool.
 * STUB: the live-checks work replaces this body.
 */
export async function runOnlineChecks(items: readonly OnlineItem[], ctx: Context): Promise<OnlineResult> {
  void ctx;
  return { findings: new Map(items.map((i) => [i.file, []])), inconclusive: false };
}
