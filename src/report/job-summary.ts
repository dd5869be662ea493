import path from 'node:path';
import type { Context } from '../cli/context.js';
import { errorMessage, shown } from '../core/text.js';

/**
 * §17: append the job summary to the file `GITHUB_STEP_SUMMARY` names (read from the command's
 * environment), never truncating it. A summary that cannot be written is a warning on stderr: the run's
 * verdict is the checks', not the summary's.
 */
export async function appendJobSummary(ctx: Context, markdown: () => string): Promise<void> {
  const target = ctx.env.GITHUB_STEP_SUMMARY;
  if (!target) return;
  try {
    // Loaded only here: node:fs/promises brings readline and the REPL's history with it (~10 modules).
    const { appendFile } = await import('node:fs/promises');
    await appendFile(path.resolve(ctx.cwd, target), markdown(), { encoding: 'utf8' });
  } catch (e) {
    ctx.output.err(shown`Warning: the job summary could not be written to ${target}: ${errorMessage(e)}.\n`);
  }
}

/** Whether a summary is wanted (the commands build one only then). */
export const jobSummaryWanted = (ctx: Context): boolean => Boolean(ctx.env.GITHUB_STEP_SUMMARY);
