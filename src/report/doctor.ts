import { joinShown, machine, shown, stringifyVisible, type Shown } from '../core/text.js';
import { wrapProse, type Paint } from '../io/output.js';
import { type CheckStatus } from '../core/cognito/hosted-ui.js';
import type { Context } from '../cli/context.js';
import { formatLoginSection, type LoginReport } from '../login/section.js';
import { type DoctorCheck } from '../live/look.js';
import { formatGithub, formatText, jsonDocument, type FileReport } from '../report/findings.js';
import { type ReportFormat } from '../settings/inputs.js';
import { JobSummary } from '../core/report/job-summary.js';
import { resultOf } from '../report/verdict.js';

/** `doctor`'s report (§9, §17): the check lines, the JSON document with its checks, the job summary. */
/** §17's job summary of a doctor run: the file's result, its checks, its findings. */
export function doctorSummary(report: FileReport, checks: readonly DoctorCheck[], code: number, redact: (text: string) => string): string {
  const result = resultOf(code);
  return new JobSummary(redact)
    .own('## creatio-sso doctor')
    .table(['File', 'Result'], [[report.file, result]])
    .own('\n### Checks')
    .table(
      ['Check', 'Status', 'Summary'],
      checks.map((k) => [k.name, k.status, k.summary]),
    )
    .own('\n### Findings')
    .findings(report.file, report.findings)
    .text();
}

const MARK: Record<CheckStatus, (c: Paint) => Shown> = {
  pass: (c) => c.green('✔'),
  fail: (c) => c.red('✖'),
  warn: (c) => c.yellow('!'),
  skip: (c) => c.dim('-'),
  inconclusive: (c) => c.yellow('?'),
};

/**
 * One line per check. A summary is one line of the tool's words around values from outside (a provider
 * code, an HTTP answer): it is escaped whole (§10), so no value in it can start a line of its own.
 */
export function formatChecks(checks: readonly DoctorCheck[], c: Paint, columns?: number): Shown {
  // Wrapped by the one wrapping function (§13), each continuation under the text after the mark.
  const line = (k: DoctorCheck): Shown => shown`${MARK[k.status](c)} ${k.name}: ${k.status === 'skip' ? c.dim(k.summary) : k.summary}`;
  return joinShown(checks.map((k) => shown`${columns === undefined ? line(k) : wrapProse(line(k), columns, 2)}\n`));
}

/** §9's doctor document: validate's, plus `checks` (and `login` after a sign-in). */
export function doctorDocument(
  report: FileReport,
  checks: DoctorCheck[],
  strict: boolean,
  redact: (text: string) => string,
  login?: LoginReport,
): Record<string, unknown> {
  // The validate document, plus `checks`: at the top (§9: doctor's document adds them) and on the file's entry.
  const doc = jsonDocument([report], strict, redact, () => ({ checks }));
  // `"login"` (§9) only when a test user signed in: its claims, never a token.
  return { ...doc, checks, ...(login ? { login } : {}) };
}

/** §9: text (check lines, findings, summary), one JSON document (with a `checks` array per file), or GitHub annotations. */
export function printDoctor(
  report: FileReport,
  checks: DoctorCheck[],
  format: ReportFormat,
  strict: boolean,
  ctx: Context,
  login?: LoginReport,
): void {
  const { output } = ctx;
  if (format === 'json') {
    output.out(machine(`${stringifyVisible(doctorDocument(report, checks, strict, output.redact, login), 2)}\n`));
    return;
  }
  if (format === 'github') {
    output.err(formatChecks(checks, output.errColor, output.errColumns));
    if (login) output.err(formatLoginSection(login, output.errColor));
    output.out(formatGithub([report], output.redact));
    return;
  }
  const loginText = login ? shown`\n${formatLoginSection(login, output.color)}` : '';
  output.out(
    shown`${formatChecks(checks, output.color, output.outColumns)}${loginText}\n${formatText([report], output.color, strict, output.outColumns, output.redact)}`,
  );
}
