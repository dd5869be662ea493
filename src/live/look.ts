import type { ResolvedConfig } from '../core/config/checks.js';
import { shown } from '../core/text.js';
import type { Finding } from '../core/findings.js';
import { skipped, type CheckStatus, type HostedUiTarget, type ProbeResult } from '../core/cognito/hosted-ui.js';
import type { SecretRef } from '../core/config/secret-ref.js';
import type { Context } from '../cli/context.js';
import { startSpinner } from '../io/spinner.js';
import { probeHostedUi, tokenTrustFor } from './hosted-ui.js';
import { isInconclusive } from './inconclusive.js';
import { runOnlineChecks } from './online.js';
import { createHttpClient } from '../net/http.js';
import { targetOf } from '../net/overrides.js';
import type { HttpClient } from '../net/types.js';
import type { Secret } from '../settings/secret.js';
import { trustPins, type FileSettings } from '../settings/resolve.js';

/**
 * doctor's live look, shared by `doctor` and by `apply`'s final checks (§13): the discovery document and
 * JWKS, and the hosted UI probes (authorize, token, logout), on one HTTP client so an identical request
 * is made once. Discovery, authorize and logout leave together; token follows discovery's confirmation
 * of the domain (§10) and authorize.
 */

/** One line of the report: a group of checks and how it went. */
export interface DoctorCheck {
  name: 'config' | 'discovery' | ProbeResult['name'] | 'aws' | 'creatio' | 'login';
  status: CheckStatus;
  summary: string;
}

export interface LiveLookInput {
  settings: FileSettings;
  resolved: ResolvedConfig;
  /** Places a finding in the config file. */
  locate: (f: Finding) => Finding;
  skipHostedUi: boolean;
  /** Hosted UI hosts DescribeUserPool named (§10: they confirm the token endpoint). */
  describedDomains?: readonly string[];
  /** Work started once the first requests are out, while their answers are awaited (doctor starts its Creatio section). */
  whileWaiting?: () => void;
}

export interface LiveLook<T> {
  checks: DoctorCheck[];
  findings: Finding[];
  /** What `alsoWith` returned: more work on the same client before it closes (doctor's login proof). */
  also?: T;
}

export async function liveLook<T = undefined>(
  input: LiveLookInput,
  ctx: Context,
  alsoWith?: (http: HttpClient) => Promise<T>,
): Promise<LiveLook<T>> {
  const { settings, resolved, locate } = input;
  const { file, secret } = settings;
  const checks: DoctorCheck[] = [];
  const findings: Finding[] = [];
  // Made before any request: an unusable override variable is a usage error (exit 2); the hosted UI
  // override stands in for the configured domain only.
  const http = createHttpClient({ env: ctx.env, timeoutMs: ctx.timeoutMs, signal: ctx.signal, hostedUiHosts: [resolved.domain.host] });
  const spinner = ctx.verbose ? undefined : await startSpinner(ctx, 'Checking discovery, signing keys and the hosted UI…');
  try {
    const online = runOnlineChecks([{ file, resolved }], ctx, { http, together: true, quiet: true });
    const probes = input.skipHostedUi ? undefined : probe();
    if (input.whileWaiting) void http.dispatched().then(input.whileWaiting);
    // Settled before anything is reported, so neither rejection is left unhandled while the other is awaited.
    await Promise.allSettled([online, probes]);
    const onlineFindings = ((await online).findings.get(file) ?? []).map(locate);
    findings.push(...onlineFindings);
    checks.push(discoveryCheck(onlineFindings, (await online).inconclusive));
    if (!probes) {
      checks.push(...(['authorize', 'token', 'logout'] as const).map((name) => checkOf(skipped(name, '--skip hosted-ui'))));
    } else {
      for (const p of await probes) {
        findings.push(...p.findings.map(locate));
        checks.push(checkOf(p));
      }
    }
    const also = alsoWith ? await alsoWith(http) : undefined;
    return { checks, findings, ...(also !== undefined ? { also } : {}) };
  } finally {
    spinner?.stop();
    await http.close();
  }

  function probe(): Promise<ProbeResult[]> {
    const secretInvalid = secret.value !== undefined && secret.findings.some((f) => f.severity === 'error');
    // The configured domain is probed even when discovery names another: it is what Creatio will use.
    // §10: the secret goes only to a token endpoint this run confirmed (src/core/trust.ts decides).
    const tokenTrust = tokenTrustFor(resolved, {
      http,
      ...trustPins(settings),
      ...(input.describedDomains ? { describedDomains: [...input.describedDomains] } : {}),
    });
    return probeHostedUi(hostedUiTargetOf(resolved), {
      http,
      // A secret that is not even shaped like one is reported already; Cognito would only reject it.
      secret: secretInvalid ? undefined : secret.value,
      noSecretReason: secretInvalid ? 'the client secret is not valid' : 'no client secret',
      secretFrom: secretFromOf(secret, resolved.clientSecret, file),
      targetOf: (url) => targetOf(url, http.overrides),
      tokenTrust,
      log: ctx.verbose ? (line) => ctx.output.err(shown`${ctx.output.errColor.dim(line)}\n`) : undefined,
    });
  }
}

export const checkOf = ({ name, status, summary }: ProbeResult): DoctorCheck => ({ name, status, summary });

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

function secretFromOf(secret: Secret, configured: SecretRef, file: string): string {
  // Where the user fixes it: the variable that held the value, or the file itself.
  if (secret.supplied.kind === 'stdin') return 'stdin (--client-secret-stdin)';
  if (secret.supplied.kind === 'env') return `the environment variable ${secret.supplied.name}`;
  if (configured.kind === 'env') return `the environment variable ${configured.name}`;
  return `clientSecret in ${file}`;
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
