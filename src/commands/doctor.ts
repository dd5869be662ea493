import { joinShown, machine, shown, stringifyVisible, type Shown } from '../core/text.js';
import { loadConfig } from '../io/config-loader.js';
import { wrapProse, type Paint } from '../io/output.js';
import type { Finding } from '../core/findings.js';
import { skipped, type CheckStatus } from '../core/cognito/hosted-ui.js';
import type { Context } from '../cli/context.js';
import type { DoctorOptions } from '../cli/program.js';
import { formatLoginSection, loginRequestOf, loginSkipped, runLoginSection, type LoginReport } from '../login/section.js';
import { doctorCreatio } from '../creatio/doctor.js';
import { doctorAwsSection } from '../aws/doctor.js';
import { checkOf, liveLook, type DoctorCheck } from '../live/look.js';
import { formatGithub, formatText, jsonDocument, type FileReport } from '../report/findings.js';
import { type ReportFormat } from '../settings/inputs.js';
import { JobSummary } from '../core/report/job-summary.js';
import { exitFor, resultOf, verdict } from '../report/verdict.js';
import { appendJobSummary } from '../report/job-summary.js';
import { overrideFinding, overrideNotice, resolveFileSettings } from '../settings/resolve.js';
import type { Tell } from '../report/outcome.js';

/**
 * `creatio-sso doctor`: every offline check, the discovery/JWKS checks, then the hosted UI probes
 * (authorize, token, logout), without a browser. Exit 1 when a check fails, 3 when Cognito could not
 * be asked (network, timeout) and nothing else failed.
 */
export async function run(opts: DoctorOptions, ctx: Context, tell?: Tell): Promise<void> {
  // 1. Resolve: the file, flags, variables and the secret, once. --login's usage errors come before anything is read.
  const loginRequest = await loginRequestOf(opts, ctx);
  const settings = await resolveFileSettings(opts, ctx);
  const { file, secret } = settings;
  const strict = Boolean(opts.strict);
  const json = opts.format === 'json';
  if (!json) for (const o of settings.overridden) ctx.output.err(shown`${overrideNotice(o)}\n`);

  // 2. Check (pure).
  const loaded = await loadConfig(settings.read, settings.overrides);
  const findings: Finding[] = [...(json ? settings.overridden.map(overrideFinding) : []), ...loaded.findings];
  const checks: DoctorCheck[] = [];
  let login: LoginReport | undefined;
  // §11 before the probes: a domain DescribeUserPool names confirms the token endpoint (§10).
  const aws = await doctorAwsSection(opts, settings, loaded, ctx);

  if (!loaded.resolved) {
    checks.push({ name: 'config', status: 'fail', summary: countsOf(findings) });
    const why = 'the config has errors';
    checks.push(
      { name: 'discovery', status: 'skip', summary: `skipped: ${why}` },
      ...(['authorize', 'token', 'logout'] as const).map((name) => checkOf(skipped(name, why))),
      loginSkipped(why),
    );
  } else {
    const resolved = loaded.resolved;
    findings.push(...secret.findings.map(loaded.locate));
    checks.push(configCheck(findings));

    // 3. Look: discovery, JWKS and the probes (doctor-live.ts), then the login proof on the same client.
    const live = await liveLook(
      {
        settings,
        resolved,
        locate: loaded.locate,
        skipHostedUi: Boolean(opts.skip?.has('hosted-ui')),
        describedDomains: aws.describedDomains,
      },
      ctx,
      (http) => runLoginSection({ request: loginRequest, settings, resolved, http, locate: loaded.locate }, ctx),
    );
    checks.push(...live.checks);
    findings.push(...live.findings);
    const section = live.also!;
    findings.push(...section.findings);
    checks.push(section.check);
    login = section.login;
  }

  checks.push(aws.check);
  findings.push(...aws.findings);

  const creatio = await doctorCreatio(settings, loaded, opts, ctx);
  checks.push(creatio.check);
  findings.push(...creatio.findings.map(loaded.locate));

  // 4. One report, one verdict.
  print({ file, findings }, checks, opts.format, strict, ctx, login);
  const code = verdict(findings, { strict });
  // Many configs (§17): the one-config document and job summary, for the run's own.
  tell?.({
    document: doctorDocument({ file, findings }, checks, strict, ctx.output.redact, login),
    summary: () => doctorSummary({ file, findings }, checks, code, ctx.output.redact),
  });
  await appendJobSummary(ctx, () => doctorSummary({ file, findings }, checks, code, ctx.output.redact));
  exitFor(code, 'doctor');
}

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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function countsOf(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

function configCheck(findings: readonly Finding[]): DoctorCheck {
  if (findings.some((f) => f.severity === 'error')) return { name: 'config', status: 'fail', summary: countsOf(findings) };
  if (findings.some((f) => f.severity === 'warning')) return { name: 'config', status: 'warn', summary: `valid, ${countsOf(findings)}` };
  return { name: 'config', status: 'pass', summary: 'valid, client secret resolved' };
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
function print(report: FileReport, checks: DoctorCheck[], format: ReportFormat, strict: boolean, ctx: Context, login?: LoginReport): void {
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
