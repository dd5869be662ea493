import type { DoctorOptions } from '../cli/program.js';
import { type Context } from '../cli/context.js';
import { untilStopped } from '../cli/stop.js';
import type { Finding } from '../core/findings.js';
import type { LoadedConfig } from '../io/config-loader.js';
import { startSpinner } from '../io/spinner.js';
import { isInconclusive } from '../live/inconclusive.js';
import type { FileSettings } from '../settings/resolve.js';
import type { DoctorCheck } from '../live/look.js';
import { AWS_HOW } from '../settings/aws.js';

/** The section's title, at the start of its check line in every format. */
export const AWS_SECTION = 'Cognito app client (AWS API)';

export interface AwsSection {
  check: DoctorCheck;
  /** Every `aws/*` finding of §11, placed at its line in the config file. */
  findings: Finding[];
  /** Hosted UI hosts DescribeUserPool named (§10: they confirm the domain for the token probe). */
  describedDomains: string[];
}

const skip = (why: string): AwsSection => ({
  check: { name: 'aws', status: 'skip', summary: `${AWS_SECTION}: skipped: ${why}` },
  findings: [],
  describedDomains: [],
});

/**
 * `doctor`'s audit of the app client through the AWS API (§11): when `--aws`/`--aws-profile` is given or
 * the environment names credentials. Without credentials it is skipped, with how to enable it; with
 * `--aws` and none, a usage error (exit 2). Runs before the hosted UI probes, whose token probe a domain
 * named by DescribeUserPool confirms.
 */
export async function doctorAwsSection(
  opts: DoctorOptions,
  settings: FileSettings,
  loaded: LoadedConfig,
  ctx: Context,
): Promise<AwsSection> {
  if (opts.skip?.has('aws')) return skip('--skip aws');
  if (!settings.aws.wanted) return skip(AWS_HOW);
  const resolved = loaded.resolved;
  if (!resolved) return skip('the config has errors');

  const secretFindings = settings.secret.findings;
  const secret = secretFindings.some((f) => f.severity === 'error') ? undefined : settings.secret.value;
  const { inspectCognito, cognitoInputOf, refuseMissingCredentials, describedDomainsOf } = await import('./half.js');
  const spinner = ctx.verbose ? undefined : await startSpinner(ctx, 'Reading the app client through the AWS API…');
  const half = await untilStopped(
    ctx.signal,
    inspectCognito(
      cognitoInputOf({
        opts,
        settings,
        resolved,
        clientId: resolved.clientId,
        ...(secret !== undefined ? { clientSecret: secret } : {}),
        ctx,
      }),
    ),
  ).finally(() => spinner?.stop());
  refuseMissingCredentials(settings.aws, half.findings);
  const findings = half.findings.map(loaded.locate);
  const uncomparable = half.state?.client?.found === true && half.state.client.secret === 'uncomparable';
  return {
    check: awsCheck(findings, resolved.clientId, uncomparable),
    findings,
    describedDomains: describedDomainsOf(half.state, resolved.region),
  };
}

/** §11: DescribeUserPoolClient shows only the original secret; a later one is proved by the token probe alone. */
const UNCOMPARABLE = 'the configured secret is not the original one the API shows, and a later secret exists: the token probe decides';

function awsCheck(findings: readonly Finding[], clientId: string, uncomparable = false): DoctorCheck {
  const codes = [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.code))].join(', ');
  const errors = findings.filter((f) => f.severity === 'error');
  const summary = (s: string) => `${AWS_SECTION}: ${s}`;
  if (errors.length && errors.every(isInconclusive))
    return { name: 'aws', status: 'inconclusive', summary: summary(`no answer (${codes})`) };
  if (errors.length) return { name: 'aws', status: 'fail', summary: summary(codes) };
  const note = uncomparable ? `; ${UNCOMPARABLE}` : '';
  if (findings.some((f) => f.severity === 'warning')) return { name: 'aws', status: 'warn', summary: summary(`usable (${codes})${note}`) };
  return { name: 'aws', status: 'pass', summary: summary(`app client ${clientId} allows what Creatio needs${note}`) };
}
