import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { checkUserPoolId, type ResolvedConfig } from '../core/config/checks.js';
import type { Finding } from '../core/findings.js';
import { CREATIO_CLAIMS, LOGIN_PATH, TEST_PASSWORD_ENV, type LoginFlow, type LoginSummary, type PinnedValue } from '../core/login.js';
import type { Context } from '../cli/context.js';
import type { DoctorOptions } from '../cli/program.js';
import { UsageError } from '../cli/errors.js';
import { clipValue, joinShown, oneLine, quote, shown, visible, type Shown } from '../core/text.js';
import type { Paint } from '../io/output.js';
import { startSpinner } from '../io/spinner.js';
import type { HttpClient } from '../net/types.js';
import { readSecretFromStdin } from '../settings/secret.js';
import type { FileSettings } from '../settings/resolve.js';
import { sourceLabel, type Sourced } from '../settings/inputs.js';
import type { DoctorCheck } from '../live/look.js';

/**
 * doctor's "Login" section (SPEC §14): `--login <username>` signs a test user in through the pool and app
 * client Creatio uses and verifies the ID token Creatio would get (src/login/proof.ts does the work). This
 * module decides what was asked (before any request: usage errors come first), runs the proof on the run's
 * HTTP client (so the JWKS doctor already fetched is not fetched again), and formats the section. The
 * password, the client secret and the tokens appear in none of its output.
 */

/** doctor's options as this section reads them; `--aws`/`--aws-profile` when the command declares them. */
export type LoginOptions = DoctorOptions;

/** What the run asked of the login proof, decided before any request. */
export type LoginRequest = { kind: 'not-asked' } | { kind: 'skipped'; why: string } | { kind: 'asked'; username: string; password: string };

/** The section's part of doctor's report: one check line, its findings, and the claims for `"login"` in JSON. */
export interface LoginSection {
  check: DoctorCheck;
  findings: Finding[];
  login?: LoginReport;
}

/** doctor's `"login"` JSON member (§9): who signed in, how, and the claims Creatio uses; never a token. */
export interface LoginReport extends LoginSummary {
  username: string;
  flow: LoginFlow;
}

/** `--client-secret-stdin`, `--password-stdin`, …: every option named `…Stdin` reads stdin. */
const stdinFlagsOf = (opts: Readonly<Record<string, unknown>>): string[] =>
  Object.keys(opts)
    .filter((k) => k.endsWith('Stdin') && opts[k] === true)
    .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);

/** How to give what a `--…-stdin` flag reads without stdin (the advice when several are given). */
const OTHER_WAY: Readonly<Record<string, string>> = {
  '--client-secret-stdin': 'the client secret with --client-secret-env NAME (or CREATIO_SSO_CLIENT_SECRET)',
  '--password-stdin': `the test password with ${TEST_PASSWORD_ENV}`,
  '--creatio-password-stdin': 'the Creatio password with CREATIO_SSO_CREATIO_PASSWORD',
  '--new-secret-stdin': 'the new secret: let Cognito make it (leave --new-secret-stdin out)',
};

/**
 * Step one of the section, before doctor reads anything else: the usage errors of §3 (two `--…-stdin`
 * flags in one run, `--password-stdin` without `--login`, no password) and the password itself, which is
 * registered with the output so that no stream can show it.
 */
export async function loginRequestOf(opts: LoginOptions, ctx: Context): Promise<LoginRequest> {
  refuseSeveralStdin(opts as Readonly<Record<string, unknown>>);
  // Skipped: the password is not even read.
  if (opts.skip?.has('login')) return { kind: 'skipped', why: '--skip login' };
  if (opts.login === undefined) return { kind: 'not-asked' };
  return askedLogin(opts.login, opts.passwordStdin === true, ctx, 'doctor');
}

/** §3's usage errors of the `--…-stdin` flags: two in one run, or `--password-stdin` without `--login`. */
export function refuseSeveralStdin(opts: Readonly<Record<string, unknown>>): void {
  const stdinFlags = stdinFlagsOf(opts);
  if (stdinFlags.length > 1) {
    const ways = stdinFlags.map((flag) => OTHER_WAY[flag]).filter(Boolean);
    throw new UsageError(
      `${stdinFlags.join(' and ')} ${stdinFlags.length === 2 ? 'both' : 'all'} read stdin, which carries one value. Keep one, and give the ${stdinFlags.length === 2 ? 'other' : 'others'} another way: ${ways.join('; ')}.`,
    );
  }
  if (opts.passwordStdin && opts.login === undefined) {
    throw new UsageError("--password-stdin reads the test user's password for --login <username>: give --login too.");
  }
}

/**
 * `--login <username>` and the test user's password (§14), for doctor and rotate: the name must not be
 * empty, the password comes from `CREATIO_SSO_TEST_PASSWORD` or `--password-stdin` (never argv), and it is
 * registered with the output so that no stream can show it.
 */
export async function askedLogin(
  login: string,
  passwordStdin: boolean,
  ctx: Context,
  command: string,
): Promise<LoginRequest & { kind: 'asked' }> {
  const username = login.trim();
  if (username === '') throw new UsageError('--login needs the test user’s name (or e-mail, as the pool signs users in).');
  let password: string | undefined;
  if (passwordStdin) {
    password = await readSecretFromStdin(ctx.stdin, { flag: '--password-stdin', what: 'the test password', variable: TEST_PASSWORD_ENV });
  } else {
    password = ctx.env[TEST_PASSWORD_ENV];
  }
  if (password === undefined || password === '') {
    throw new UsageError(
      `--login ${visible(username)} needs the test user's password: export ${TEST_PASSWORD_ENV}, or pipe it with --password-stdin (printf %s "$PASSWORD" | creatio-sso ${command} --login … --password-stdin). Never on the command line.`,
    );
  }
  ctx.output.addSecret(password, { anyLength: true });
  return { kind: 'asked', username, password };
}

/** §10: only what a flag or variable names pins the pool and the app client (an equal value in the file is no override, but still a pin). */
export function loginPins(given: ReadonlyMap<string, Sourced<string>>): { pinnedUserPoolId?: PinnedValue; pinnedClientId?: PinnedValue } {
  const pinOf = (key: 'userPoolId' | 'clientId', normalize: (v: string) => string): PinnedValue | undefined => {
    const g = given.get(key);
    return g && { value: normalize(g.value), from: sourceLabel(g.source) };
  };
  const pool = pinOf('userPoolId', (v) => checkUserPoolId(v).value ?? v.trim());
  const client = pinOf('clientId', (v) => v.trim());
  return { ...(pool ? { pinnedUserPoolId: pool } : {}), ...(client ? { pinnedClientId: client } : {}) };
}

/** The check line of a section that did not run. */
export const loginSkipped = (why: string): DoctorCheck => ({ name: 'login', status: 'skip', summary: `skipped: ${why}` });

/** A run without --login: say how to ask for the proof, as the other sections say how to enable theirs. */
const NOT_ASKED = 'not asked: --login <username> signs a test user in and verifies the ID token Creatio would get';

export interface LoginSectionInput {
  request: LoginRequest;
  settings: FileSettings;
  resolved: ResolvedConfig;
  /** doctor's HTTP client: InitiateAuth and the JWKS (an identical GET is made once per client). */
  http: HttpClient;
  /** Places a finding at its line in the config file. */
  locate: (f: Finding) => Finding;
}

/** Steps three and four of the section: the proof (§10's pinning rule first), then its check line and findings. */
export async function runLoginSection(input: LoginSectionInput, ctx: Context): Promise<LoginSection> {
  const { request, settings, resolved, http } = input;
  // A finding about the sign-in itself has no line in the file (the root would mislead); one about a key has.
  const placed = (findings: readonly Finding[]) => findings.map((f) => (f.path === LOGIN_PATH ? f : input.locate(f)));
  if (request.kind === 'not-asked') return { check: { name: 'login', status: 'skip', summary: NOT_ASKED }, findings: [] };
  if (request.kind === 'skipped') return { check: loginSkipped(request.why), findings: [] };

  const { cognitoClient } = await import('../aws/client.js');
  const { runLoginProof } = await import('./proof.js');
  const flow: LoginFlow = settings.aws.wanted ? 'AdminInitiateAuth' : 'InitiateAuth';
  const pins = loginPins(settings.pinned);
  if (ctx.verbose) {
    const to = flow === 'InitiateAuth' ? `POST https://cognito-idp.${resolved.region}.amazonaws.com/` : 'the AWS SDK';
    const what = settings.secret.value !== undefined ? 'the password and a SECRET_HASH' : 'the password';
    ctx.output.err(shown`${ctx.output.errColor.dim(shown`login: ${flow} for ${request.username}, ${to} (${what}, not shown)`)}\n`);
  }
  let sdk: CognitoIdentityProviderClient | undefined;
  const spinner = ctx.verbose ? undefined : await startSpinner(ctx, shown`Signing ${quote(request.username)} in (${flow})…`);
  try {
    const result = await runLoginProof(
      {
        flow,
        region: resolved.region,
        userPoolId: resolved.userPoolId,
        clientId: resolved.clientId,
        ...(settings.secret.value !== undefined ? { clientSecret: settings.secret.value } : {}),
        username: request.username,
        password: request.password,
        jitClaims: Object.fromEntries(resolved.jit.claims),
        ...pins,
      },
      {
        http,
        cognito: async () =>
          (sdk = await cognitoClient({
            env: ctx.env,
            region: resolved.region,
            timeoutMs: ctx.timeoutMs,
            signal: ctx.signal,
            ...(settings.aws.profile !== undefined ? { profile: settings.aws.profile } : {}),
            explicit: settings.aws.explicit,
          })),
      },
    );
    const who = visible(request.username);
    const codes = [...new Set(result.findings.map((f) => f.code))].join(', ');
    switch (result.status) {
      case 'pass': {
        const login: LoginReport = { username: request.username, flow, ...result.login! };
        const unmapped = login.mappings.filter((m) => !m.present).map((m) => visible(m.claim));
        return {
          check: unmapped.length
            ? {
                name: 'login',
                status: 'warn',
                summary: `${who} signed in, ID token verified; jit.claims not in it: ${unmapped.join(', ')}`,
              }
            : { name: 'login', status: 'pass', summary: `${who} signed in (${flow}), ID token verified` },
          findings: [],
          login,
        };
      }
      case 'refused':
        return { check: { name: 'login', status: 'fail', summary: `password not sent (${codes})` }, findings: placed(result.findings) };
      case 'inconclusive':
        return {
          check: { name: 'login', status: 'inconclusive', summary: `${who} not signed in (${codes})` },
          findings: placed(result.findings),
        };
      default:
        return { check: { name: 'login', status: 'fail', summary: `${who} not signed in (${codes})` }, findings: placed(result.findings) };
    }
  } finally {
    spinner?.stop();
    sdk?.destroy();
  }
}

/** A claim's value as shown: one line, clipped (claims come from the network). */
const claimShown = (v: string | number | boolean): Shown => oneLine(clipValue(String(v), 100));

/** The "Login" section of doctor's text output: who signed in, the claims Creatio uses, the jit.claims mappings. */
export function formatLoginSection(login: LoginReport, c: Paint): Shown {
  const lines = [shown`${c.bold('Login')}: ${login.username} signed in through ${login.flow}; the ID token is one Creatio accepts`];
  const width = Math.max(...CREATIO_CLAIMS.map((n) => n.length));
  for (const name of CREATIO_CLAIMS) {
    const v = login.claims[name];
    lines.push(shown`  ${name.padEnd(width)}  ${v === undefined ? c.dim('(missing)') : claimShown(v)}`);
  }
  if (login.missing.length) lines.push(shown`  Missing: ${login.missing.join(', ')}: Creatio leaves the fields they would fill empty.`);
  if (login.mappings.length) {
    lines.push(shown`  jit.claims:`);
    for (const m of login.mappings) {
      const mapping = shown`${m.claim} → ${m.target}`;
      lines.push(
        m.present ? shown`    ${c.green('✔')} ${mapping}` : shown`    ${c.red('✖')} ${mapping}: not in the token, so the field stays empty`,
      );
    }
  }
  return shown`${joinShown(lines, '\n')}\n`;
}
