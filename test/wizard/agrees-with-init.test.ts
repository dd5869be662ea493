import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { ConfigError } from '../../src/cli/errors.js';
import { createOutput } from '../../src/io/output.js';
import { lookupPool } from '../../src/live/lookup.js';
import { askAnswers, type WizardDeps } from '../../src/wizard/flow.js';
import type { Prompts } from '../../src/wizard/prompts.js';
import { runCli, tempDir, TEST_SECRET } from '../support/cli.js';
import { discoveryDocumentOf, fakeCognitoPool, type FakeCognitoOptions } from '../support/fake-cognito.js';

/**
 * The wizard and `init --non-interactive` reach the same verdict on the same inputs (§5, §7, §8, §13):
 * for every finding init can produce, the wizard refuses the answer (re-asks, or stops) exactly when the
 * non-interactive run reports the code as an error, and keeps it as an accepted warning exactly when the
 * run reports it as a warning. Not in the table: client-secret/unresolved (the wizard asks for the secret
 * instead of reading an unset variable), the unreachable codes (exit 3 / "continue offline?"), and codes a
 * file only can carry (config/*, client-secret/plaintext, jit/claim-target-invalid).
 */
const POOL = 'eu-west-1_AbCdEf123';

type Field = 'creatioUrl' | 'userPoolId' | 'domain' | 'clientId' | 'clientSecret';
const FIELDS: Record<Field, { question: string; flag: string; good: string }> = {
  creatioUrl: { question: 'Creatio URL', flag: '--creatio-url', good: 'https://acme.creatio.com' },
  userPoolId: { question: 'user pool ID', flag: '--user-pool-id', good: POOL },
  domain: { question: 'Hosted UI domain', flag: '--domain', good: 'acme-login' },
  clientId: { question: 'App client ID', flag: '--client-id', good: '1h57kf5cpq17m0eml12eqe3alr' },
  clientSecret: { question: 'App client secret', flag: '', good: TEST_SECRET },
};

interface Row {
  code: string;
  severity: 'error' | 'warning';
  /** A field answered with this value (then, in the wizard, the good value once it is refused). */
  bad?: [Field, string];
  /** The fake Cognito's answers; absent: --offline. */
  cognito?: FakeCognitoOptions;
}

const doc = (change: Record<string, unknown>) => ({
  documents: { [POOL]: { discovery: { ...discoveryDocumentOf({ userPoolId: POOL, prefix: 'acme-login' }), ...change } } },
});
const pool: FakeCognitoOptions = { pools: [{ userPoolId: POOL, prefix: 'acme-login' }] };
const KEY = { kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'k', e: 'AQAB', n: 'AQAB' };

const ROWS: Row[] = [
  { code: 'creatio-url/invalid', severity: 'error', bad: ['creatioUrl', 'not a url'] },
  { code: 'creatio-url/insecure', severity: 'error', bad: ['creatioUrl', 'http://acme.creatio.com'] },
  { code: 'creatio-url/normalized', severity: 'warning', bad: ['creatioUrl', 'https://acme.creatio.com/0/Shell/'] },
  { code: 'user-pool-id/invalid', severity: 'error', bad: ['userPoolId', 'eu-west-1_Ab Cd'] },
  { code: 'user-pool-id/unusual', severity: 'warning', bad: ['userPoolId', 'eu-west-1_AbCdEf12'] },
  { code: 'region/unknown', severity: 'warning', bad: ['userPoolId', 'xx-moon-1_AbCdEf123'] },
  { code: 'domain/invalid', severity: 'error', bad: ['domain', 'bad domain!'] },
  { code: 'domain/reserved-word', severity: 'error', bad: ['domain', 'acme-cognito'] },
  { code: 'domain/is-user-pool-id', severity: 'error', bad: ['domain', POOL] },
  { code: 'client-id/invalid', severity: 'error', bad: ['clientId', 'bad id!'] },
  { code: 'client-id/unusual', severity: 'warning', bad: ['clientId', '1h57kf5cpq17m0eml12eqe3al'.toUpperCase()] },
  { code: 'client-secret/invalid', severity: 'error', bad: ['clientSecret', 'short'] },
  { code: 'discovery/pool-not-found', severity: 'error', bad: ['userPoolId', 'eu-west-1_ZzZzZz999'], cognito: pool },
  { code: 'discovery/no-hosted-ui-domain', severity: 'warning', cognito: { pools: [{ userPoolId: POOL, shape: 'no-domain' }] } },
  { code: 'discovery/domain-mismatch', severity: 'error', bad: ['domain', 'other-login'], cognito: pool },
  {
    code: 'discovery/no-end-session',
    severity: 'warning',
    cognito: { pools: [{ userPoolId: POOL, shape: 'pre-2024', prefix: 'acme-login' }] },
  },
  { code: 'discovery/scope-missing', severity: 'error', cognito: { ...pool, ...doc({ scopes_supported: ['openid'] }) } },
  { code: 'discovery/code-flow-unsupported', severity: 'error', cognito: { ...pool, ...doc({ response_types_supported: ['token'] }) } },
  {
    code: 'discovery/not-https',
    severity: 'error',
    cognito: { ...pool, ...doc({ token_endpoint: 'http://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/token' }) },
  },
  { code: 'jwks/invalid', severity: 'error', cognito: { ...pool, documents: { [POOL]: { jwks: 'not keys' } } } },
  { code: 'jwks/no-signing-key', severity: 'error', cognito: { ...pool, documents: { [POOL]: { jwks: { keys: [] } } } } },
  { code: 'jwks/private-key', severity: 'error', cognito: { ...pool, documents: { [POOL]: { jwks: { keys: [{ ...KEY, d: 'AQAB' }] } } } } },
];

const cognitos = fakeCognitoPool();
afterAll(() => cognitos.close());
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  cognitos.release();
  cleanup();
});

type Verdict = 'error' | 'warning' | 'none';

async function nonInteractive(row: Row, idp: string | undefined): Promise<Verdict> {
  const value = (f: Field) => (row.bad?.[0] === f ? row.bad[1] : FIELDS[f].good);
  const flags = (['creatioUrl', 'userPoolId', 'domain', 'clientId'] as const).flatMap((f) => [FIELDS[f].flag, value(f)]);
  const r = await runCli(['init', '--non-interactive', '--dry-run', '--json', ...(idp ? [] : ['--offline']), ...flags], {
    cwd: dir,
    env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_CLIENT_SECRET: value('clientSecret'), ...(idp ? { CREATIO_SSO_COGNITO_IDP_URL: idp } : {}) },
  });
  expect([0, 1], r.stderr).toContain(r.code);
  const found = (JSON.parse(r.stdout) as { findings: { code: string; severity: Verdict }[] }).findings.find((f) => f.code === row.code);
  return found?.severity ?? 'none';
}

function context(idp: string): Context {
  const err = new PassThrough();
  return {
    output: createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: err, env: {} }),
    stdout: new PassThrough(),
    stderr: err,
    signal: new AbortController().signal,
    env: { CREATIO_SSO_TEST: '1', CREATIO_SSO_COGNITO_IDP_URL: idp },
    cwd: dir,
    stdin: new PassThrough(),
    interactive: false,
    timeoutMs: 5000,
    verbose: false,
  } as Context;
}

/** The wizard typed at by a person: the bad value first, the good one when it is refused; warnings are kept. */
async function wizard(row: Row, idp: string | undefined): Promise<Verdict> {
  const asked = new Map<string, number>();
  const answerFor = (message: string): string | boolean | undefined => {
    if (/Keep this answer/.test(message)) return true;
    if (/Where does this Creatio run|login button/.test(message)) return undefined;
    if (/Create employees|external users|mobile app/.test(message)) return false;
    const field = (Object.keys(FIELDS) as Field[]).find((f) => message.includes(FIELDS[f].question));
    if (!field) throw new Error(`unexpected question: ${message}`);
    const n = (asked.get(field) ?? 0) + 1;
    asked.set(field, n);
    if (n > 3) throw new Error(`asked ${n} times: ${message}`);
    return row.bad?.[0] === field && n === 1 ? row.bad[1] : FIELDS[field].good;
  };
  let refused = false;
  const text = (q: { message: string; validate?: (v: string) => true | string; default?: string }) => {
    for (;;) {
      const a = answerFor(q.message);
      const v = a === undefined || a === '' ? (q.default ?? '') : String(a);
      const ok = q.validate ? q.validate(v) : true;
      if (ok === true) return v;
      refused = true;
    }
  };
  const prompts: Prompts = {
    text: async (q) => text(q),
    secret: async (q) => text(q),
    choice: async (q) => (answerFor(q.message) ?? q.default ?? q.choices[0]!.value) as never,
    yesNo: async (q) => {
      const a = answerFor(q.message);
      return a === undefined ? q.default : a === true;
    },
  };
  const d: WizardDeps = {
    prompts,
    say: () => {},
    color: createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: new PassThrough(), env: {} }).errColor,
    lookup: idp ? (p, region) => lookupPool(p, region, context(idp)) : undefined,
    spinner: async () => ({ update: () => {}, stop: () => {} }),
    protect: () => {},
  };
  try {
    const r = await askAnswers({ given: new Map(), secret: { kind: 'none' }, switches: {} }, d);
    // A question asked again after a lookup (the pool not found) is a refusal too.
    if (refused || [...asked.values()].some((n) => n > 1)) return 'error';
    return r.findings.some((f) => f.code === row.code && f.severity === 'warning') ? 'warning' : 'none';
  } catch (e) {
    if (e instanceof ConfigError) return 'error';
    throw e;
  }
}

describe('the wizard and init --non-interactive agree on every finding init can produce', () => {
  it.each(ROWS.map((r) => [r.code, r] as const))('%s', async (_code, row) => {
    const idp = row.cognito ? (await cognitos.take(row.cognito)).url : undefined;
    const [batch, asked] = [await nonInteractive(row, idp), await wizard(row, idp)];
    expect({ nonInteractive: batch, wizard: asked }).toEqual({ nonInteractive: row.severity, wizard: row.severity });
  });
});
