import {
  checkClientId,
  checkClientSecretValue,
  checkCreatioUrl,
  checkDomain,
  checkRegion,
  checkUserPoolId,
  type Checked,
} from '../core/config/checks.js';
import { isKnownRegion, regionOfUserPoolId, type HostedUiDomain } from '../core/cognito/identifiers.js';
import { DEFAULT_DISPLAY_NAME } from '../core/creatio/identifiers.js';
import { finding, type Finding } from '../core/findings.js';
import type { Deployment } from '../core/creatio/identifiers.js';
import { ConfigError, InconclusiveError } from '../cli/errors.js';
import { shown, whatHappened, withSource, type Shown } from '../core/text.js';
import { DEFAULT_SECRET_ENV_NAME, sourceLabel, type InputKey } from '../settings/inputs.js';
import type { Paint } from '../io/output.js';
import type { Spinner } from '../io/spinner.js';
import type { PoolLookup } from '../live/lookup.js';
import { domainText, type InitAnswers } from './answers.js';
import { checkDeployment, checkDisplayName, likelyDeployment } from '../core/config/checks.js';
import { firstError, firstErrorFrom, usable, type KnownInputs } from './known.js';
import { addDomainHint, domainMismatch, proposedDomain, type LookupFn } from './live.js';
import type { Prompts } from './prompts.js';

/**
 * The wizard of §5: Creatio URL → deployment → user pool ID → region (only when the pool ID does not
 * say it) → live lookup → domain → client ID → secret → display name → JIT → mobile. Every answer is
 * checked with the same field checks as `validate`; an error asks again with the reason, a warning
 * is shown and accepted. Questions answered by flags or environment variables are not asked.
 */
export interface WizardDeps {
  prompts: Prompts;
  /** Tell the user something (a line of prose on stderr), composed with `shown`. */
  say(text: Shown): void;
  color: Paint;
  /** The live lookup; absent with --offline. */
  lookup?: LookupFn;
  spinner(text: Shown): Promise<Spinner>;
  /** Register the secret as soon as it is known, so no later output can show it. */
  protect(secret: string): void;
}

/** The questions a user can go back to from the summary, in the order they are asked. */
export const QUESTIONS = [
  { key: 'creatioUrl', label: 'Creatio URL' },
  { key: 'deployment', label: 'Where Creatio runs' },
  { key: 'userPoolId', label: 'User pool ID (and region)' },
  { key: 'domain', label: 'Hosted UI domain' },
  { key: 'clientId', label: 'App client ID' },
  { key: 'clientSecret', label: 'App client secret' },
  { key: 'displayName', label: 'Login button name' },
  { key: 'jitEmployees', label: 'Just-In-Time employees' },
  { key: 'jitExternalUsers', label: 'Just-In-Time external users' },
  { key: 'mobileUseSso', label: 'Mobile app SSO' },
] as const;
export type Question = (typeof QUESTIONS)[number]['key'];

/** Answers given before: at the summary ("Change an answer"), or read from an existing config file. */
export interface Earlier {
  /** Each question shows its earlier answer as the default: Enter keeps it. */
  answers: Partial<InitAnswers>;
  /** Ask only this question (and the domain after a new pool: the lookup runs again); keep every other earlier answer. */
  only?: Question;
  /** The earlier lookup, kept when the pool stays. */
  lookup?: PoolLookup;
}

export interface WizardResult {
  answers: InitAnswers;
  /** Warnings the user saw and accepted. */
  findings: Finding[];
  /** What the live lookup found, when it ran and Cognito answered. */
  lookup?: PoolLookup;
}

/** The domain check, plus the live lookup's verdict: a domain other than the pool's own cannot sign anyone in. */
export function checkDomainFor(lookup: PoolLookup | undefined, region: string, userPoolId: string) {
  return (raw: string): Checked<HostedUiDomain> => {
    const r = checkDomain(raw, region, userPoolId);
    // The lookup found the pool's real domain: name it, not a guess at the console's default.
    if (lookup?.status === 'found' && r.findings.some((f) => f.code === 'domain/is-user-pool-id')) {
      const real = proposedDomain(lookup);
      return {
        findings: r.findings.map((f) =>
          f.code === 'domain/is-user-pool-id'
            ? { ...f, message: `${f.message.split(' Use ')[0]} The pool's domain is ${real}: type it, or press Enter to take it.` }
            : f,
        ),
      };
    }
    if (!usable(r)) return r;
    const mismatch = domainMismatch(lookup, r.value);
    if (!mismatch) return r;
    return mismatch.severity === 'error' ? { findings: [...r.findings, mismatch] } : { ...r, findings: [...r.findings, mismatch] };
  };
}

const NORMALIZED = 'creatio-url/normalized';

export async function askAnswers(known: KnownInputs, d: WizardDeps, earlier?: Earlier): Promise<WizardResult> {
  const c = d.color;
  const accepted: Finding[] = [];
  const before = earlier?.answers ?? {};
  const only = earlier?.only;
  /** An earlier answer that stays: another question is being changed. A new pool asks for its domain again. */
  const keeps = (key: Question): boolean =>
    only !== undefined && only !== key && before[key] !== undefined && !(key === 'domain' && only === 'userPoolId');
  /** Flags and variables answer a question, unless the user chose to change that very answer. */
  const givenFor = (key: InputKey) => (only === key ? undefined : known.given.get(key));

  /** Say what normalization did and which warnings apply; the warnings are kept for the report. */
  const tell = (r: Checked<unknown>) => {
    if (r.note) d.say(shown`${c.cyan('ℹ')} ${r.note}.`);
    for (const f of r.findings) {
      // The note already says what was normalized, and the normalized value is what gets written: the
      // warning is kept for the report (as init --non-interactive reports it), without a second line.
      if (f.code === NORMALIZED) accepted.push(f);
      else if (f.severity !== 'error') {
        d.say(shown`${c.yellow('⚠')} ${f.message}`);
        accepted.push(f);
      }
    }
  };

  /** A value from its flag or variable when that one is usable; else asked (again) until it is. */
  async function field<T>(key: InputKey, q: { message: string; default?: string }, check: (raw: string) => Checked<T>): Promise<T> {
    const given = givenFor(key);
    if (given) {
      const r = check(given.value);
      if (usable(r)) {
        tell(r);
        return r.value;
      }
      d.say(shown`${c.red('✖')} ${firstErrorFrom(r.findings, sourceLabel(given.source))!}`);
    }
    return ask(q, check);
  }

  async function ask<T>(q: { message: string; default?: string }, check: (raw: string) => Checked<T>): Promise<T> {
    for (let question = q; ;) {
      const raw = await d.prompts.text({ ...question, validate: (v) => firstError(check(v).findings) ?? true });
      const r = check(raw);
      // validate() accepted it, so this holds; a prompt that skipped validate() must not pass silently.
      if (!usable(r)) throw new Error(`the prompt returned an answer its check rejects: ${firstError(r.findings)}`);
      const told = accepted.length;
      tell(r);
      // A warning is the moment a person may want to retype: offer it, with the answer prefilled.
      const warned = accepted.slice(told).some((f) => f.code !== NORMALIZED);
      if (!warned || (await d.prompts.yesNo({ message: 'Keep this answer?', default: true }))) return r.value;
      accepted.splice(told);
      question = { ...q, default: raw };
    }
  }

  d.say(shown`${c.bold('creatio-sso init')}: a few questions, then a summary before anything is written. Ctrl-C or Esc cancels.`);

  const creatioUrl = keeps('creatioUrl')
    ? before.creatioUrl!
    : await field(
        'creatioUrl',
        { message: 'Creatio URL (the address of your Creatio site):', default: before.creatioUrl },
        checkCreatioUrl,
      );

  let deployment: Deployment;
  const givenDeployment = givenFor('deployment');
  const checkedDeployment = givenDeployment ? checkDeployment(givenDeployment.value) : undefined;
  if (keeps('deployment')) deployment = before.deployment!;
  else if (checkedDeployment && usable(checkedDeployment)) deployment = checkedDeployment.value;
  else {
    if (givenDeployment) d.say(shown`${c.red('✖')} ${firstErrorFrom(checkedDeployment!.findings, sourceLabel(givenDeployment.source))!}`);
    deployment = await d.prompts.choice<Deployment>({
      message: 'Where does this Creatio run?',
      choices: [
        { value: 'cloud', name: 'Creatio cloud', description: 'hosted by Creatio (*.creatio.com): OpenID Connect is already on' },
        { value: 'on-site', name: 'On-site', description: 'your own servers: the EnableOpenIDAuth feature must be switched on' },
      ],
      default: before.deployment ?? likelyDeployment(creatioUrl),
    });
  }

  let userPoolId: string;
  let region: string;
  let explicitRegion: string | undefined;
  let lookup: PoolLookup | undefined;
  for (;;) {
    if (keeps('userPoolId')) {
      userPoolId = before.userPoolId!;
      explicitRegion = before.region;
      region = explicitRegion ?? regionOfUserPoolId(userPoolId)!;
      lookup = earlier?.lookup;
      break;
    }
    const regionGiven = givenFor('region');
    userPoolId = await field(
      'userPoolId',
      { message: 'Cognito user pool ID (or its issuer URL):', default: before.userPoolId },
      // A region the pool ID carries is part of the answer: its warning (a typo such as eu-wset-1) is the
      // pool ID's, so "Keep this answer?" is asked about it like any other warning.
      regionGiven ? checkUserPoolId : withDerivedRegion,
    );
    const pool = userPoolId;
    const regionQuestion = { message: 'AWS region of the user pool (e.g. eu-west-1):', default: before.region };
    if (regionGiven) {
      explicitRegion = await field('region', regionQuestion, (v) => checkRegion(v, pool));
      region = explicitRegion;
    } else {
      const derived = checkRegion(undefined, pool);
      if (usable(derived)) {
        // Its warnings were told with the pool ID's.
        region = derived.value;
      } else {
        d.say(shown`${c.yellow('⚠')} The user pool ID ${pool} does not start with its region, so the region is needed.`);
        explicitRegion = await ask(regionQuestion, (v) => checkRegion(v, pool));
        region = explicitRegion;
      }
    }
    if (!d.lookup) break;

    lookup = await lookUp(userPoolId, region);
    if (lookup.status !== 'not-found') break;
    const given = givenFor('userPoolId');
    const from = given && sourceLabel(given.source);
    if (from) throw new ConfigError(`${lookup.message} Check the user pool ID (from ${from}) and its region. Nothing was written.`);
    d.say(shown`Check the pool ID and its region in the Cognito console, then type it again.`);
    explicitRegion = undefined;
  }

  if (lookup?.status === 'unreachable') {
    const goOn = await d.prompts.yesNo({ message: 'Continue offline (the domain is not verified now)?', default: true });
    if (!goOn)
      throw new InconclusiveError(
        'Nothing was written: the user pool could not be looked up. Check the network (HTTPS_PROXY, --timeout), or run again with --offline.',
      );
    lookup = undefined;
  }
  if (lookup?.status === 'found' || lookup?.status === 'no-domain') {
    // The discovery and JWKS findings generate would report on the same pool: errors refuse, warnings are kept (§13).
    const live = [
      ...(lookup.status === 'no-domain' ? [finding('discovery/no-hosted-ui-domain', 'cognito.domain', lookup.message, 'warning')] : []),
      ...(lookup.findings ?? []),
    ];
    const errors = live.filter((f) => f.severity === 'error');
    if (errors.length) throw new ConfigError(`${errors.map((f) => f.message).join(' ')} Nothing was written.`);
    for (const f of live.filter((w) => w.code !== 'discovery/no-hosted-ui-domain')) d.say(shown`${c.yellow('⚠')} ${f.message}`);
    accepted.push(...live);
  }
  if (lookup?.status === 'no-domain')
    d.say(shown`  ${addDomainHint(userPoolId)} You can type the domain below anyway, e.g. the one you are adding now.`);

  const domain = keeps('domain')
    ? before.domain!
    : await field(
        'domain',
        {
          message: 'Hosted UI domain (a prefix such as acme-login, or auth.acme.com):',
          default: lookup?.status === 'found' ? proposedDomain(lookup) : before.domain && domainText(before.domain),
        },
        checkDomainFor(lookup, region, userPoolId),
      );

  const clientId = keeps('clientId')
    ? before.clientId!
    : await field('clientId', { message: 'App client ID:', default: before.clientId }, checkClientId);

  const { clientSecret, clientSecretEnv } = keeps('clientSecret')
    ? { clientSecret: before.clientSecret!, clientSecretEnv: before.clientSecretEnv! }
    : await secret();
  d.protect(clientSecret);

  const displayName = keeps('displayName')
    ? before.displayName!
    : await field(
        'displayName',
        { message: 'Name of the login button in Creatio:', default: before.displayName ?? DEFAULT_DISPLAY_NAME },
        checkDisplayName,
      );

  /** A switch: kept, from its flag, or asked with the earlier answer as the default. */
  const yesNo = async (key: 'jitEmployees' | 'jitExternalUsers' | 'mobileUseSso', message: string): Promise<boolean> =>
    keeps(key)
      ? before[key]!
      : ((only === key ? undefined : known.switches[key]) ?? d.prompts.yesNo({ message, default: before[key] ?? false }));
  const jitEmployees = await yesNo('jitEmployees', 'Create employees at their first SSO sign-in (Just-In-Time)?');
  const jitExternalUsers = await yesNo('jitExternalUsers', 'Create external users at their first SSO sign-in?');
  const mobileUseSso = await yesNo('mobileUseSso', 'Use SSO in the Creatio mobile app too?');

  return {
    answers: {
      creatioUrl,
      deployment,
      userPoolId,
      region: explicitRegion,
      domain,
      clientId,
      clientSecret,
      clientSecretEnv,
      displayName,
      jitEmployees,
      jitExternalUsers,
      mobileUseSso,
    },
    findings: accepted,
    lookup,
  };

  async function lookUp(pool: string, inRegion: string): Promise<PoolLookup> {
    const spinner = await d.spinner(shown`Looking up the user pool ${pool} in Cognito…`);
    let r: PoolLookup;
    try {
      r = await d.lookup!(pool, inRegion);
    } catch (e) {
      spinner.stop();
      throw e;
    }
    if (r.status === 'found') spinner.stop(shown`${c.green('✔')} Found the user pool ${pool}: its hosted UI domain is ${r.host}.`);
    // What happened only: the advice follows once, below, and a question may come right after.
    else if (r.status === 'no-domain') spinner.stop(shown`${c.yellow('⚠')} The user pool ${pool} has no hosted UI domain yet.`);
    else if (r.status === 'not-found') spinner.stop(shown`${c.red('✖')} ${r.message}`);
    else spinner.stop(shown`${c.yellow('⚠')} ${lookupTrouble(r, inRegion)}`);
    return r;
  }

  async function secret(): Promise<{ clientSecret: string; clientSecretEnv: string }> {
    const k = only === 'clientSecret' ? ({ kind: 'none' } as const) : known.secret;
    const kept = before.clientSecret;
    const question = {
      message: kept ? 'App client secret (typing is masked; Enter keeps the current one):' : 'App client secret (typing is masked):',
      validate: (v: string) => (kept && !v.trim() ? true : (firstError(checkClientSecretValue(v.trim())) ?? true)),
    };
    if (k.kind === 'value') {
      const problem = firstError(checkClientSecretValue(k.value));
      if (!problem) {
        d.say(shown`${c.cyan('ℹ')} Using the client secret from ${k.from}.`);
        return { clientSecret: k.value, clientSecretEnv: k.envName };
      }
      d.say(shown`${c.red('✖')} ${withSource(problem, k.from)}`);
    } else if (k.kind === 'unset-env') {
      d.say(
        shown`${c.yellow('⚠')} ${k.from.charAt(0).toUpperCase()}${k.from.slice(1)} is not set. Type the secret here; the config file will refer to \${env:${k.envName}}.`,
      );
    }
    const typed = (await d.prompts.secret(question)).trim() || kept!;
    // A name the user chose (--client-secret-env) stays, as does the earlier one; a typed secret is otherwise referenced by the default name.
    const named = k.kind !== 'none' && k.named;
    return { clientSecret: typed, clientSecretEnv: named ? k.envName : (before.clientSecretEnv ?? DEFAULT_SECRET_ENV_NAME) };
  }
}

/** The pool ID's check with the region it starts with: a pool ID is only as good as its region. */
function withDerivedRegion(raw: string): Checked<string> {
  const r = checkUserPoolId(raw);
  if (!usable(r)) return r;
  const derived = checkRegion(undefined, r.value);
  return usable(derived) ? { ...r, findings: [...r.findings, ...derived.findings] } : r;
}

/** At the summary: write, go back to one question (its answer prefilled), or cancel. */
export async function askWhatNext(prompts: Prompts, dryRun: boolean): Promise<'write' | 'cancel' | Question> {
  const next = await prompts.choice<'write' | 'change' | 'cancel'>({
    message: dryRun ? 'Show these files? (--dry-run: nothing is written)' : 'Write these files?',
    choices: [
      { value: 'write', name: dryRun ? 'Show' : 'Write' },
      { value: 'change', name: 'Change an answer' },
      { value: 'cancel', name: 'Cancel', description: 'writes nothing; prints the command that gives the same set-up' },
    ],
    default: 'write',
  });
  if (next !== 'change') return next;
  return prompts.choice<Question>({ message: 'Which answer?', choices: QUESTIONS.map((q) => ({ value: q.key, name: q.label })) });
}

/** Why the lookup gave no answer, in one sentence: Cognito was not reached, or it answered something else. */
export function lookupTrouble(r: { message: string; answered?: boolean }, region?: string): string {
  const what = whatHappened(r.message).replace(/\.$/, '');
  const said = r.answered
    ? `Cognito answered the lookup, but not with the pool's discovery document: ${what}.`
    : `Could not reach Cognito to look up the pool: ${what}.`;
  // An unknown region has no Cognito host: the failure is the typo, not the network, so name it.
  return region !== undefined && !isKnownRegion(region)
    ? `${said} ${region} is not a region with Cognito user pools: check the region the pool ID starts with.`
    : said;
}
