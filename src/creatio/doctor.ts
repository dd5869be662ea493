import type { Finding } from '../core/findings.js';
import type { Context } from '../cli/context.js';
import type { DoctorOptions } from '../cli/program.js';
import type { LoadedConfig } from '../io/config-loader.js';
import type { FileSettings } from '../settings/resolve.js';
import type { DoctorCheck } from '../live/look.js';

/** The section's line of the report and its findings. */
export interface CreatioSection {
  check: DoctorCheck;
  findings: Finding[];
}

/**
 * doctor's "Creatio" section (§12), check name `creatio`: the provider record and the feature with Creatio
 * credentials (pinned site only), and Creatio's own authorize URL, anonymously, for a provider code that
 * was given or found. `--skip creatio` leaves it out and says so. The Creatio modules load only when the
 * section runs (doctor starts it once Cognito's first requests are out).
 */
export async function doctorCreatio(
  settings: FileSettings,
  loaded: LoadedConfig,
  opts: DoctorOptions,
  ctx: Context,
): Promise<CreatioSection> {
  const skip = (summary: string) => ({ check: { name: 'creatio' as const, status: 'skip' as const, summary }, findings: [] });
  if (opts.skip?.has('creatio')) return skip('skipped: --skip creatio');
  if (!loaded.resolved) return skip('skipped: the config has errors');
  const [{ creatioHalfInput }, { doctorCreatioHalf }] = await Promise.all([import('./input.js'), import('./half.js')]);
  const input = await creatioHalfInput(settings, loaded.resolved, opts, ctx);
  const { status, summary, findings } = await doctorCreatioHalf(input, ctx);
  return { check: { name: 'creatio', status, summary }, findings };
}
