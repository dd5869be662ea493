import { promises as fs } from 'node:fs';
import { joinShown, shown, type Shown } from '../core/text.js';
import path from 'node:path';
import { APP_CLIENT_FILE, planArtifacts, RECORD_FILE, SETUP_FILE } from '../io/artifacts.js';
import type { ResolvedConfig } from '../core/config/checks.js';
import { regionOfUserPoolId } from '../core/cognito/identifiers.js';
import { finding, hasErrors, type Finding } from '../core/findings.js';
import { validateConfigText } from '../core/config/validate.js';
import type { InitOptions } from '../cli/program.js';
import { type Context } from '../cli/context.js';
import { untilStopped } from '../cli/stop.js';
import { CancelledError, ConfigError, InconclusiveError, UsageError } from '../cli/errors.js';
import {
  DEFAULT_CONFIG_FILE,
  DEFAULT_OUT_DIR,
  DEFAULT_SECRET_ENV_NAME,
  givenInputs,
  sourceLabel,
  SECRET_ENV,
  secretSourceFrom,
  type SecretSource,
} from '../settings/inputs.js';
import { writeFiles, type PlannedFile } from '../io/files.js';
import { startSpinner } from '../io/spinner.js';
import { wrapProse } from '../io/output.js';
import { lookupPool, type PoolLookup } from '../live/lookup.js';
import { NetworkError } from '../net/types.js';
import { resolveSecret } from '../settings/secret.js';
import { answersOfConfig, configText, equivalentCommand, type InitAnswers } from '../wizard/answers.js';
import { askAnswers, askWhatNext, lookupTrouble, type Earlier } from '../wizard/flow.js';
import type { KnownInputs, KnownSecret } from '../wizard/known.js';
import type { LookupFn } from '../wizard/live.js';
import { answersFromInputs, lookupFindings, missingInputs } from '../wizard/non-interactive.js';
import { terminalPrompts, type Prompts } from '../wizard/prompts.js';
import type { GitignoreOutcome } from '../io/gitignore.js';
import { formatCancelled, formatNextSteps, formatSummary, type DomainCheck } from '../wizard/summary.js';
import {
  existingFiles,
  existsText,
  printDryRun,
  printNothingWritten,
  printWritten,
  refusal,
  refuseExisting,
  shownPath,
  type WriteReport,
} from '../report/written.js';

/** What tests substitute: the prompts (answered by question), the live lookup. Signals arrive as ctx.signal. */
export interface InitDeps {
  prompts?: Prompts;
  lookup?: LookupFn;
}

const LABEL = 'creatio-sso init';

/**
 * `creatio-sso init`: the wizard of §5 at a terminal, the same from flags and environment variables
 * without one. Either way: the config file (secret as ${env:NAME}) and the artifacts of §6, all
 * checked before the first is written, none written over without --force.
 */
export async function run(opts: InitOptions, ctx: Context, deps: InitDeps = {}): Promise<void> {
  const configFile = opts.config;
  const outDir = opts.outDir;
  const json = Boolean(opts.json);
  const relative = (p: string) => shownPath(ctx.cwd, p);
  const elsewhere = '--config / --out-dir';
  const targets = [configFile, ...[RECORD_FILE, APP_CLIENT_FILE, SETUP_FILE].map((f) => path.join(outDir, f))].map((p) =>
    path.resolve(ctx.cwd, p),
  );
  const lookup: LookupFn | undefined = opts.offline
    ? undefined
    : (deps.lookup ?? ((pool, region) => lookupPool(pool, region, ctx).catch(unreachableOnNetworkError)));
  const given = givenInputs(opts, ctx.env);
  const source = secretSourceFrom(opts, ctx.env);
  const switches = { jitEmployees: opts.jitEmployees, jitExternalUsers: opts.jitExternalUsers, mobileUseSso: opts.mobileSso };
  const c = ctx.output.errColor;

  // Assigned by the wizard (askAgain) or from flags and variables.
  let answers!: InitAnswers;
  let findings: Finding[] = [];
  let domainCheck: DomainCheck = 'offline';
  // Prompts render on stdout, a terminal whenever ctx.interactive holds.
  let prompts: Prompts | undefined;
  // The wizard again, for "Change an answer" at the summary.
  let askAgain: ((earlier: Earlier) => Promise<void>) | undefined;
  let force = Boolean(opts.force);

  if (ctx.interactive) {
    const known: KnownInputs = { given, switches, secret: await knownSecret(opts, source, ctx) };
    // With --json stdout carries the one JSON document, so the questions go to the terminal via stderr.
    const screen = opts.json && ctx.stderr.isTTY ? ctx.stderr : ctx.stdout;
    const ask =
      deps.prompts ??
      terminalPrompts({
        input: ctx.stdin,
        output: screen,
        color: opts.json ? ctx.output.errChalk : ctx.output.chalk,
        redact: ctx.output.redact,
        signal: ctx.signal,
      });
    prompts = ask;
    // Before any question: a person should not answer ten prompts to learn the files are in the way.
    const existing = await existingFiles(targets, ctx.cwd);
    if (existing.length && !force && !opts.dryRun) {
      const update = await untilStopped(
        ctx.signal,
        ask.yesNo({ message: `Update these files? ${existsText(existing)}: the questions start from its answers.`, default: true }),
      );
      if (!update) throw refusal(existing, elsewhere);
      force = true;
    }
    // Over an existing config, the questions start from its answers.
    const earlier = existing.includes(relative(targets[0]!)) ? await earlierAnswers(targets[0]!, ctx) : undefined;
    const wizard = {
      prompts: ask,
      // The one wrapping function (§13): continuation lines under the text after ✔ ⚠ ℹ.
      say: (text: Shown) => ctx.output.err(shown`${wrapProse(text, ctx.output.errColumns, 2)}\n`),
      color: c,
      lookup,
      spinner: (text: Shown) => startSpinner(ctx, text),
      protect: (secret: string) => ctx.output.addSecret(secret),
    };
    let lastLookup: PoolLookup | undefined;
    askAgain = async (e) => {
      const result = await untilStopped(ctx.signal, askAnswers(known, wizard, e));
      answers = result.answers;
      findings = [...(e.only ? findings : []), ...result.findings];
      lastLookup = result.lookup;
      domainCheck = !lookup
        ? 'offline'
        : result.lookup?.status === 'found'
          ? 'live'
          : result.lookup?.status === 'no-domain'
            ? 'no-domain'
            : 'unreachable';
    };
    await askAgain({ answers: earlier ?? {} });
    const again = askAgain;
    askAgain = (e) => again({ ...e, lookup: lastLookup });
  } else {
    const missing = missingInputs(given, source.kind !== 'none');
    if (missing.length) throw new UsageError(missingMessage(missing, opts, ctx));
    const known: KnownInputs = { given, switches, secret: await knownSecret(opts, source, ctx) };
    const collected = answersFromInputs(known);
    findings = collected.findings;
    if (!collected.answers) fail(findings, opts, ctx);
    answers = collected.answers;
    if (!opts.force && !opts.dryRun) await refuseExisting(targets, ctx.cwd, elsewhere, { ctx, json, findings });
    domainCheck = 'offline';
    if (lookup) {
      const spinner = await startSpinner(ctx, shown`Looking up the user pool ${answers.userPoolId} in Cognito…`);
      const region = answers.region ?? regionOfUserPoolId(answers.userPoolId)!;
      const r = await untilStopped(ctx.signal, lookup(answers.userPoolId, region)).finally(() => spinner.stop());
      if (r.status === 'unreachable') {
        const message = `${lookupTrouble(r, region)} Check the network (HTTPS_PROXY, --timeout), or run again with --offline to skip the live lookup. Nothing was written.`;
        if (json)
          printNothingWritten(ctx, {
            json,
            label: LABEL,
            findings: [...findings, finding('discovery/unreachable', 'cognito.userPoolId', message)],
          });
        throw new InconclusiveError(message);
      }
      findings.push(...lookupFindings(r, answers, sourceLabel(given.get('domain')!.source)));
      if (hasErrors(findings)) fail(findings, opts, ctx);
      domainCheck = r.status === 'found' ? 'live' : 'no-domain';
    }
  }

  // The file is checked exactly as `validate` will check it later: what init writes, validate accepts.
  const build = (a: InitAnswers) => {
    const text = configText(a, configFile);
    const checked = validateConfigText(text);
    if (!checked.resolved)
      throw new Error(`init built a config that fails its own checks: ${checked.findings.map((f) => f.message).join(' ')}`);
    const planned = planFiles(a, checked.resolved, text, configFile, outDir, ctx.cwd).map((f) => ({
      ...f,
      path: path.resolve(ctx.cwd, f.path),
    }));
    return { checked: checked as typeof checked & { resolved: ResolvedConfig }, planned };
  };
  let { checked, planned } = build(answers);
  const command = () =>
    equivalentCommand(answers, {
      config: configFile,
      outDir,
      offline: !lookup,
      defaults: { config: DEFAULT_CONFIG_FILE, outDir: DEFAULT_OUT_DIR },
    });

  while (ctx.interactive) {
    const roles = [
      'the config: commit it',
      'for Creatio; holds the client secret (0600): do not commit',
      'for aws cognito-idp update-user-pool-client',
      'the steps in both consoles',
    ];
    ctx.output.err(
      formatSummary(
        answers,
        checked.resolved,
        planned.map((f, i) => ({ path: relative(f.path), role: roles[i]! })),
        domainCheck,
        c,
        ctx.output.errColumns,
      ),
    );
    const next = await untilStopped(ctx.signal, askWhatNext(prompts!, Boolean(opts.dryRun)));
    if (next === 'write') break;
    if (next === 'cancel') {
      // Nothing typed is lost: the same set-up is one command away.
      ctx.output.err(formatCancelled(command(), c));
      throw new CancelledError();
    }
    await askAgain!({ answers, only: next });
    ({ checked, planned } = build(answers));
  }

  const report: WriteReport = { json, label: LABEL, findings, showFindings: !ctx.interactive };
  if (opts.dryRun) return printDryRun(ctx, planned, answers.clientSecret, report);

  // All or nothing: a failure or a signal before the last file is in place leaves things as they were.
  const written = await writeFiles(planned, ctx, { force });
  printWritten(ctx, written, report, (files) =>
    formatNextSteps(
      {
        configFile: files[0]!.path,
        recordFile: files[1]!.path,
        setupFile: files[3]!.path,
        clientSecretEnv: answers.clientSecretEnv,
        command: ctx.interactive ? command() : undefined,
      },
      c,
      ctx.output.errColumns,
    ),
  );
  // The record file holds the secret: keep its folder out of git, or say how (§10: secrets stay out of version control).
  const { keepOutOfGit } = await import('../io/gitignore.js');
  const note = gitignoreNote(await keepOutOfGit(outDir, ctx.cwd), ctx.cwd);
  if (note) ctx.output.err(shown`${note}\n`);
}

/** What init says about .gitignore: the line it added, or the line to add by hand. */
export function gitignoreNote(o: GitignoreOutcome, cwd: string): string | undefined {
  switch (o.kind) {
    case 'added':
      return `Added ${o.line} to ${shownPath(cwd, o.file)}: that folder holds the client secret and stays out of git.`;
    case 'not-a-repo':
      return `To keep the client secret out of version control, add this line to your .gitignore (this folder is not a git work tree): ${o.line}`;
    case 'failed':
      return `Could not update ${shownPath(cwd, o.file)} (${o.why}): add this line to it to keep the client secret out of git: ${o.line}`;
    case 'present':
    case 'outside':
      return undefined;
  }
}

/** The config file first, then the artifacts of §6. */
function planFiles(
  answers: InitAnswers,
  resolved: ResolvedConfig,
  text: string,
  configFile: string,
  outDir: string,
  cwd: string,
): PlannedFile[] {
  return [{ path: configFile, content: text, mode: 0o644 }, ...planArtifacts(resolved, answers.clientSecret, { outDir, configFile, cwd })];
}

/**
 * The secret from --client-secret-stdin, --client-secret-env NAME or CREATIO_SSO_CLIENT_SECRET, read
 * as every command reads it (a NAME that is not a variable name is a usage error), and registered
 * for redaction. Nothing given: the wizard asks, the non-interactive run reports it missing.
 */
async function knownSecret(opts: InitOptions, source: SecretSource, ctx: Context): Promise<KnownSecret> {
  if (source.kind === 'none') return { kind: 'none' };
  const resolved = await resolveSecret(source, undefined, ctx);
  if (source.kind === 'stdin') {
    return {
      kind: 'value',
      value: protect(ctx, resolved.value ?? ''),
      envName: DEFAULT_SECRET_ENV_NAME,
      named: false,
      from: '--client-secret-stdin',
    };
  }
  const named = source.from !== SECRET_ENV;
  const from = named ? `the environment variable ${source.name} named by --client-secret-env` : `the environment variable ${SECRET_ENV}`;
  if (resolved.value === undefined) return { kind: 'unset-env', envName: source.name, named: true, from };
  return { kind: 'value', value: protect(ctx, resolved.value), envName: source.name, named, from };
}

/** Pasted secrets may carry spaces or a line break; Cognito secrets never do. */
function protect(ctx: Context, value: string): string {
  const trimmed = value.trim();
  ctx.output.addSecret(trimmed);
  return trimmed;
}

/** The answers an existing config file holds, to start the questions from; nothing when it does not pass its checks. */
async function earlierAnswers(file: string, ctx: Context): Promise<Partial<InitAnswers> | undefined> {
  const checked = validateConfigText(await fs.readFile(file, 'utf8').catch(() => ''));
  if (!checked.resolved) return undefined;
  return answersOfConfig(checked.resolved, checked.config?.cognito.region, ctx.env);
}

/** Several lines, composed (`shown`): cli.ts prints a composed message with its own line breaks. */
function missingMessage(missing: readonly string[], opts: InitOptions, ctx: Context): Shown {
  const why = opts.nonInteractive ? '--non-interactive' : ctx.env.CI ? 'CI is set' : 'stdin or stdout is not a terminal';
  return joinShown(
    [
      shown`init cannot ask questions here (${why}), and these inputs are missing:`,
      ...missing.map((m) => shown`  ${m}`),
      shown`Example:`,
      shown`  ${DEFAULT_SECRET_ENV_NAME}=… npx creatio-sso init --non-interactive --creatio-url https://acme.creatio.com --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --client-id 1h57kf5cpq17m0eml12eqe3alr --client-secret-env ${DEFAULT_SECRET_ENV_NAME}`,
    ],
    '\n',
  );
}

const unreachableOnNetworkError = (e: unknown): PoolLookup => {
  if (e instanceof NetworkError) return { status: 'unreachable', message: e.message };
  throw e;
};

function fail(findings: Finding[], opts: InitOptions, ctx: Context): never {
  printNothingWritten(ctx, { json: Boolean(opts.json), label: LABEL, findings });
  throw new ConfigError('Nothing was written: fix the values above.', Boolean(opts.json));
}
