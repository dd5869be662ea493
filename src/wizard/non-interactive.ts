import { withSource } from '../core/text.js';
import { extractUserPoolId, isRegionShaped, regionOfUserPoolId } from '../core/cognito/identifiers.js';
import { DEFAULT_DISPLAY_NAME } from '../core/creatio/identifiers.js';
import { finding, hasErrors, type Finding } from '../core/findings.js';
import { INPUTS, SECRET_ENV, sourceLabel, type InputKey } from '../settings/inputs.js';
import type { PoolLookup } from '../live/lookup.js';
import type { InitAnswers } from './answers.js';
import * as checks from '../core/config/checks.js';
import { usable, type KnownInputs } from './known.js';
import { domainMismatch } from './live.js';

/**
 * `init` without prompts: every answer from flags, environment variables (flag first) and defaults,
 * checked with the same field checks as the wizard and `validate`.
 */

/** Every input that is missing, each with the flag and the variable that can supply it (§3: all at once). */
export function missingInputs(given: KnownInputs['given'], secretGiven: boolean): string[] {
  const missing = INPUTS.filter((i) => i.required && !given.has(i.key)).map((i) => `${i.flag} (or ${i.env})`);
  const pool = given.get('userPoolId');
  if (pool && !given.has('region')) {
    const prefix = regionOfUserPoolId(extractUserPoolId(pool.value).userPoolId);
    if (prefix !== undefined && !isRegionShaped(prefix))
      missing.push('--region (or CREATIO_SSO_REGION): the user pool ID does not start with its region');
  }
  if (!secretGiven) missing.push(`the client secret: --client-secret-env <NAME>, --client-secret-stdin (or ${SECRET_ENV})`);
  return missing;
}

export interface CollectedAnswers {
  /** Present when no check found an error. */
  answers?: InitAnswers;
  /** Every finding; messages name the flag or variable a value came from. */
  findings: Finding[];
}

/** The answers a wizard run would have given, from what is known; call after missingInputs() found nothing. */
export function answersFromInputs(known: KnownInputs): CollectedAnswers {
  const findings: Finding[] = [];
  const take = <T>(key: InputKey, check: (raw: string) => checks.Checked<T>): T | undefined => {
    const given = known.given.get(key);
    if (!given) return undefined;
    const r = check(given.value);
    findings.push(...r.findings.map((f) => ({ ...f, message: withSource(f.message, sourceLabel(given.source), f.path) })));
    return usable(r) ? r.value : undefined;
  };

  const creatioUrl = take('creatioUrl', checks.checkCreatioUrl);
  const deployment = known.given.has('deployment') ? take('deployment', checks.checkDeployment) : 'cloud';
  const userPoolId = take('userPoolId', checks.checkUserPoolId);
  let region: string | undefined;
  let explicitRegion: string | undefined;
  if (known.given.has('region')) {
    region = explicitRegion = take('region', (v) => checks.checkRegion(v, userPoolId));
  } else if (userPoolId !== undefined) {
    const derived = checks.checkRegion(undefined, userPoolId);
    findings.push(...derived.findings);
    region = derived.value;
  }
  const domain = take('domain', (v) => checks.checkDomain(v, region, userPoolId));
  const clientId = take('clientId', checks.checkClientId);
  const displayName = known.given.has('displayName') ? take('displayName', checks.checkDisplayName) : DEFAULT_DISPLAY_NAME;

  let clientSecret: string | undefined;
  let clientSecretEnv = '';
  const k = known.secret;
  if (k.kind === 'value') {
    const invalid = checks.checkClientSecretValue(k.value);
    findings.push(...invalid.map((f) => ({ ...f, message: withSource(f.message, k.from) })));
    if (!invalid.length) ({ value: clientSecret, envName: clientSecretEnv } = k);
  } else if (k.kind === 'unset-env') {
    findings.push(
      finding(
        'client-secret/unresolved',
        'cognito.clientSecret',
        `${capitalized(k.from)} is not set: export ${k.envName} with the app client secret (Cognito → App clients → Show client secret).`,
      ),
    );
  }

  if (
    hasErrors(findings) ||
    [creatioUrl, deployment, userPoolId, region, domain, clientId, displayName, clientSecret].includes(undefined)
  ) {
    return { findings };
  }
  return {
    findings,
    answers: {
      creatioUrl: creatioUrl!,
      deployment: deployment!,
      userPoolId: userPoolId!,
      region: explicitRegion,
      domain: domain!,
      clientId: clientId!,
      clientSecret: clientSecret!,
      clientSecretEnv,
      displayName: displayName!,
      jitEmployees: known.switches.jitEmployees ?? false,
      jitExternalUsers: known.switches.jitExternalUsers ?? false,
      mobileUseSso: known.switches.mobileUseSso ?? false,
    },
  };
}

/** What the live lookup says about the answers, as §8 findings. An unreachable Cognito is the caller's (exit 3). */
export function lookupFindings(r: PoolLookup, a: InitAnswers, domainFrom: string): Finding[] {
  switch (r.status) {
    case 'not-found':
      return [
        finding(
          'discovery/pool-not-found',
          'cognito.userPoolId',
          `${r.message} Check the user pool ID and its region in the Cognito console.`,
        ),
      ];
    case 'no-domain':
      // At set-up time a warning whose message names the fix (§13); the other findings as generate reports them.
      return [finding('discovery/no-hosted-ui-domain', 'cognito.domain', r.message, 'warning'), ...(r.findings ?? [])];
    case 'found': {
      const mismatch = domainMismatch(r, a.domain);
      return [...(mismatch ? [{ ...mismatch, message: withSource(mismatch.message, domainFrom) }] : []), ...(r.findings ?? [])];
    }
    default:
      return [];
  }
}

const capitalized = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
