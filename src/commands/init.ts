import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

/** `creatio-sso init`: not built yet. */
export async function run(_opts: Record<string, unknown>, _ctx: Context): Promise<void> {
  throw new UsageError('creatio-sso init is not built yet: it arrives in a coming release. Use creatio-sso generate and urls meanwhile.');
}
