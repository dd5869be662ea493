import type { PlanOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { ExitCode, type ExitCodeValue } from '../cli/errors.js';
import { pendingResources } from '../core/report/plan-view.js';
import { exitFor, verdict } from '../report/verdict.js';
import { appendJobSummary } from '../report/job-summary.js';
import type { Tell } from '../report/outcome.js';
import { preparePlan, halvesOf, allFindings, type PlanSkipReasons } from '../plan/prepare.js';
import { planDocument, planEnding, planSummary, printPlan, summaryOfHalves, whereOf, type PlanReport } from '../report/plan.js';

/**
 * `creatio-sso plan`: read both live sides and print, resource by resource, what `apply` would change (§13).
 * Reads, never writes. One pass down: resolve the settings, check them, plan each half, one report.
 */
export async function run(opts: PlanOptions & PlanSkipReasons, ctx: Context, tell?: Tell): Promise<void> {
  const prepared = await preparePlan(opts, ctx);
  const halves = halvesOf(prepared.planned);
  const findings = [...prepared.findings, ...allFindings(prepared.planned)];
  const summary = summaryOfHalves(halves);
  const strict = Boolean(opts.strict);
  const code = verdict(findings, { strict, pending: Boolean(opts.exitCode) && pendingResources(summary) > 0 });
  const report: PlanReport = {
    file: prepared.settings.file,
    halves,
    findings,
    strict,
    ok: okOf(code),
    ...whereOf(prepared),
    ending: planEnding(summary, halves),
  };
  printPlan(ctx, opts.format, report);
  const jobSummary = () => planSummary({ file: prepared.settings.file, halves, findings, ...whereOf(prepared) }, code, ctx.output.redact);
  // Many configs (§17): the one-config document and job summary, for the run's own.
  tell?.({ document: planDocument(report, ctx.output.redact), summary: jobSummary });
  await appendJobSummary(ctx, jobSummary);
  exitFor(code, 'plan');
}

const okOf = (code: ExitCodeValue) => code === ExitCode.ok || code === ExitCode.changesPending;
