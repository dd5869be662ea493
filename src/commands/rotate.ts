import path from 'node:path';
import { loadConfig } from '../io/config-loader.js';
import { promises as fs } from 'node:fs';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { RECORD_FILE } from '../io/artifacts.js';
import type { RotateOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { throwIfStopped } from '../cli/stop.js';
import type { ResolvedConfig } from '../core/config/checks.js';
import { finding, type Finding } from '../core/findings.js';
import {
  byAge,
  NEW_SECRET_SHAPE,
  parseDuration,
  planRotation,
  type KnownValue,
  type PlannedStep,
  type RotateMode,
  type StepName,
  type StepStatus,
  type ValueSource,
} from '../core/rotate.js';
import { unconfirmedDomainMessage } from '../core/trust.js';
import { secretRefusal } from '../creatio/half.js';
import { creatioSecretTrustOf } from '../creatio/input.js';
import { CancelledError, ExitCode, ExitError, UsageError } from '../cli/errors.js';
import { machine, quote, shown, stringifyVisible, type Shown } from '../core/text.js';
import { LOGIN_PATH, passwordPinning, type LoginFlow } from '../core/login.js';
import type { HttpClient } from '../net/types.js';
import { startSpinner } from '../io/spinner.js';
import { tokenTrustFor } from '../live/hosted-ui.js';
import { createHttpClient } from '../net/http.js';
import { formatFindingsList } from '../report/findings.js';
import { verdict } from '../report/verdict.js';
import { overrideFinding, overrideNotice, resolveFileSettings, trustPins, type FileSettings } from '../settings/resolve.js';
import { addSecret, AwsStop, deleteSecret, readSecrets, type ClientRef } from '../rotate/aws.js';
import { CreatioStop, giveToCreatio, openCreatio, type CreatioTarget } from '../rotate/creatio.js';
import { PROOF_TIMING, prover, type ProofTiming, type Prover } from '../rotate/prove.js';
import { readPlace, storeSecret, type SecretPlace, type StoredSecret } from '../rotate/store.js';
import { askedLogin, loginPins, refuseSeveralStdin } from '../login/section.js';
import { AWS_HOW } from '../settings/aws.js';

/**
 * `creatio-sso rotate` (§16): replace the app client's secret on both sides so that the secret Creatio
 * holds is accepted by Cognito at every moment. One pass down: resolve and check the settings; step 0's
 * preconditions (all before any change, exit 2); read the live state and the operator's secret files;
 * the pure planner (src/core/rotate.ts) decides; the steps run, one line each. No state file of its own:
 * a stopped run is resumed from Cognito's secrets and the secret files alone.
 */

/** What tests substitute: the proof's window and interval, the clock. */
export interface RotateDeps {
  proof?: ProofTiming;
  now?: () => Date;
}

export interface StepLine {
  step: StepName;
  status: StepStatus;
  detail: string;
}

const MARK: Record<StepStatus, string> = { done: '✔', planned: '•', skipped: '-', waiting: '…', failed: '✖', stopped: '■' };

export async function run(opts: RotateOptions, ctx: Context, deps: RotateDeps = {}): Promise<void> {
  const json = opts.format === 'json';
  const mode: RotateMode = opts.finish ? 'finish' : opts.abort ? 'abort' : 'rotate';
  const skipCreatio = opts.skip === 'creatio';
  refuseBadFlags(opts, mode, skipCreatio, json, ctx);
  // Before the config is read: --client-secret-stdin would take stdin first.
  refuseSeveralStdin(opts as Readonly<Record<string, unknown>>);
  const graceMs = opts.grace === undefined ? undefined : parseDuration(opts.grace);

  // 1. Resolve and check.
  const settings = await resolveFileSettings(opts, ctx);
  if (!json) for (const o of settings.overridden) ctx.output.err(shown`${overrideNotice(o)}\n`);
  const loaded = await loadConfig(settings.read, settings.overrides);
  const secretFindings = settings.secret.findings.map(loaded.locate);
  const findings: Finding[] = [...(json ? settings.overridden.map(overrideFinding) : []), ...loaded.findings, ...secretFindings];
  const steps: StepLine[] = [];
  const report = new Report(ctx, json, opts.secretOut === '-', steps, findings);
  const resolved = loaded.resolved;
  if (!resolved || findings.some((f) => f.severity === 'error')) {
    report.print();
    throw new ExitError(ExitCode.failed, 'The config has errors: nothing was changed.', json);
  }
  const configured = settings.secret.value;
  if (configured !== undefined) ctx.output.addSecret(configured);
  const given = opts.newSecretStdin ? await readNewSecret(ctx) : undefined;
  if (given !== undefined) ctx.output.addSecret(given);
  // --login: the test user's password (§14), read now: a usage error comes before any change.
  const login = opts.login !== undefined ? await askedLogin(opts.login, opts.passwordStdin === true, ctx, 'rotate') : undefined;

  // 2. Step 0: the preconditions, before any change (exit 2).
  const { cognitoClient } = await import('../aws/client.js');
  if (!settings.aws.wanted) throw new UsageError(`rotate changes the app client's secrets through the AWS API: ${AWS_HOW}.`);
  if (login) {
    // §10: the test password goes only to a pool the environment or a flag pins. rotate always has AWS
    // credentials, so the proof is AdminInitiateAuth (like doctor's with them), which names the pool itself.
    const pinned = passwordPinning({
      flow: LOGIN_FLOW,
      userPoolId: resolved.userPoolId,
      clientId: resolved.clientId,
      ...loginPins(settings.pinned),
    });
    if (!pinned.ok) {
      report.findings.push(loaded.locate(pinned.finding));
      report.print();
      throw new ExitError(ExitCode.usage, 'Nothing was changed.', json);
    }
  }
  const place = placeOf(opts, ctx);
  const stored = await readPlace(place);
  if (stored.value !== undefined) ctx.output.addSecret(stored.value);

  const http = createHttpClient({ env: ctx.env, timeoutMs: ctx.timeoutMs, signal: ctx.signal, hostedUiHosts: [resolved.domain.host] });
  let cognito: CognitoIdentityProviderClient | undefined;
  try {
    let creatio: CreatioTarget | undefined;
    if (!skipCreatio) {
      // §10: Creatio relays the secret to the token endpoint its provider names: a pool (and custom domain) named outside the file.
      const refused = secretRefusal(creatioSecretTrustOf(settings, resolved));
      if (refused) throw new UsageError(refused.message);
      try {
        creatio = await openCreatio(settings, resolved, opts, ctx, http);
      } catch (e) {
        if (e instanceof CreatioStop) return stopBefore(report, e.finding);
        throw e;
      }
    }
    const trust = await tokenTrustFor(resolved, { http, ...trustPins(settings) });
    if (!trust.confirmed) {
      throw new UsageError(
        `${unconfirmedDomainMessage(resolved.domain.host, trust.why)} rotate proves every secret at the token endpoint, so it does not start. Nothing was changed.`,
      );
    }
    cognito = await cognitoClient({
      env: ctx.env,
      region: resolved.region,
      ...(settings.aws.profile !== undefined ? { profile: settings.aws.profile } : {}),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      explicit: settings.aws.explicit,
    });
    const prove = prover(resolved, http, trust, ctx.signal);
    const ref: ClientRef = { userPoolId: resolved.userPoolId, clientId: resolved.clientId };

    // 3. Read: Cognito's secrets, and what the token endpoint says of every value known here.
    let read;
    try {
      read = await readSecrets(cognito, ref);
    } catch (e) {
      if (e instanceof AwsStop) return stopBefore(report, e.finding);
      throw e;
    }
    const values = knownValues({ given, stored: stored.value, configured });
    const newerCreated = byAge(read.secrets).at(-1)?.created;
    const known: KnownValue[] = [];
    for (const v of values) {
      const answer = await prove.once(v.value);
      if (answer.status === 'inconclusive' || answer.status === 'warn' || answer.status === 'skip') {
        return stopBefore(
          report,
          answer.findings[0] ?? finding('hosted-ui/unreachable', 'cognito.domain', answer.summary),
          ExitCode.inconclusive,
        );
      }
      const isOriginal = read.isOriginal(v.value);
      known.push({
        sources: v.sources,
        accepted: answer.status === 'pass',
        ...(isOriginal !== undefined ? { isOriginal } : {}),
        ...(v.sources.includes('file') && stored.writtenAt !== undefined && newerCreated !== undefined
          ? { writtenAfterNewer: stored.writtenAt >= Date.parse(newerCreated) }
          : {}),
      });
    }
    const now = (deps.now ?? (() => new Date()))();
    const decision = planRotation(
      { secrets: read.secrets, originalShown: read.originalShown, known, now: now.toISOString() },
      { mode, ...(graceMs !== undefined ? { graceMs } : {}) },
    );
    const ids = byAge(read.secrets)
      .map((s) => s.id)
      .join(', ');
    steps.push({
      step: 'read',
      status: 'done',
      detail: `${read.secrets.length} secret${read.secrets.length === 1 ? '' : 's'}${ids ? ` (${ids})` : ''}`,
    });

    if (decision.kind === 'refuse') {
      const code = decision.code === 'rotate/public-client' ? ExitCode.usage : ExitCode.failed;
      return stopBefore(report, finding(decision.code, 'cognito.clientId', `${capital(decision.detail)}. Nothing was changed.`), code);
    }
    if (decision.kind === 'done') {
      steps.push({ step: 'retire', status: 'skipped', detail: decision.detail });
      report.print();
      return;
    }
    if (decision.kind === 'waiting') {
      steps.push({ step: 'retire', status: 'waiting', detail: decision.detail });
      report.print();
      return;
    }
    if (opts.dryRun) {
      for (const s of decision.steps)
        steps.push({ step: s.step, status: 'planned', detail: plannedDetail(s, place, skipCreatio, login?.username) });
      report.print();
      if (!json) ctx.output.err(shown`Dry run: nothing was changed.\n`);
      return;
    }

    // 4. The steps.
    const exec = new Execution({
      ctx,
      opts,
      mode,
      resolved,
      settings,
      place,
      stored,
      cognito,
      ref,
      prove,
      timing: deps.proof ?? PROOF_TIMING,
      creatio,
      values: values.map((v) => v.value),
      given,
      report,
      http,
      ...(login ? { login } : {}),
    });
    await exec.run(decision.steps);
  } finally {
    cognito?.destroy();
    await http.close();
  }
}

/** rotate always holds AWS credentials, so its login proof is AdminInitiateAuth (§14: "With AWS credentials"). */
const LOGIN_FLOW: LoginFlow = 'AdminInitiateAuth';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Flags that cannot go together, all before anything is read (§3: exit 2). */
function refuseBadFlags(opts: RotateOptions, mode: RotateMode, skipCreatio: boolean, json: boolean, ctx: Context): void {
  const problems: string[] = [];
  if (opts.grace !== undefined && mode !== 'finish') problems.push('--grace goes with --finish only');
  if (opts.grace !== undefined && parseDuration(opts.grace) === undefined)
    problems.push('--grace takes a duration such as 90s, 30m, 12h or 7d');
  if (skipCreatio && mode !== 'rotate' && !opts.yes && !opts.dryRun)
    problems.push(
      `--skip creatio with --${mode} needs --yes: the tool cannot put the surviving secret into Creatio, so Creatio may still hold the one --${mode} deletes`,
    );
  if (opts.secretOut === '-') {
    if (json) problems.push('--secret-out - prints the secret on stdout, which --format json needs for its document: give a file');
    if (ctx.stdout.isTTY)
      problems.push('--secret-out - prints the secret on stdout, which is a terminal here: pipe it (| gh secret set …) or give a file');
  }
  if (opts.login !== undefined && skipCreatio)
    problems.push('--login signs the test user in with the secret rotate gives to Creatio (step 5), which --skip creatio leaves out');
  if (opts.secretOut !== undefined && opts.secretOut.trim() === '') problems.push('--secret-out needs a file, or - for stdout');
  if (problems.length) throw new UsageError(`${problems.join('; ')}. Nothing was changed.`);
}

/** `--new-secret-stdin`: the whole input without its final line break; 24–64 characters of [\w+]; never echoed. */
async function readNewSecret(ctx: Context): Promise<string> {
  if (ctx.stdin.isTTY)
    throw new UsageError('--new-secret-stdin reads the secret from a pipe: printf %s "$NEW_SECRET" | creatio-sso rotate …');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > 4096) throw new UsageError('--new-secret-stdin: the input is longer than 4096 bytes. Pipe only the secret.');
    chunks.push(b);
  }
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!NEW_SECRET_SHAPE.test(value)) {
    throw new UsageError(
      '--new-secret-stdin: the input is not a client secret (24–64 characters of A-Z, a-z, 0-9, _ and +). Nothing was changed.',
    );
  }
  return value;
}

function placeOf(opts: RotateOptions, ctx: Context): SecretPlace {
  const shown = (p: string) => path.relative(ctx.cwd, p) || p;
  if (opts.secretOut === '-') return { kind: 'stdout' };
  if (opts.secretOut !== undefined) {
    const p = path.resolve(ctx.cwd, opts.secretOut);
    return { kind: 'file', path: p, shown: shown(p), format: 'raw', flag: '--secret-out' };
  }
  // The record file of --out-dir, as generate writes it.
  const p = path.resolve(ctx.cwd, opts.outDir, RECORD_FILE);
  return { kind: 'file', path: p, shown: shown(p), format: 'record', flag: '--out-dir' };
}

/** The distinct values known here, each with every place it came from. */
function knownValues(v: { given?: string | undefined; stored?: string | undefined; configured?: string | undefined }) {
  const out: { value: string; sources: ValueSource[] }[] = [];
  const add = (value: string | undefined, source: ValueSource) => {
    if (value === undefined || value === '') return;
    const same = out.find((o) => o.value === value);
    if (same) same.sources.push(source);
    else out.push({ value, sources: [source] });
  };
  add(v.given, 'stdin');
  add(v.stored, 'file');
  add(v.configured, 'configured');
  return out;
}

function plannedDetail(s: PlannedStep, place: SecretPlace, skipCreatio: boolean, loginUser: string | undefined): string {
  switch (s.step) {
    case 'add':
      return 'AddUserPoolClientSecret: a second secret';
    case 'store':
      return place.kind === 'stdout' ? 'the new secret to stdout' : `the new secret into ${place.shown} (0600)`;
    case 'prove':
      return 'the token endpoint must accept it (up to 30 s)';
    case 'creatio':
      return skipCreatio
        ? 'skipped (--skip creatio)'
        : `UpdateQuery: the provider's ClientSecret${loginUser !== undefined ? `; then ${loginUser} signs in with it (${LOGIN_FLOW})` : ''}`;
    case 'retire':
      return `DeleteUserPoolClientSecret ${s.id}`;
  }
}

/** A stop before any change: the finding, and that nothing was changed. */
function stopBefore(report: Report, f: Finding, code?: ExitCode): never {
  report.findings.push(f);
  report.print();
  throw new ExitError(code ?? verdict([f], { strict: false }), 'Nothing was changed.', report.json);
}
type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The one report of the run: a line per step (text), or `{"steps","findings"}` (JSON). Never a secret. */
class Report {
  constructor(
    private readonly ctx: Context,
    readonly json: boolean,
    /** stdout carries the secret (`--secret-out -`): the step lines go to stderr. */
    private readonly stdoutTaken: boolean,
    readonly steps: StepLine[],
    readonly findings: Finding[],
  ) {}

  private printed = 0;

  /** Text: the step lines not printed yet, as they happen. */
  line(s: StepLine): void {
    this.steps.push(s);
    if (!this.json) this.flush();
  }

  private flush(): void {
    const write = (t: Shown) => (this.stdoutTaken ? this.ctx.output.err(t) : this.ctx.output.out(t));
    for (const s of this.steps.slice(this.printed)) write(shown`${MARK[s.status]} ${s.step}: ${s.detail}\n`);
    this.printed = this.steps.length;
  }

  print(): void {
    if (this.json) {
      this.ctx.output.out(machine(`${stringifyVisible({ steps: this.steps, findings: this.findings }, 2)}\n`));
      return;
    }
    this.flush();
    if (this.findings.length)
      this.ctx.output.err(formatFindingsList(this.findings, this.ctx.output.errColor, this.ctx.output.errColumns, this.ctx.output.redact));
  }
}

interface ExecutionInput {
  ctx: Context;
  opts: RotateOptions;
  mode: RotateMode;
  resolved: ResolvedConfig;
  settings: FileSettings;
  place: SecretPlace;
  stored: StoredSecret;
  cognito: CognitoIdentityProviderClient;
  ref: ClientRef;
  prove: Prover;
  timing: ProofTiming;
  creatio: CreatioTarget | undefined;
  /** The known values, by the planner's index. */
  values: string[];
  given: string | undefined;
  report: Report;
  /** The run's HTTP client: the login proof fetches the pool's JWKS with it. */
  http: HttpClient;
  /** `--login`: the test user signs in with the secret given to Creatio (§16 step 5, §14). */
  login?: { username: string; password: string };
}

/** The steps, carried out in order; every stop says which step it reached and the command that continues. */
class Execution {
  private added?: { id: string; value: string; created: string };
  /** Each change a live side confirmed, in words (never a value). */
  private readonly sent: string[] = [];
  private current: StepName = 'read';

  constructor(private readonly x: ExecutionInput) {}

  private valueOf(v: 'new' | number): string {
    if (v === 'new') return this.added!.value;
    return this.x.values[v]!;
  }

  async run(steps: PlannedStep[]): Promise<void> {
    const { ctx, report } = this.x;
    try {
      for (const s of steps) {
        this.current = s.step;
        await this.step(s);
      }
    } catch (e) {
      if (e instanceof CancelledError) throw this.stopped(e);
      throw e;
    }
    report.print();
    if (!report.json) ctx.output.err(this.closing());
  }

  private async step(s: PlannedStep): Promise<void> {
    const { ctx, report, place, resolved } = this.x;
    switch (s.step) {
      case 'add': {
        throwIfStopped(ctx.signal);
        this.added = await this.aws(() => addSecret(this.x.cognito, this.x.ref, this.x.given));
        ctx.output.addSecret(this.added.value);
        this.sent.push(`AddUserPoolClientSecret (${this.added.id})`);
        report.line({ step: 'add', status: 'done', detail: `a second secret ${this.added.id}` });
        return;
      }
      case 'store': {
        // Right after add, whatever the signal says: the value exists nowhere else (§16 step 3).
        await storeSecret(place, this.valueOf(s.value), resolved, ctx);
        report.line({
          step: 'store',
          status: 'done',
          detail: place.kind === 'stdout' ? 'the new secret went to stdout' : `the new secret is in ${place.shown} (0600)`,
        });
        throwIfStopped(ctx.signal);
        return;
      }
      case 'prove': {
        const spinner = await startSpinner(ctx, 'Asking the token endpoint to accept the secret…');
        let r;
        try {
          r = await this.x.prove.untilAccepted(this.valueOf(s.value), this.x.timing);
        } finally {
          spinner.stop();
        }
        if (r.status === 'pass') {
          report.line({ step: 'prove', status: 'done', detail: 'the token endpoint accepts it' });
          return;
        }
        if (r.status === 'fail' && s.value === 'new' && this.added) return this.refused();
        report.line({ step: 'prove', status: 'failed', detail: r.summary });
        report.findings.push(...r.findings);
        return this.fail(r.status === 'inconclusive' ? ExitCode.inconclusive : ExitCode.failed);
      }
      case 'creatio': {
        if (!this.x.creatio) {
          report.line({
            step: 'creatio',
            status: 'skipped',
            detail: '--skip creatio: give Creatio the new secret by hand (its ClientSecret)',
          });
          return;
        }
        let problems: Finding[];
        try {
          const code = this.x.creatio.providerCode;
          problems = await giveToCreatio(this.x.creatio, this.valueOf(s.value), resolved, () =>
            this.sent.push(`Creatio's ClientSecret (${code})`),
          );
        } catch (e) {
          if (e instanceof CreatioStop) return this.creatioFailed(e.finding, !this.sent.some((x) => x.startsWith("Creatio's")));
          throw e;
        }
        if (problems.some((f) => f.severity === 'error')) return this.creatioFailed(problems[0]!, false, problems);
        const signedIn = this.x.login ? await this.loginProof(this.valueOf(s.value)) : '';
        report.line({
          step: 'creatio',
          status: 'done',
          detail: `provider ${this.x.creatio.providerCode} holds it; Creatio's authorize URL matches${signedIn} (only a sign-in through Creatio proves Creatio's copy)`,
        });
        return;
      }
      case 'retire': {
        const survivor = this.valueOf(s.keeps);
        await this.aws(() => deleteSecret(this.x.cognito, this.x.ref, s.id));
        this.sent.push(`DeleteUserPoolClientSecret (${s.id})`);
        const after = await this.x.prove.untilAccepted(survivor, this.x.timing);
        report.line({
          step: 'retire',
          status: 'done',
          detail: `deleted ${s.id}; ${after.status === 'pass' ? 'the remaining secret is accepted' : `the remaining secret: ${after.summary}`}`,
        });
        return;
      }
    }
  }

  /**
   * §16 step 5 with `--login`: the login proof (§14) with the secret Creatio was just given. It proves that
   * Cognito signs the test user in with that value and issues an ID token Creatio accepts; a failure is
   * `rotate/creatio-not-updated` (both secrets stay valid). The detail to add to the step's line.
   */
  private async loginProof(secret: string): Promise<string> {
    const { ctx, resolved, settings, http } = this.x;
    const { username, password } = this.x.login!;
    const { runLoginProof } = await import('../login/proof.js');
    const spinner = await startSpinner(ctx, shown`Signing ${quote(username)} in with the new secret (${LOGIN_FLOW})…`);
    let result;
    try {
      result = await runLoginProof(
        {
          flow: LOGIN_FLOW,
          region: resolved.region,
          userPoolId: resolved.userPoolId,
          clientId: resolved.clientId,
          clientSecret: secret,
          username,
          password,
          jitClaims: Object.fromEntries(resolved.jit.claims),
          ...loginPins(settings.pinned),
        },
        { http, cognito: () => Promise.resolve(this.x.cognito) },
      );
    } finally {
      spinner.stop();
    }
    if (result.status === 'pass') return `; ${username} signed in with it (${LOGIN_FLOW}), ID token verified`;
    // A stop that cut the sign-in off is a stop (the run says where it got to), not an unreachable Cognito.
    throwIfStopped(ctx.signal);
    const [first, ...more] = result.findings;
    const f = first ?? finding('login/token-invalid', LOGIN_PATH, 'The login proof failed without a finding.');
    return this.creatioFailed(
      f,
      false,
      more,
      result.status === 'inconclusive' ? ExitCode.inconclusive : ExitCode.failed,
      'the login proof',
    );
  }

  private async aws<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof AwsStop)) throw e;
      // A stop that cut the request off is a stop, not an unreachable AWS: the request may have been done.
      throwIfStopped(this.x.ctx.signal);
      this.x.report.line({ step: this.current, status: 'failed', detail: e.finding.code });
      this.x.report.findings.push(e.finding);
      return this.fail(verdict([e.finding], { strict: false }));
    }
  }

  /** §16 step 4: still refused after the window: the added secret deleted again, the file as it was, nothing else changed. */
  private async refused(): Promise<never> {
    const { report, place, stored, timing } = this.x;
    const added = this.added!;
    let undone: string;
    try {
      await deleteSecret(this.x.cognito, this.x.ref, added.id);
      this.sent.push(`DeleteUserPoolClientSecret (${added.id})`);
      undone = `The secret just added (${added.id}) was deleted again`;
    } catch (e) {
      if (!(e instanceof AwsStop)) throw e;
      undone = `Deleting the secret just added (${added.id}) failed too (${e.finding.code}): run creatio-sso rotate --abort`;
    }
    if (place.kind === 'file') await restoreFile(place, stored, this.x.ctx);
    report.line({ step: 'prove', status: 'failed', detail: 'the token endpoint refused the new secret' });
    report.findings.push(
      finding(
        'rotate/new-secret-refused',
        'cognito.clientSecret',
        `The token endpoint still refused the new secret after ${Math.round(timing.windowMs / 1000)} s. ${undone}; Creatio and the other secret were not touched${place.kind === 'file' ? `, and ${place.shown} holds what it held before` : ''}. Check the app client in the Cognito console, then run creatio-sso rotate again.`,
      ),
    );
    return this.fail(ExitCode.failed);
  }

  private creatioFailed(
    f: Finding,
    beforeWrite: boolean,
    more: Finding[] = [],
    code: ExitCode = ExitCode.failed,
    check = 'the check after it',
  ): never {
    const { report, mode } = this.x;
    report.line({ step: 'creatio', status: 'failed', detail: f.code });
    const keep =
      mode === 'rotate'
        ? 'Both secrets stay valid, so sign-in keeps working whichever one Creatio holds.'
        : 'No secret was deleted: both stay valid, so sign-in keeps working whichever one Creatio holds.';
    report.findings.push(
      finding(
        'rotate/creatio-not-updated',
        'provider.code',
        `Creatio's ClientSecret ${beforeWrite ? 'could not be written' : `was written, but ${check} failed`} (${f.code}). ${keep} Fix what the finding below says, then run ${this.continueCommand()}.`,
      ),
      f,
      ...more.filter((m) => m !== f),
    );
    return this.fail(code);
  }

  private fail(code: ExitCode): never {
    const { report } = this.x;
    report.print();
    const said = this.sent.length
      ? `Changes sent: ${this.sent.join(', ')}; they stay (not undone). Continue with ${this.continueCommand()}.`
      : 'Nothing was changed.';
    throw new ExitError(code, said, report.json);
  }

  /** A signal: where the run got to, what was sent, and the command that continues (§10 "A stop says what is true"). */
  private stopped(e: CancelledError): CancelledError {
    const who = e.signal === 'SIGINT' ? 'Cancelled' : `Stopped by ${e.signal}`;
    if (!this.sent.length) return new CancelledError(`${who} before any change: nothing was changed.`, e.signal);
    const stored = this.added
      ? this.x.place.kind === 'file'
        ? ` The new secret is stored in ${this.x.place.shown}.`
        : ' The new secret went to stdout.'
      : '';
    const maybe =
      this.current === 'creatio' && !this.sent.some((x) => x.startsWith("Creatio's"))
        ? " Possibly sent: Creatio's ClientSecret (whichever value Creatio holds, both secrets accept it)."
        : this.current === 'retire' && !this.sent.some((x) => x.startsWith('Delete'))
          ? ' Possibly sent: DeleteUserPoolClientSecret.'
          : '';
    const valid =
      this.current === 'retire'
        ? ' Creatio holds the secret that stays, which Cognito accepts whether or not the delete went through.'
        : ' Both secrets that remain are accepted until one is deleted.';
    return new CancelledError(
      `${who} at the step ${this.current}: sent ${this.sent.join(', ')}; these stay (not undone).${maybe}${stored}${valid} Continue with ${this.continueCommand()}.`,
      e.signal,
    );
  }

  /** The command that continues from here: the same mode, the same place for the secret. */
  private continueCommand(): string {
    const { opts, settings, mode, place } = this.x;
    const parts = ['creatio-sso rotate'];
    if (mode !== 'rotate') parts.push(`--${mode}`);
    parts.push(`--config ${opts.config ?? settings.file}`);
    if (opts.secretOut !== undefined && place.kind === 'file') parts.push(`--secret-out ${opts.secretOut}`);
    else if (opts.outDir !== 'creatio-sso' && place.kind === 'file') parts.push(`--out-dir ${opts.outDir}`);
    if (opts.skip === 'creatio') parts.push('--skip creatio');
    if (mode !== 'rotate' && opts.skip === 'creatio') parts.push('--yes');
    const pipe = place.kind === 'stdout' && (this.added || this.x.given) ? 'printf %s "$NEW_SECRET" | ' : '';
    if (pipe) parts.push('--new-secret-stdin');
    return `${pipe}${parts.join(' ')}`;
  }

  private closing(): Shown {
    const { mode, opts, settings, resolved } = this.x;
    if (mode === 'rotate') {
      const where = resolved.clientSecret.kind === 'env' ? `the variable ${resolved.clientSecret.name}` : 'cognito.clientSecret';
      return shown`Both secrets are valid now. Give the new secret to every other consumer (CI jobs, other environments, ${where}), then run: creatio-sso rotate --finish --config ${opts.config ?? settings.file}\n`;
    }
    return mode === 'finish'
      ? shown`Rotation finished: one secret, the newer one.\n`
      : shown`Rotation aborted: one secret, the older one.\n`;
  }
}

/** After a refused new secret: the file holds what it held before (or is gone again when it was new). */
async function restoreFile(place: SecretPlace & { kind: 'file' }, stored: StoredSecret, ctx: Context) {
  if (stored.text === undefined) {
    await fs.rm(place.path, { force: true });
    return;
  }
  const { writeFiles } = await import('../io/files.js');
  await writeFiles(
    [{ path: place.path, content: stored.text, mode: 0o600 }],
    { ...(ctx.fs ? { fs: ctx.fs } : {}), cwd: ctx.cwd },
    { force: true },
  );
}
