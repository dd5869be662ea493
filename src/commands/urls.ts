import { checkCreatioUrl, checkDomain, checkRegion, checkUserPoolId } from '../core/config/checks.js';
import { joinShown, machine, shown, stringifyVisible } from '../core/text.js';
import { hasErrors, type Finding } from '../core/findings.js';
import { deriveUrls, type DerivedUrls } from '../core/urls.js';
import type { UrlsOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { ConfigError, UsageError } from '../cli/errors.js';
import { givenInputs, INPUTS } from '../settings/inputs.js';
import { formatFindingsList } from '../report/findings.js';

const LABELS: [keyof DerivedUrls, string][] = [
  ['providerUrl', 'Provider URL (Url)'],
  ['discoveryUrl', 'Discovery URL (DiscoveryUrl)'],
  ['endSessionEndpoint', 'End session endpoint (EndSessionEndpointUrl)'],
  ['issuer', 'Issuer'],
  ['jwksUri', 'JWKS URI'],
  ['callbackUrl', 'Callback URL (Cognito: Allowed callback URLs)'],
  ['signOutUrl', 'Sign-out URL (Cognito: Allowed sign-out URLs)'],
];

/** `creatio-sso urls`: the derived URLs for a pool, its domain and (optionally) the Creatio site. */
export async function run(opts: UrlsOptions, ctx: Context): Promise<void> {
  const given = givenInputs(opts, ctx.env);
  const missing = INPUTS.filter((i) => (i.key === 'userPoolId' || i.key === 'domain') && !given.has(i.key));
  if (missing.length) {
    throw new UsageError(
      `Missing ${missing.map((i) => `${i.flag} (or ${i.env})`).join(', ')}. Example: creatio-sso urls --user-pool-id eu-west-1_AbCdEf123 --domain acme-login`,
    );
  }
  const findings: Finding[] = [];
  const pool = checkUserPoolId(given.get('userPoolId')!.value, '--user-pool-id');
  const region = checkRegion(given.get('region')?.value, pool.value, '--region');
  const domain = checkDomain(given.get('domain')!.value, region.value, pool.value, '--domain');
  const creatio = given.has('creatioUrl') ? checkCreatioUrl(given.get('creatioUrl')!.value, '--creatio-url') : undefined;
  findings.push(
    ...pool.findings,
    ...region.findings.map((f) => (f.path === 'cognito.userPoolId' ? { ...f, path: '--user-pool-id' } : f)),
    ...domain.findings,
    ...(creatio?.findings ?? []),
  );

  if (findings.length) ctx.output.err(formatFindingsList(findings, ctx.output.errColor, ctx.output.errColumns, ctx.output.redact));
  if (hasErrors(findings)) throw new ConfigError('No URLs derived: fix the values above.', true);

  const urls = deriveUrls({ userPoolId: pool.value!, region: region.value!, domainHost: domain.value!.host, creatioUrl: creatio?.value });
  if (opts.json) {
    ctx.output.out(machine(`${stringifyVisible(urls, 2)}\n`));
    return;
  }
  const rows = LABELS.filter(([k]) => urls[k] !== undefined);
  const width = Math.max(...rows.map(([, l]) => l.length));
  const c = ctx.output.color;
  ctx.output.out(
    shown`${joinShown(
      rows.map(([k, l]) => shown`${c.bold(l.padEnd(width))}  ${urls[k]}`),
      '\n',
    )}\n`,
  );
}
