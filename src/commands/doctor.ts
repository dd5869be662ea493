import { shown } from '../core/text.js';
import { loadConfig } from '../io/config-loader.js';
import type { Finding } from '../core/findings.js';
import { skipped } from '../core/cognito/hosted-ui.js';
import type { Context } from '../cli/context.js';
import type { DoctorOptions } from '../cli/program.js';
import { loginRequestOf, loginSkipped, runLoginSection, type LoginReport } from '../login/section.js';
import { doctorCreatio, type CreatioSection } from '../creatio/doctor.js';
import { doctorAwsSection } from '../aws/doctor.js';
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
  // The Creatio section asks other hosts with its own client and credentials: it runs beside the live look
  // (started once Cognito's first requests are out, so its modules do not hold them up), not after it.
  let creatioSection: Promise<CreatioSection> | undefined;
  const creatioRun = () => (creatioSection ??= doctorCreatio(settings, loaded, opts, ctx));
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
        // Awaited below, in its place in the report: a failure meanwhile is not unhandled.
        whileWaiting: () => void creatioRun().catch(() => {}),
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
