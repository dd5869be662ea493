import { shown } from '../core/text.js';
import { loadConfig } from '../io/config-loader.js';
import type { Finding } from '../core/findings.js';
import { skipped } from '../core/cognito/hosted-ui.js';
import type { Context } from '../cli/context.js';
import type { DoctorOptions } from '../cli/program.js';
import { loginRequestOf, loginSkipped, runLoginSection, type LoginReport } from '../login/section.js';
import { doctorCreatio, type CreatioSection } from '../creatio/doctor.js';
import { AWS_SPINNER, doctorAwsSection, type AwsSection } from '../aws/doctor.js';
import { startSpinner } from '../io/spinner.js';
import { checkOf, liveLook, type DoctorCheck } from '../live/look.js';
import { exitFor, verdict } from '../report/verdict.js';
import { appendJobSummary } from '../report/job-summary.js';
import { overrideFinding, overrideNotice, resolveFileSettings } from '../settings/resolve.js';
import type { Tell } from '../report/outcome.js';
import { doctorDocument, doctorSummary, printDoctor } from '../report/doctor.js';

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
  // The AWS section (§11) and the Creatio section ask other hosts with their own clients and credentials:
  // they run beside the live look (started once Cognito's first requests are out, so their modules do not
  // hold them up), not before or after it. What acts waits for the AWS section, whose usage error (`--aws`
  // and no credentials: exit 2) must end the run before anything does: the Creatio section (it signs in),
  // the token probe (it sends the client secret) and --login's sign-in. Beside the live look the AWS section
  // shows no spinner of its own. A domain DescribeUserPool names confirms the token endpoint (§10).
  let awsSection: Promise<AwsSection> | undefined;
  let awsDone = false;
  const awsRun = (spinner: boolean) => {
    if (!awsSection) {
      awsSection = doctorAwsSection(opts, settings, loaded, ctx, { spinner });
      awsSection.then(
        () => (awsDone = true),
        () => (awsDone = true),
      );
    }
    return awsSection;
  };
  let creatioSection: Promise<CreatioSection> | undefined;
  const creatioRun = () => (creatioSection ??= awsRun(false).then(() => doctorCreatio(settings, loaded, opts, ctx)));

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
        describedDomains: () => awsRun(false).then((a) => a.describedDomains),
        // Both awaited below, in their places in the report: a failure meanwhile is not unhandled.
        whileWaiting: () => {
          void creatioRun().catch(() => {});
          void awsRun(false).catch(() => {});
        },
      },
      ctx,
      async (http) => {
        if (loginRequest.kind === 'asked') await awsRun(false);
        return runLoginSection({ request: loginRequest, settings, resolved, http, locate: loaded.locate }, ctx);
      },
    );
    checks.push(...live.checks);
    findings.push(...live.findings);
    const section = live.also!;
    findings.push(...section.findings);
    checks.push(section.check);
    login = section.login;
  }

  // Still reading the app client once the rest is done: its spinner now.
  const aws = awsSection && !awsDone && !ctx.verbose ? await whileSpinning(awsSection, ctx) : await awsRun(true);
  checks.push(aws.check);
  findings.push(...aws.findings);

  const creatio = await creatioRun();
  checks.push(creatio.check);
  findings.push(...creatio.findings.map(loaded.locate));

  // 4. One report, one verdict.
  printDoctor({ file, findings }, checks, opts.format, strict, ctx, login);
  const code = verdict(findings, { strict });
  // Many configs (§17): the one-config document and job summary, for the run's own.
  tell?.({
    document: doctorDocument({ file, findings }, checks, strict, ctx.output.redact, login),
    summary: () => doctorSummary({ file, findings }, checks, code, ctx.output.redact),
  });
  await appendJobSummary(ctx, () => doctorSummary({ file, findings }, checks, code, ctx.output.redact));
  exitFor(code, 'doctor');
}

async function whileSpinning<T>(pending: Promise<T>, ctx: Context): Promise<T> {
  const spinner = await startSpinner(ctx, AWS_SPINNER);
  try {
    return await pending;
  } finally {
    spinner.stop();
  }
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
