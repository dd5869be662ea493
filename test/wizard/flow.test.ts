import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/init.js';
import { main } from '../../src/cli/run.js';
import { validateConfigText } from '../../src/core/config/validate.js';
import type { Context } from '../../src/cli/context.js';
import { CancelledError, ConfigError, InconclusiveError } from '../../src/cli/errors.js';
import { createOutput } from '../../src/io/output.js';
import type { PoolLookup } from '../../src/live/lookup.js';
import { askAnswers, type WizardDeps } from '../../src/wizard/flow.js';
import type { KnownInputs } from '../../src/wizard/known.js';
import { terminalPrompts, type Prompts } from '../../src/wizard/prompts.js';
import { tempDir, TEST_SECRET } from '../support/cli.js';

/**
 * The wizard through its prompt seam: questions are answered by their text, answers a check rejects
 * are shown their reason and the next answer for the same question is taken, as a person re-typing.
 */
type Answer = string | boolean | undefined;

interface Script {
  prompts: Prompts;
  /** Every question asked, in order. */
  asked: string[];
  /** Every reason shown for a rejected answer. */
  rejected: string[];
  /** Every secret question (masked input) asked. */
  masked: string[];
}

function scripted(answers: [match: string, ...answers: Answer[]][]): Script {
  const queues = answers.map(([match, ...a]) => ({ match, queue: [...a] }));
  const s: Script = { asked: [], rejected: [], masked: [], prompts: undefined as unknown as Prompts };
  const next = (message: string): Answer => {
    s.asked.push(message);
    const q = queues.find((x) => message.includes(x.match));
    if (!q) throw new Error(`unexpected question: ${message}`);
    if (!q.queue.length) throw new Error(`no answer left for: ${message} (rejected: ${s.rejected.at(-1) ?? 'none'})`);
    return q.queue.shift();
  };
  const answerText = (message: string, validate?: (v: string) => true | string, fallback?: string) => {
    for (;;) {
      const a = next(message);
      const value = a === undefined || a === '' ? (fallback ?? '') : String(a);
      const ok = validate ? validate(value) : true;
      if (ok === true) return value;
      s.rejected.push(ok);
    }
  };
  s.prompts = {
    text: async (q) => answerText(q.message, q.validate, q.default),
    secret: async (q) => {
      s.masked.push(q.message);
      return answerText(q.message, q.validate);
    },
    choice: async (q) => {
      const a = next(q.message);
      const value = a === undefined ? (q.default ?? q.choices[0]!.value) : a;
      if (!q.choices.some((c) => c.value === value)) throw new Error(`${String(value)} is not a choice of ${q.message}`);
      return value as never;
    },
    yesNo: async (q) => {
      const a = next(q.message);
      return a === undefined ? q.default : a === true || a === 'y';
    },
  };
  return s;
}

const noColor = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: new PassThrough(), env: {} }).errColor;
const noChalk = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: new PassThrough(), env: {} }).errChalk;

function deps(prompts: Prompts, o: { lookup?: (pool: string, region: string) => Promise<PoolLookup> } = {}) {
  const said: string[] = [];
  const spinners: string[] = [];
  const protectedValues: string[] = [];
  const d: WizardDeps = {
    prompts,
    say: (t) => said.push(t),
    color: noColor,
    lookup: o.lookup,
    spinner: async (text) => {
      spinners.push(text);
      return { update: () => {}, stop: (final) => void (final && said.push(final)) };
    },
    protect: (v) => protectedValues.push(v),
  };
  return { d, said, spinners, protectedValues };
}

const nothingKnown = (): KnownInputs => ({ given: new Map(), secret: { kind: 'none' }, switches: {} });
const found = (): PoolLookup => ({
  status: 'found',
  host: 'acme-login.auth.eu-west-1.amazoncognito.com',
  kind: 'prefix',
  prefix: 'acme-login',
});
const foundCustom = (host: string): PoolLookup => ({ status: 'found', host, kind: 'custom' });

/** Answers for every question of a full run, in §5 order. */
const FULL: [string, ...Answer[]][] = [
  ['Creatio URL', 'https://acme.creatio.com/0/Shell/#SectionModuleV2/AccountSectionV2'],
  ['Where does this Creatio run', undefined],
  ['user pool ID', 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123'],
  ['Hosted UI domain', undefined],
  ['App client ID', '1h57kf5cpq17m0eml12eqe3alr'],
  ['App client secret', TEST_SECRET],
  ['login button', undefined],
  ['Create employees', true],
  ['Create external users', false],
  ['mobile app', false],
];
/** The same without a live lookup: the domain has no proposal and is typed. */
const OFFLINE = FULL.map(([m, ...a]): [string, ...Answer[]] => (m === 'Hosted UI domain' ? [m, 'acme-login'] : [m, ...a]));

describe('the wizard flow (§5)', () => {
  it('asks in the order of §5, normalizes pasted values and says so, and proposes the domain the live lookup found', async () => {
    const s = scripted(FULL);
    const looked: string[] = [];
    const { d, said, spinners, protectedValues } = deps(s.prompts, {
      lookup: async (pool, region) => (looked.push(`${pool}@${region}`), found()),
    });
    const r = await askAnswers(nothingKnown(), d);

    expect(s.asked.map((q) => FULL.find(([m]) => q.includes(m))![0])).toEqual(FULL.map(([m]) => m));
    expect(r.answers).toMatchObject({
      creatioUrl: 'https://acme.creatio.com',
      deployment: 'cloud',
      userPoolId: 'eu-west-1_AbCdEf123',
      region: undefined,
      domain: { kind: 'prefix', prefix: 'acme-login', host: 'acme-login.auth.eu-west-1.amazoncognito.com' },
      clientId: '1h57kf5cpq17m0eml12eqe3alr',
      clientSecret: TEST_SECRET,
      clientSecretEnv: 'COGNITO_CLIENT_SECRET',
      displayName: 'Cognito AWS',
      jitEmployees: true,
      jitExternalUsers: false,
      mobileUseSso: false,
    });
    expect(said.join('\n')).toContain('the site root is https://acme.creatio.com');
    expect(said.join('\n')).toContain(
      'Took the user pool ID eu-west-1_AbCdEf123 from https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
    );
    expect(looked).toEqual(['eu-west-1_AbCdEf123@eu-west-1']);
    expect(spinners).toHaveLength(1);
    expect(said.join('\n')).toContain('its hosted UI domain is acme-login.auth.eu-west-1.amazoncognito.com');
    // The secret is asked with masked input and registered for redaction, never said.
    expect(s.masked).toHaveLength(1);
    expect(protectedValues).toEqual([TEST_SECRET]);
    expect(said.join('\n')).not.toContain(TEST_SECRET);
  });

  it('asks again with the reason when an answer breaks a §7 rule, and accepts warnings after showing them', async () => {
    const s = scripted([
      ['Creatio URL', 'acme', 'http://acme.creatio.com', 'https://acme.creatio.com'],
      ['Where does', 'on-site'],
      ['user pool ID', 'not a pool', 'eu-west-1_AbCdEf123'],
      ['Hosted UI domain', 'eu-west-1_AbCdEf123', 'my-aws-login', 'acme-login.auth.eu-west-1.amazoncognito.com'],
      ['App client ID', 'bad id!', 'ShortClientId'],
      ['App client secret', 'too-short', `  ${TEST_SECRET}  `],
      ['login button', '   ', 'Sign in with ACME'],
      ['Create employees', false],
      ['Create external users', true],
      ['mobile app', true],
      ['Keep this answer?', true],
    ]);
    const { d, said } = deps(s.prompts);
    const r = await askAnswers(nothingKnown(), d);

    expect(s.rejected).toHaveLength(8);
    expect(s.rejected[0]).toMatch(/absolute http\(s\) URL/);
    expect(s.rejected[1]).toMatch(/uses http:/);
    expect(s.rejected[2]).toMatch(/not a Cognito pool ID/);
    expect(s.rejected[3]).toMatch(/is the user pool ID/);
    expect(s.rejected[4]).toMatch(/contains "aws"/);
    expect(s.rejected[5]).toMatch(/not a Cognito client ID/);
    expect(s.rejected[6]).toMatch(/not a Cognito client secret: it has 9 characters/);
    expect(s.rejected[7]).toMatch(/must not be empty/);
    expect(s.rejected.join('\n')).not.toContain(TEST_SECRET);

    // A pasted hosted UI host is reduced to the prefix; the unusual client ID is a warning, accepted.
    expect(r.answers.domain).toMatchObject({ kind: 'prefix', prefix: 'acme-login' });
    expect(r.answers.clientId).toBe('ShortClientId');
    expect(r.answers.clientSecret).toBe(TEST_SECRET);
    expect(r.answers.displayName).toBe('Sign in with ACME');
    expect(said.join('\n')).toMatch(/⚠ The app client ID "ShortClientId" is not 25–26/);
    expect(r.findings.map((f) => f.code)).toEqual(['client-id/unusual']);
    expect(r.answers).toMatchObject({ deployment: 'on-site', jitEmployees: false, jitExternalUsers: true, mobileUseSso: true });
  });

  it('does not ask what flags and environment variables answered, and tells where the secret came from', async () => {
    const s = scripted([['Create external users', false]]);
    const known: KnownInputs = {
      given: new Map([
        ['creatioUrl', { value: 'https://acme.creatio.com', source: { kind: 'flag' as const, flag: '--creatio-url' } }],
        ['deployment', { value: 'on-site', source: { kind: 'env' as const, name: 'CREATIO_SSO_DEPLOYMENT' } }],
        ['userPoolId', { value: 'eu-west-1_AbCdEf123', source: { kind: 'flag' as const, flag: '--user-pool-id' } }],
        ['domain', { value: 'auth.acme.com', source: { kind: 'env' as const, name: 'CREATIO_SSO_DOMAIN' } }],
        ['clientId', { value: '1h57kf5cpq17m0eml12eqe3alr', source: { kind: 'flag' as const, flag: '--client-id' } }],
        ['displayName', { value: 'ACME', source: { kind: 'flag' as const, flag: '--display-name' } }],
      ]),
      secret: {
        kind: 'value',
        value: TEST_SECRET,
        envName: 'MY_SECRET',
        named: true,
        from: 'the environment variable MY_SECRET (--client-secret-env)',
      },
      switches: { jitEmployees: true, mobileUseSso: false },
    };
    const { d, said } = deps(s.prompts);
    const r = await askAnswers(known, d);
    expect(s.asked).toEqual(['Create external users at their first SSO sign-in?']);
    expect(r.answers).toMatchObject({
      deployment: 'on-site',
      domain: { kind: 'custom', host: 'auth.acme.com' },
      clientSecretEnv: 'MY_SECRET',
      displayName: 'ACME',
      jitEmployees: true,
    });
    expect(said.join('\n')).toContain('Using the client secret from the environment variable MY_SECRET');
  });

  it('asks a question whose flag value is unusable, saying why and which flag it came from', async () => {
    const s = scripted([...FULL.filter(([m]) => m !== 'Hosted UI domain'), ['Hosted UI domain', 'acme-login']]);
    const known: KnownInputs = {
      ...nothingKnown(),
      given: new Map([['domain', { value: 'eu-west-1_AbCdEf123', source: { kind: 'flag' as const, flag: '--domain' } }]]),
    };
    const { d, said } = deps(s.prompts);
    const r = await askAnswers(known, d);
    expect(said.join('\n')).toMatch(/✖ The domain "eu-west-1_AbCdEf123" is the user pool ID.*\(from --domain\)/);
    expect(r.answers.domain).toMatchObject({ prefix: 'acme-login' });
  });

  it("advice about a flag's value names the flag the user typed, not the config key", async () => {
    const s = scripted(FULL);
    const known: KnownInputs = {
      ...nothingKnown(),
      given: new Map([['region', { value: 'eu-central-1', source: { kind: 'flag' as const, flag: '--region' } }]]),
    };
    const { d, said } = deps(s.prompts);
    await askAnswers(known, d).catch(() => undefined);
    const told = said.find((l) => l.includes('differs from'))!;
    expect(told).toContain('Remove --region');
    expect(told).not.toContain('cognito.region');
    expect(told).not.toContain('(from --region)');
  });

  it('an empty secret is "empty", not "0 characters"', async () => {
    const { checkClientSecretValue } = await import('../../src/core/config/checks.js');
    expect(checkClientSecretValue('')[0]!.message).toContain('it is empty');
    expect(checkClientSecretValue('')[0]!.message).not.toContain('0 characters');
  });

  it('asks for the region only when the pool ID does not carry it, and checks it', async () => {
    const s = scripted([
      ...OFFLINE.filter(([m]) => m !== 'user pool ID'),
      ['user pool ID', 'acmepool_AbCdEf123'],
      ['AWS region', 'eu-wst-1x', 'eu-west-1'],
      // The unusual pool ID is a warning: kept.
      ['Keep this answer?', true],
    ]);
    const { d, said } = deps(s.prompts);
    const r = await askAnswers(nothingKnown(), d);
    expect(said.join('\n')).toContain('does not start with its region');
    expect(s.rejected).toEqual([expect.stringMatching(/not an AWS region/)]);
    expect(r.answers.region).toBe('eu-west-1');
    expect(r.answers.domain.host).toBe('acme-login.auth.eu-west-1.amazoncognito.com');

    const derived = scripted(OFFLINE);
    await askAnswers(nothingKnown(), deps(derived.prompts).d);
    expect(derived.asked.some((q) => q.includes('AWS region'))).toBe(false);
  });

  it('rejects a domain other than the one the live lookup found, naming the real one', async () => {
    const s = scripted([
      ...FULL.filter(([m]) => m !== 'Hosted UI domain'),
      ['Hosted UI domain', 'other-login', 'auth.other.com', 'acme-login'],
    ]);
    const { d } = deps(s.prompts, { lookup: async () => found() });
    const r = await askAnswers(nothingKnown(), d);
    expect(s.rejected).toEqual([
      "The user pool's hosted UI domain is acme-login.auth.eu-west-1.amazoncognito.com (from its discovery document), not other-login.auth.eu-west-1.amazoncognito.com: use acme-login.",
      "The user pool's hosted UI domain is acme-login.auth.eu-west-1.amazoncognito.com (from its discovery document), not auth.other.com: use acme-login.",
    ]);
    expect(r.answers.domain).toMatchObject({ kind: 'prefix', prefix: 'acme-login' });
  });

  it('accepts a prefix domain with a warning when the document shows a custom domain (a pool may have both)', async () => {
    const s = scripted([
      ...FULL.filter(([m]) => m !== 'Hosted UI domain'),
      ['Hosted UI domain', 'acme-login'],
      ['Keep this answer?', true],
    ]);
    const { d, said } = deps(s.prompts, { lookup: async () => foundCustom('auth.acme.com') });
    const r = await askAnswers(nothingKnown(), d);
    expect(s.rejected).toEqual([]);
    expect(said.join('\n')).toContain(
      "⚠ The pool's discovery document shows its custom domain auth.acme.com, not the prefix domain acme-login.auth.eu-west-1.amazoncognito.com",
    );
    // The pasted page URL was normalized: kept for the report as init --non-interactive reports it (test/wizard/agrees-with-init.test.ts).
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([
      ['creatio-url/normalized', 'warning'],
      ['discovery/domain-mismatch', 'warning'],
    ]);
    expect(r.answers.domain).toMatchObject({ kind: 'prefix', prefix: 'acme-login' });
  });

  it('says how to add a domain when the pool has none, and takes one typed anyway', async () => {
    const s = scripted(FULL.map(([m, ...a]) => (m === 'Hosted UI domain' ? [m, '', 'acme-login'] : [m, ...a])));
    const { d, said } = deps(s.prompts, { lookup: async () => ({ status: 'no-domain', message: 'Its endpoints are on cognito-idp.' }) });
    const r = await askAnswers(nothingKnown(), d);
    const text = said.join('\n');
    expect(text).toContain('has no hosted UI domain yet');
    expect(text).toContain('Branding → Domain');
    expect(text).toContain('You can type the domain below anyway');
    // No proposal: an empty answer is rejected.
    expect(s.rejected).toHaveLength(1);
    expect(r.answers.domain).toMatchObject({ prefix: 'acme-login' });
  });

  it('says what Cognito answered when it was reached, with no "run again" right above the question', async () => {
    const answered = async (): Promise<PoolLookup> => ({
      status: 'unreachable',
      answered: true,
      message: 'The discovery URL https://x/.well-known/openid-configuration answered HTTP 500. Check the pool ID, then run again.',
    });
    const s = scripted([...FULL.filter(([m]) => m !== 'Hosted UI domain'), ['Continue offline', true], ['Hosted UI domain', 'acme-login']]);
    const { d, said } = deps(s.prompts, { lookup: answered });
    await askAnswers(nothingKnown(), d);
    const shown = said.join('\n');
    expect(shown).toContain("Cognito answered the lookup, but not with the pool's discovery document: The discovery URL");
    expect(shown).toContain('answered HTTP 500.');
    expect(shown).not.toContain('Could not reach');
    expect(shown).not.toContain('run again');
  });

  it("names the pool's real domain when the user pool ID is typed as the domain and the lookup found it", async () => {
    const s = scripted([...FULL.filter(([m]) => m !== 'Hosted UI domain'), ['Hosted UI domain', 'eu-west-1_AbCdEf123', undefined]]);
    const { d } = deps(s.prompts, { lookup: async () => found() });
    const r = await askAnswers(nothingKnown(), d);
    expect(s.rejected).toEqual([
      'The domain "eu-west-1_AbCdEf123" is the user pool ID, which cannot be a host name (it has "_" and capitals). The pool\'s domain is acme-login: type it, or press Enter to take it.',
    ]);
    expect(r.answers.domain).toMatchObject({ prefix: 'acme-login' });
  });

  it('says when Cognito is unreachable and goes on offline only if the user agrees', async () => {
    const unreachable = async (): Promise<PoolLookup> => ({ status: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:9' });
    const agree = scripted([
      ...FULL.filter(([m]) => m !== 'Hosted UI domain'),
      ['Continue offline', true],
      ['Hosted UI domain', 'acme-login'],
    ]);
    const a = deps(agree.prompts, { lookup: unreachable });
    const r = await askAnswers(nothingKnown(), a.d);
    expect(a.said.join('\n')).toContain('Could not reach Cognito to look up the pool: connect ECONNREFUSED');
    expect(r.answers.domain).toMatchObject({ prefix: 'acme-login' });
    expect(r.lookup).toBeUndefined();

    const refuse = scripted([...FULL, ['Continue offline', false]]);
    await expect(askAnswers(nothingKnown(), deps(refuse.prompts, { lookup: unreachable }).d)).rejects.toThrow(InconclusiveError);
    expect(refuse.asked.some((q) => q.includes('Hosted UI domain'))).toBe(false);
  });

  it('asks for the pool ID again when Cognito does not know the pool; a pool ID from a flag fails instead', async () => {
    let calls = 0;
    const lookup = async (pool: string): Promise<PoolLookup> => (
      ++calls,
      pool === 'eu-west-1_AbCdEf123' ? found() : { status: 'not-found', message: `User pool ${pool} does not exist.` }
    );
    const s = scripted([...FULL.filter(([m]) => m !== 'user pool ID'), ['user pool ID', 'eu-west-1_Wrong1234', 'eu-west-1_AbCdEf123']]);
    const { d, said } = deps(s.prompts, { lookup });
    const r = await askAnswers(nothingKnown(), d);
    expect(said.join('\n')).toContain('User pool eu-west-1_Wrong1234 does not exist.');
    expect(calls).toBe(2);
    expect(r.answers.userPoolId).toBe('eu-west-1_AbCdEf123');

    const known: KnownInputs = {
      ...nothingKnown(),
      given: new Map([['userPoolId', { value: 'eu-west-1_Wrong1234', source: { kind: 'flag' as const, flag: '--user-pool-id' } }]]),
    };
    await expect(askAnswers(known, deps(scripted(FULL).prompts, { lookup }).d)).rejects.toThrow(/does not exist.*from --user-pool-id/);
  });

  it('a pool ID whose region is a typo (eu-wset-1) asks "Keep this answer?", the typed ID prefilled; the lookup names the region', async () => {
    const typo = 'eu-wset-1_AbCdEf123';
    const looked: string[] = [];
    const lookup = async (pool: string, region: string): Promise<PoolLookup> => (
      looked.push(`${pool}@${region}`),
      region === 'eu-west-1' ? found() : { status: 'unreachable', message: `getaddrinfo ENOTFOUND cognito-idp.${region}.amazonaws.com` }
    );
    // No: the question comes again with the typo prefilled, and the corrected ID is looked up.
    const retype = scripted([
      ...FULL.filter(([m]) => m !== 'user pool ID'),
      ['user pool ID', typo, 'eu-west-1_AbCdEf123'],
      ['Keep this answer?', false],
    ]);
    const defaults: (string | undefined)[] = [];
    const prompts: Prompts = {
      ...retype.prompts,
      text: (q) => (q.message.includes('user pool ID') && defaults.push(q.default), retype.prompts.text(q)),
    };
    const a = deps(prompts, { lookup });
    const r = await askAnswers(nothingKnown(), a.d);
    expect(a.said.join('\n')).toContain('eu-wset-1 is not a region with Cognito user pools');
    expect(retype.asked.filter((q) => q === 'Keep this answer?')).toHaveLength(1);
    expect(defaults[1]).toBe(typo);
    expect(looked).toEqual(['eu-west-1_AbCdEf123@eu-west-1']);
    expect(r.answers.userPoolId).toBe('eu-west-1_AbCdEf123');

    // Yes: the lookup runs in the typo's region, and its failure names the region, not only DNS.
    const keep = scripted([
      ...FULL.filter(([m]) => m !== 'user pool ID' && m !== 'Hosted UI domain'),
      ['user pool ID', typo],
      ['Keep this answer?', true],
      ['Continue offline', true],
      ['Hosted UI domain', 'acme-login'],
    ]);
    const b = deps(keep.prompts, { lookup });
    await askAnswers(nothingKnown(), b.d);
    const failure = b.said.find((l) => l.includes('Could not reach Cognito'));
    expect(failure).toContain('ENOTFOUND');
    expect(failure).toContain('eu-wset-1 is not a region with Cognito user pools');
  });

  it('with --offline neither looks up nor shows a spinner', async () => {
    const s = scripted(OFFLINE);
    const { d, spinners } = deps(s.prompts);
    await askAnswers(nothingKnown(), d);
    expect(spinners).toEqual([]);
  });

  it('guesses the deployment from the Creatio URL', async () => {
    const seen: (string | undefined)[] = [];
    const base = scripted(
      OFFLINE.map(([m, ...a]): [string, ...Answer[]] => (m === 'Creatio URL' ? [m, 'https://crm.acme.com/Demo_1'] : [m, ...a])),
    );
    const prompts: Prompts = { ...base.prompts, choice: async (q) => (seen.push(q.default), base.prompts.choice(q)) };
    const r = await askAnswers(nothingKnown(), deps(prompts).d);
    expect(seen).toEqual(['on-site']);
    expect(r.answers).toMatchObject({ creatioUrl: 'https://crm.acme.com/Demo_1', deployment: 'on-site' });
  });
});

describe('the real prompts: Ctrl-C and Esc cancel (exit 130)', () => {
  // A terminal-like input stream: inquirer reads keypresses from it as from a TTY.
  const terminal = () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    let shown = '';
    // Like a terminal's stdout, it stays open when a prompt ends its own stream piped into it.
    const output = Object.assign(new Writable({ write: (c, _e, cb) => ((shown += String(c)), cb()) }), { end: () => output });
    return { input, output, prompts: terminalPrompts({ input, output, color: noChalk }), screen: () => shown };
  };

  it('maps Ctrl-C to CancelledError', async () => {
    const t = terminal();
    const answer = t.prompts.text({ message: 'Creatio URL:' });
    setTimeout(() => t.input.write('\x03'), 50);
    await expect(answer).rejects.toBeInstanceOf(CancelledError);
  });

  // After Esc and readline's pause the question shows; the test answers it once it is on the screen, as a person would.
  const escape = async (t: ReturnType<typeof terminal>) => {
    const before = t.screen().split('Cancel set-up?').length;
    t.input.write('\x1b');
    for (let waited = 0; t.screen().split('Cancel set-up?').length === before; waited += 20) {
      if (waited > 5000) throw new Error(`no "Cancel set-up?" after Esc; the screen: ${t.screen()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const typed = () => new Promise((r) => setTimeout(r, 50));

  it('asks "Cancel set-up?" on Esc: yes cancels (CancelledError)', async () => {
    const t = terminal();
    const answer = t.prompts.secret({ message: 'App client secret:' });
    await typed();
    // A lone Esc is told from an escape sequence after ESCAPE_PAUSE_MS, not readline's 500 ms.
    const pressed = performance.now();
    await escape(t);
    expect(performance.now() - pressed).toBeLessThan(400);
    t.input.write('y\r');
    await expect(answer).rejects.toBeInstanceOf(CancelledError);
    expect(t.screen()).toContain('Cancel set-up?');
  });

  it('asks "Cancel set-up?" on Esc: no asks the question again; Esc twice cancels', async () => {
    const t = terminal();
    const answer = t.prompts.text({ message: 'App client ID:' });
    await typed();
    await escape(t);
    t.input.write('n\r');
    await typed();
    t.input.write('abc\r');
    await expect(answer).resolves.toBe('abc');

    const again = t.prompts.text({ message: 'App client ID:' });
    await typed();
    await escape(t);
    t.input.write('\x1b');
    await expect(again).rejects.toBeInstanceOf(CancelledError);
  });

  it('returns a typed answer', async () => {
    const t = terminal();
    const answer = t.prompts.text({ message: 'App client ID:' });
    setTimeout(() => t.input.write('abc\r'), 50);
    await expect(answer).resolves.toBe('abc');
  });
});

describe('init at a terminal (in-process, prompts answered by question)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const capture = (columns?: number) => {
    let text = '';
    return {
      stream: Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), { isTTY: false, columns }),
      text: () => text,
    };
  };
  const context = (env: NodeJS.ProcessEnv = {}, columns?: number) => {
    const out = capture(columns);
    const err = capture(columns);
    const stop = new AbortController();
    const ctx: Context = {
      output: createOutput({ color: false, verbose: false, stdout: out.stream, stderr: err.stream, env }),
      env,
      cwd: dir,
      stdin: Object.assign(new PassThrough(), { isTTY: true }),
      stdout: out.stream,
      stderr: err.stream,
      interactive: true,
      timeoutMs: 1000,
      verbose: false,
      signal: stop.signal,
    };
    return { ctx, stdout: out.text, stderr: err.text, stop };
  };
  const files = () => readdirSync(dir, { recursive: true }).map(String).sort();
  const opts = (extra: Record<string, unknown> = {}) => ({ config: 'creatio-sso.yaml', outDir: 'creatio-sso', ...extra });

  it('shows a summary, writes the config and the artifacts, and prints next steps and an equivalent command that gives the same files', async () => {
    const s = scripted([...FULL, ['Write these files?', 'write']]);
    const { ctx, stdout, stderr } = context();
    await run(opts(), ctx, { prompts: s.prompts, lookup: async () => found() });

    expect(files()).toEqual([
      'creatio-sso',
      'creatio-sso.yaml',
      'creatio-sso/SETUP.md',
      'creatio-sso/cognito-app-client.json',
      'creatio-sso/creatio-sso-record.json',
    ]);
    const yaml = readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=https://unpkg.com/creatio-sso/schema/creatio-sso.schema.json');
    expect(yaml).toContain('clientSecret: ${env:COGNITO_CLIENT_SECRET}');
    expect(yaml).not.toContain(TEST_SECRET);
    // What init writes, validate accepts without a finding.
    expect(validateConfigText(yaml).findings).toEqual([]);
    const record = JSON.parse(readFileSync(path.join(dir, 'creatio-sso/creatio-sso-record.json'), 'utf8'));
    expect(record.SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
    expect(record.SsoServiceProvider).toEqual({ UseJit: true, SspUseJit: false });
    expect(statSync(path.join(dir, 'creatio-sso/creatio-sso-record.json')).mode & 0o777).toBe(0o600);

    const err = stderr();
    expect(err).toMatch(
      /Summary[\s\S]*Hosted UI domain\s+acme-login\.auth\.eu-west-1\.amazoncognito\.com \(checked live:\s+the pool uses it\)/,
    );
    expect(err).toMatch(/Files[\s\S]*creatio-sso\/creatio-sso-record\.json\s+for Creatio; holds the client secret/);
    expect(err).toContain('Next steps');
    expect(err + stdout()).not.toContain(TEST_SECRET);
    expect(stdout()).toContain('wrote creatio-sso.yaml');

    const command = err
      .split('\n')
      .find((l) => l.includes('npx creatio-sso init'))!
      .trim();
    expect(command).toBe(
      'COGNITO_CLIENT_SECRET=… npx creatio-sso init --non-interactive --creatio-url https://acme.creatio.com --deployment cloud --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --client-id 1h57kf5cpq17m0eml12eqe3alr --jit-employees --client-secret-env COGNITO_CLIENT_SECRET',
    );

    // Run that command (offline: the lookup was checked above) into another folder: the same files.
    const again = tempDir();
    try {
      const args = command.replace(/^\S+ npx creatio-sso /, '').split(' ');
      const sink = capture();
      const code = await main({
        argv: ['node', 'creatio-sso', ...args, '--offline'],
        env: { COGNITO_CLIENT_SECRET: TEST_SECRET },
        cwd: again.dir,
        stdin: Object.assign(new PassThrough(), { isTTY: false }),
        stdout: sink.stream,
        stderr: sink.stream,
      });
      expect(code, sink.text()).toBe(0);
      for (const f of [
        'creatio-sso.yaml',
        'creatio-sso/creatio-sso-record.json',
        'creatio-sso/cognito-app-client.json',
        'creatio-sso/SETUP.md',
      ]) {
        expect(readFileSync(path.join(again.dir, f), 'utf8'), f).toBe(readFileSync(path.join(dir, f), 'utf8'));
      }
    } finally {
      again.cleanup();
    }
  });

  it('writes nothing when the user says no at the summary (exit 130)', async () => {
    const s = scripted([...FULL, ['Write these files?', 'cancel']]);
    const { ctx } = context();
    await expect(run(opts(), ctx, { prompts: s.prompts, lookup: async () => found() })).rejects.toBeInstanceOf(CancelledError);
    expect(files()).toEqual([]);
  });

  it('asks before the first question whether to update a target file that exists, and refuses on no', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'keep me\n');
    const s = scripted([['Update these files?', false]]);
    const { ctx } = context();
    await expect(run(opts(), ctx, { prompts: s.prompts })).rejects.toThrow(
      /creatio-sso\.yaml already exists\. Nothing was written\. Use --force/,
    );
    expect(s.asked).toEqual(['Update these files? creatio-sso.yaml already exists: the questions start from its answers.']);
    expect(readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8')).toBe('keep me\n');
    expect(existsSync(path.join(dir, 'creatio-sso'))).toBe(false);
  });

  /** The defaults the text questions showed (what Enter keeps), by question. */
  const recordingDefaults = (s: Script) => {
    const defaults = new Map<string, string | undefined>();
    const prompts: Prompts = { ...s.prompts, text: (q) => (defaults.set(q.message, q.default), s.prompts.text(q)) };
    return { prompts, defaults };
  };
  const defaultOf = (defaults: Map<string, string | undefined>, question: string) => [...defaults].find(([m]) => m.includes(question))?.[1];

  it('at the summary, "Change an answer" goes back to that question with the old answer prefilled, then writes', async () => {
    const s = scripted([
      ...FULL.filter(([m]) => m !== 'App client ID'),
      ['App client ID', '1h57kf5cpq17m0eml12eqe3alr', 'abcdefghij0123456789abcdef'],
      ['Write these files?', 'change', 'write'],
      ['Which answer?', 'clientId'],
    ]);
    const { prompts, defaults } = recordingDefaults(s);
    const { ctx, stderr } = context();
    await run(opts(), ctx, { prompts, lookup: async () => found() });
    // Only the chosen question was asked again, showing the earlier answer.
    expect(s.asked.filter((q) => q.includes('App client ID'))).toHaveLength(2);
    expect(s.asked.filter((q) => q.includes('Creatio URL'))).toHaveLength(1);
    expect(defaultOf(defaults, 'App client ID')).toBe('1h57kf5cpq17m0eml12eqe3alr');
    expect(readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8')).toContain('clientId: abcdefghij0123456789abcdef');
    // The summary is shown again with the new answer before writing.
    expect(stderr().match(/Summary/g)).toHaveLength(2);
  });

  it('changing the pool looks it up again and asks for its domain again', async () => {
    const s = scripted([
      ...FULL.filter(([m]) => m !== 'user pool ID' && m !== 'Hosted UI domain'),
      ['user pool ID', 'eu-west-1_AbCdEf123', 'eu-west-1_XyZxYz789'],
      ['Hosted UI domain', undefined, undefined],
      ['Write these files?', 'change', 'write'],
      ['Which answer?', 'userPoolId'],
    ]);
    const looked: string[] = [];
    const { ctx } = context();
    await run(opts(), ctx, { prompts: s.prompts, lookup: async (pool) => (looked.push(pool), found()) });
    expect(looked).toEqual(['eu-west-1_AbCdEf123', 'eu-west-1_XyZxYz789']);
    expect(readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8')).toContain('userPoolId: eu-west-1_XyZxYz789');
  });

  it('Cancel at the summary writes nothing and prints the command that gives the same set-up (exit 130)', async () => {
    const s = scripted([...FULL, ['Write these files?', 'cancel']]);
    const { ctx, stderr } = context();
    await expect(run(opts(), ctx, { prompts: s.prompts, lookup: async () => found() })).rejects.toBeInstanceOf(CancelledError);
    expect(files()).toEqual([]);
    // "Nothing was written" is said once, by the cancel itself (cli.ts prints the CancelledError last).
    expect(stderr()).toContain('The same set-up without questions:');
    expect(stderr()).not.toMatch(/nothing was written/i);
    expect(stderr()).toContain(
      'COGNITO_CLIENT_SECRET=… npx creatio-sso init --non-interactive --creatio-url https://acme.creatio.com --deployment cloud',
    );
    expect(stderr()).not.toContain(TEST_SECRET);
  });

  it('an answer accepted with a warning can be retyped, the warned answer prefilled', async () => {
    const s = scripted([
      ...FULL.filter(([m]) => m !== 'App client ID'),
      ['App client ID', 'ShortClientId', '1h57kf5cpq17m0eml12eqe3alr'],
      ['Keep this answer?', false],
      ['Write these files?', 'write'],
    ]);
    const { prompts, defaults } = recordingDefaults(s);
    const { ctx } = context();
    await run(opts(), ctx, { prompts, lookup: async () => found() });
    expect(defaultOf(defaults, 'App client ID')).toBe('ShortClientId');
    expect(readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8')).toContain('clientId: 1h57kf5cpq17m0eml12eqe3alr');
  });

  it('the summary marks a region no Cognito pool lives in (a typo kept on purpose)', async () => {
    const s = scripted([
      ...OFFLINE.filter(([m]) => m !== 'user pool ID'),
      ['user pool ID', 'eu-wset-1_AbCdEf123'],
      ['Keep this answer?', true],
      ['Write these files?', 'cancel'],
    ]);
    const { ctx, stderr } = context();
    await expect(run(opts({ offline: true }), ctx, { prompts: s.prompts })).rejects.toBeInstanceOf(CancelledError);
    expect(stderr()).toMatch(/User pool +eu-wset-1_AbCdEf123 in eu-wset-1 \(not a region with\s+Cognito user pools\)/);
  });

  it('a secret from a variable named by --client-secret-env is named without nested parentheses', async () => {
    const s = scripted([...FULL, ['Write these files?', 'cancel']]);
    const { ctx, stderr } = context({ MY_SECRET: 'too-short' });
    await expect(
      run(opts({ clientSecretEnv: 'MY_SECRET' }), ctx, { prompts: s.prompts, lookup: async () => found() }),
    ).rejects.toBeInstanceOf(CancelledError);
    // Prose wraps at the stream's width: compare the words, not where the rows break.
    expect(stderr().replace(/\s+/g, ' ')).toContain('(from the environment variable MY_SECRET named by --client-secret-env)');
    expect(stderr()).not.toMatch(/\([^()]*\(/);
  });

  it("the summary's long row continues under its value, at 60 columns", async () => {
    const s = scripted([...OFFLINE, ['Write these files?', 'cancel']]);
    const { ctx, stderr } = context({}, 60);
    const noDomain = async (): Promise<PoolLookup> => ({ status: 'no-domain', message: 'Its endpoints are on cognito-idp.' });
    await expect(run(opts(), ctx, { prompts: s.prompts, lookup: noDomain })).rejects.toBeInstanceOf(CancelledError);
    const lines = stderr().split('\n');
    const at = lines.findIndex((l) => l.startsWith('  Hosted UI domain'));
    const value = lines[at]!.indexOf('acme-login.auth');
    expect(lines[at + 1]!.slice(0, value).trim()).toBe('');
    expect(lines[at + 1]!.charAt(value)).not.toBe(' ');
    const summary = lines.slice(lines.indexOf('Summary'), lines.indexOf('Files'));
    // Only a value longer than the line (a URL, a host) goes past it: whole, after its label.
    expect(summary.filter((l) => l.length > 60).every((l) => /^ {2}[A-Z][\w -]*?\s{2,}\S+$/.test(l))).toBe(true);
  });

  it('over an existing config, "Update these files?" starts every question from its answers', async () => {
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      [
        'version: 1',
        'creatio: { url: https://crm.acme.com, deployment: on-site }',
        'cognito: { userPoolId: eu-west-1_AbCdEf123, domain: acme-login, clientId: 1h57kf5cpq17m0eml12eqe3alr, clientSecret: "${env:ACME_SECRET}" }',
        'provider: { displayName: ACME login }',
        'jit: { employees: false, externalUsers: true }',
        '',
      ].join('\n'),
    );
    // Enter everywhere: every answer is the file's; the secret comes from the variable the file names.
    const s = scripted([
      ['Update these files?', true],
      ['Creatio URL', undefined],
      ['Where does this Creatio run', undefined],
      ['user pool ID', undefined],
      ['Hosted UI domain', undefined],
      ['App client ID', undefined],
      ['App client secret', ''],
      ['login button', undefined],
      ['Create employees', undefined],
      ['Create external users', undefined],
      ['mobile app', undefined],
      ['Write these files?', 'write'],
    ]);
    const { ctx } = context({ ACME_SECRET: TEST_SECRET });
    await run(opts(), ctx, { prompts: s.prompts, lookup: async () => found() });
    const yaml = readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8');
    for (const kept of ['url: https://crm.acme.com', 'deployment: on-site', 'displayName: ACME login', 'clientSecret: ${env:ACME_SECRET}'])
      expect(yaml).toContain(kept);
    expect(yaml).toMatch(/jit:\n\s+employees: false\n\s+externalUsers: true/);
    const record = JSON.parse(readFileSync(path.join(dir, 'creatio-sso/creatio-sso-record.json'), 'utf8'));
    expect(record.SsoOpenIdProvider.ClientSecret).toBe(TEST_SECRET);
  });

  it('with --force replaces the files', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'old\n');
    const s = scripted([...FULL, ['Write these files?', 'write']]);
    const { ctx } = context();
    await run(opts({ force: true }), ctx, { prompts: s.prompts, lookup: async () => found() });
    expect(readFileSync(path.join(dir, 'creatio-sso.yaml'), 'utf8')).toContain('userPoolId: eu-west-1_AbCdEf123');
  });

  it('with --dry-run shows the files (secret masked) and writes nothing', async () => {
    const s = scripted([...FULL, ['Show these files?', 'write']]);
    const { ctx, stdout } = context();
    await run(opts({ dryRun: true }), ctx, { prompts: s.prompts, lookup: async () => found() });
    expect(files()).toEqual([]);
    expect(stdout()).toContain('--- creatio-sso.yaml (mode 0644, would be written)');
    expect(stdout()).toContain('"ClientSecret": "********"');
    expect(stdout()).not.toContain(TEST_SECRET);
  });

  it('Ctrl-C during the live lookup (SIGINT outside a prompt) cancels: exit 130, nothing written', async () => {
    const s = scripted(FULL);
    const { ctx, stop } = context();
    let started!: () => void;
    const lookupStarted = new Promise<void>((r) => (started = r));
    const running = run(opts(), ctx, {
      prompts: s.prompts,
      lookup: () => (started(), new Promise<PoolLookup>(() => {})),
    });
    await lookupStarted;
    // What cli.ts does on SIGINT: abort the context's signal (a bare abort counts as Ctrl-C).
    stop.abort();
    await expect(running).rejects.toThrow('Cancelled: nothing was written.');
    await expect(running).rejects.toMatchObject({ exitCode: 130 });
    expect(files()).toEqual([]);
  });

  it('a pool ID from a flag that Cognito does not know fails with exit 1 and writes nothing', async () => {
    const s = scripted(FULL);
    const { ctx } = context();
    const running = run(opts({ userPoolId: 'eu-west-1_Wrong1234' }), ctx, {
      prompts: s.prompts,
      lookup: async () => ({ status: 'not-found', message: 'User pool eu-west-1_Wrong1234 does not exist.' }),
    });
    await expect(running).rejects.toBeInstanceOf(ConfigError);
    expect(files()).toEqual([]);
  });
});
