import type { ChalkInstance } from 'chalk';
import type { ResolvedConfig } from '../core/checks.js';
import type { Finding } from '../core/findings.js';
import { skipped, type CheckStatus, type HostedUiTarget, type ProbeResult } from '../core/hosted-ui.js';
import type { SecretRef } from '../core/schema.js';
import type { Context } from '../context.js';
import type { DoctorOptions } from '../cli.js';
import { ExitCode, ExitError } from '../errors.js';
import { formatLoginSection, loginRequestOf, loginSkipped, runLoginSection, type LoginReport } from './doctor-login.js';
import { doctorCreatio } from './doctor-creatio.js';
import { startSpinner } from '../io/spinner.js';
import { doctorAwsSection } from './doctor-aws.js';
import { probeHostedUi, tokenTrustFor } from '../live/hosted-ui.js';
import { isInconclusive } from '../live/inconclusive.js';
import { runOnlineChecks } from '../live/online.js';
import { createHttpClient } from '../net/http.js';
import { targetOf } from '../net/overrides.js';
import { formatGithub, formatJson, formatText, verdict, type FileReport, type ReportFormat } from '../report.js';
import type { ResolvedSecret } from '../secret.js';
import { checkFileSettings, overrideFinding, overrideNotice, resolveFileSettings, sourceLabel, type FileSettings } from '../settings.js';

/** One line of the report: a group of checks and how it went. */
export interface DoctorCheck {
  name: 'config' | 'discovery' | ProbeResult['name'] | 'aws' | 'creatio' | 'login';
  status: CheckStatus;
  summary: string;
}

/**
 * `creatio-sso doctor`: every offline check, the discovery/JWKS checks, then the hosted UI probes
 * (authorize, token, logout), without a browser. Exit 1 when a check fails, 3 when Cognito could not
 * be asked (network, timeout) and nothing else failed.
 */
export async function run(opts: DoctorOptions, ctx: Context): Promise<void> {
  // 1. Resolve: the file, flags, variables and the secret, once. --login's usage errors come before anything is read.
  const loginRequest = await loginRequestOf(opts, ctx);
  const settings = await resolveFileSettings(opts, ctx);
  const { file, secret } = settings;
  const strict = Boolean(opts.strict);
  const json = opts.format === 'json';
  if (!json) for (const o of settings.overridden) ctx.output.err(`${overrideNotice(o)}\n`);

  // 2. Check (pure).
  const loaded = checkFileSettings(settings);
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
    findings.push(...secret.resolved.findings.map(loaded.locate));
    checks.push(configCheck(findings));

    // 3. Look. The client is made before any request: an unusable override variable is a usage error
    // (exit 2); the hosted UI override stands in for the configured domain only. One client for discovery, JWKS and the probes, so an identical request is made once.
    const http = createHttpClient({ env: ctx.env, timeoutMs: ctx.timeoutMs, signal: ctx.signal, hostedUiHosts: [resolved.domain.host] });
    // Discovery (with JWKS), authorize and logout leave together; token follows discovery's confirmation
    // of the domain (§10) and authorize. Results are reported in the same order as ever. One spinner.
    const spinner = ctx.verbose ? undefined : await startSpinner(ctx, 'Checking discovery, signing keys and the hosted UI…');
    try {
      const online = runOnlineChecks([{ file, resolved }], ctx, { http, together: true, quiet: true });
      const probes = opts.skip?.has('hosted-ui') ? undefined : probe();
      // Settled before anything is reported, so neither rejection is left unhandled while the other is awaited.
      await Promise.allSettled([online, probes]);
      const onlineFindings = ((await online).findings.get(file) ?? []).map(loaded.locate);
      findings.push(...onlineFindings);
      checks.push(discoveryCheck(onlineFindings, (await online).inconclusive));

      if (!probes) {
        checks.push(...(['authorize', 'token', 'logout'] as const).map((name) => checkOf(skipped(name, '--skip hosted-ui'))));
      } else {
        for (const p of await probes) {
          findings.push(...p.findings.map(loaded.locate));
          checks.push(checkOf(p));
        }
      }

      const section = await runLoginSection({ request: loginRequest, opts, settings, resolved, http, locate: loaded.locate }, ctx);
      findings.push(...section.findings);
      checks.push(section.check);
      login = section.login;
    } finally {
      spinner?.stop();
      await http.close();
    }

    function probe(): Promise<ProbeResult[]> {
      const secretInvalid = secret.value !== undefined && secret.resolved.findings.some((f) => f.severity === 'error');
      // The configured domain is probed even when discovery names another: it is what Creatio will use.
      // §10: the secret goes only to a token endpoint this run confirmed (src/core/trust.ts decides).
      const tokenTrust = tokenTrustFor(resolved, { http, domainNamedBy: domainNamedBy(settings), describedDomains: aws.describedDomains });
      return probeHostedUi(hostedUiTargetOf(resolved), {
        http,
        // A secret that is not even shaped like one is reported already; Cognito would only reject it.
        secret: secretInvalid ? undefined : secret.value,
        noSecretReason: secretInvalid ? 'the client secret is not valid' : 'no client secret',
        secretFrom: secretFromOf(secret.resolved, resolved.clientSecret, file),
        targetOf: (url) => targetOf(url, http.overrides),
        tokenTrust,
        log: ctx.verbose ? (line) => ctx.output.err(`${ctx.output.errColor.dim(line)}\n`) : undefined,
      });
    }
  }

  checks.push(aws.check);
  findings.push(...aws.findings);

  const creatio = await doctorCreatio(settings, loaded, opts, ctx);
  checks.push(creatio.check);
  findings.push(...creatio.findings.map(loaded.locate));

  // 4. One report, one verdict.
  print({ file, findings }, checks, opts.format, strict, ctx, login);
  const code = verdict(findings, { strict });
  if (code === ExitCode.inconclusive) throw new ExitError(code, 'Inconclusive: Cognito could not be asked; see the findings above.', true);
  if (code !== ExitCode.ok) throw new ExitError(code, 'doctor found problems; see the findings above.', true);
}

const checkOf = ({ name, status, summary }: ProbeResult): DoctorCheck => ({ name, status, summary });

/** Canonical values from the config: the probes ask what Creatio will ask. */
function hostedUiTargetOf(r: ResolvedConfig): HostedUiTarget {
  return {
    providerUrl: r.urls.providerUrl,
    userPoolId: r.userPoolId,
    clientId: r.clientId,
    callbackUrl: r.urls.callbackUrl,
    signOutUrl: r.urls.signOutUrl,
  };
}

function secretFromOf(secret: ResolvedSecret, configured: SecretRef, file: string): string {
  // Where the user fixes it: the variable that held the value, or the file itself.
  if (secret.source?.kind === 'stdin') return 'stdin (--client-secret-stdin)';
  if (secret.source?.kind === 'env') return `the environment variable ${secret.source.name}`;
  if (configured.kind === 'env') return `the environment variable ${configured.name}`;
  return `clientSecret in ${file}`;
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

function discoveryCheck(findings: readonly Finding[], inconclusive: boolean): DoctorCheck {
  const codes = [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.code))].join(', ');
  if (inconclusive && !findings.some((f) => f.severity === 'error' && !isInconclusive(f))) {
    return { name: 'discovery', status: 'inconclusive', summary: `no answer (${codes})` };
  }
  if (findings.some((f) => f.severity === 'error')) return { name: 'discovery', status: 'fail', summary: codes };
  if (findings.some((f) => f.severity === 'warning'))
    return { name: 'discovery', status: 'warn', summary: `discovery document and JWKS usable (${codes})` };
  return { name: 'discovery', status: 'pass', summary: 'discovery document and JWKS match the pool' };
}

const MARK: Record<CheckStatus, (c: ChalkInstance) => string> = {
  pass: (c) => c.green('✔'),
  fail: (c) => c.red('✖'),
  warn: (c) => c.yellow('!'),
  skip: (c) => c.dim('-'),
  inconclusive: (c) => c.yellow('?'),
};

export function formatChecks(checks: readonly DoctorCheck[], c: ChalkInstance): string {
  return checks.map((k) => `${MARK[k.status](c)} ${k.name}: ${k.status === 'skip' ? c.dim(k.summary) : k.summary}\n`).join('');
}

/** §9: text (check lines, findings, summary), one JSON document (with a `checks` array per file), or GitHub annotations. */
function print(report: FileReport, checks: DoctorCheck[], format: ReportFormat, strict: boolean, ctx: Context, login?: LoginReport): void {
  const { output } = ctx;
  if (format === 'json') {
    // The validate document, plus `checks`: the shared formatter stays the one source of its shape.
    // `checks` at the top (§9: doctor's document adds them) and, as before, on the one file's entry.
    const doc = JSON.parse(formatJson([report], strict)) as { files: Record<string, unknown>[] };
    doc.files[0]!.checks = checks;
    // `"login"` (§9) only when a test user signed in: its claims, never a token.
    output.out(`${JSON.stringify({ ...doc, checks, ...(login ? { login } : {}) }, null, 2)}\n`);
    return;
  }
  if (format === 'github') {
    output.err(formatChecks(checks, output.errColor));
    if (login) output.err(formatLoginSection(login, output.errColor));
    output.out(formatGithub([report]));
    return;
  }
  const loginText = login ? `\n${formatLoginSection(login, output.color)}` : '';
  output.out(`${formatChecks(checks, output.color)}${loginText}\n${formatText([report], output.color, strict, output.outColumns)}`);
}

/** The flag or variable that named the domain (§10: a domain named outside the file is confirmed), if any. */
function domainNamedBy(settings: FileSettings): string | undefined {
  const domain = settings.inputs.get('domain');
  return domain && domain.source.kind !== 'file' && domain.source.kind !== 'default' ? sourceLabel(domain.source) : undefined;
}
