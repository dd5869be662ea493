import { PENDING_CLIENT_ID, type ResolvedConfig } from '../core/config/checks.js';
import { shown } from '../core/text.js';
import { positionMap } from '../core/config/positions.js';
import { finding, type Finding } from '../core/findings.js';
import { parseSecretRef } from '../core/config/secret-ref.js';
import type { ValidateOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { ExitCode, UsageError, type ExitCodeValue } from '../cli/errors.js';
import { loadConfig, type LoadedConfig } from '../io/config-loader.js';
import { findDefaultConfig, readConfigText } from '../io/config-read.js';
import { expandConfigs } from '../io/config-globs.js';
import { DEFAULT_CONFIG_FILES } from '../settings/inputs.js';
import { createReporter, formatSummary, type FileReport } from '../report/findings.js';
import { JobSummary, SUMMARY_MAX_BYTES } from '../core/report/job-summary.js';
import { exitFor, resultOf, verdict, worseVerdict } from '../report/verdict.js';
import { appendJobSummary, jobSummaryWanted } from '../report/job-summary.js';

/**
 * `creatio-sso validate [files…]`: the CI gate. Every finding of every file, in the order named, in
 * the format asked for; exit 1 on errors (and warnings with --strict), 3 when a live check could not
 * be completed and nothing failed for sure.
 */
export async function run(opts: ValidateOptions, ctx: Context): Promise<void> {
  const files = await filesToValidate(opts.files, ctx.cwd);
  // Picked, not named: say which one, on stderr (stdout carries the report, which a machine may read).
  if (!opts.files.length) ctx.output.err(shown`Checking ${files[0]} (found here).\n`);
  const format = opts.format;
  const strict = Boolean(opts.strict);
  const online = Boolean(opts.online);
  const reporter = createReporter(format, {
    color: ctx.output.color,
    strict,
    write: (t) => ctx.output.out(t),
    columns: ctx.output.outColumns,
  });

  // Each file's verdict, folded as files come (§3 precedence): a run over many files keeps no findings.
  const run: { code: ExitCodeValue } = { code: ExitCode.ok };
  const summary = jobSummaryWanted(ctx) ? validateSummary(ctx.output.redact, strict) : undefined;
  const report = (r: FileReport) => {
    run.code = worseVerdict(run.code, verdict(r.findings, { strict }));
    reporter.add(r);
    summary?.add(r);
  };

  // The live checks share one fetch per pool across files, so they wait until every file is read;
  // without them, each file is reported as soon as the ones before it are.
  const held: CheckedFile[] = [];
  await checkFiles(files, { cwd: ctx.cwd, online, verbose: ctx.verbose }, (checked) => {
    if (checked.literalSecret) ctx.output.addSecret(checked.literalSecret);
    if (checked.bug) ctx.output.err(shown`${ctx.output.errColor.dim(checked.bug)}\n`);
    if (online) held.push(checked);
    else report({ file: checked.file, findings: checked.findings });
  });
  if (online) await addLiveFindings(held, ctx);
  for (const checked of held) report({ file: checked.file, findings: checked.findings });

  const result = reporter.end();
  // Annotations and JSON are read by machines; a person reading the CI log still wants the verdict.
  if (format !== 'text') ctx.output.err(shown`${formatSummary(result, result.ok, ctx.output.errColor, strict)}\n`);
  const { code } = run;
  if (summary) await appendJobSummary(ctx, () => summary.text(code));
  exitFor(code, 'validate');
}

/**
 * §17's job summary of a validate run: each file's result, then every finding (code, severity, line,
 * message), added as files come; the two parts share the 1 MiB.
 */
function validateSummary(redact: (text: string) => string, strict: boolean) {
  const files = new JobSummary(redact, SUMMARY_MAX_BYTES / 4);
  const findings = new JobSummary(redact, SUMMARY_MAX_BYTES - SUMMARY_MAX_BYTES / 4 - 1024);
  const count = (r: FileReport, s: string) => r.findings.filter((f) => f.severity === s).length;
  return {
    add(r: FileReport): void {
      const result = resultOf(verdict(r.findings, { strict }));
      files.table(['File', 'Result', 'Errors', 'Warnings'], [[r.file, result, count(r, 'error'), count(r, 'warning')]]);
      findings.findings(r.file, r.findings);
    },
    text(code: ExitCodeValue): string {
      const verdictText = resultOf(code);
      const list = findings.text();
      return `## creatio-sso validate: ${verdictText}\n${files.text()}${list ? `\n### Findings\n${list}` : ''}\n`;
    },
  };
}

/** The files named (globs expanded, §17), each once, in order; else the default config file here (§3). */
async function filesToValidate(named: readonly string[], cwd: string): Promise<string[]> {
  if (named.length) return expandConfigs(named, cwd);
  const found = await findDefaultConfig(cwd);
  if (!found) {
    throw new UsageError(
      `No config file to validate: name the files (creatio-sso validate config/*.yaml), or run in a folder with ${DEFAULT_CONFIG_FILES.join(', ')}.`,
    );
  }
  return [found];
}

/** The live checks of §8 for every file that passed offline; their findings join the file's. */
async function addLiveFindings(held: CheckedFile[], ctx: Context): Promise<void> {
  const passed = held.filter((c) => c.live);
  if (!passed.length) return;
  const { runOnlineChecks } = await import('../live/online.js');
  const result = await runOnlineChecks(
    passed.map((c) => ({ file: c.file, resolved: c.live!.resolved })),
    ctx,
  );
  for (const c of passed) {
    c.findings.push(...(result.findings.get(c.file) ?? []).map(c.live!.place));
  }
}

/** One file, checked offline: all the run needs of it once its text and syntax tree are gone. */
interface CheckedFile {
  file: string;
  findings: Finding[];
  /** A secret written into the file, masked in everything printed. */
  literalSecret?: string;
  /** The checker itself failed on this file (a bug): details for --verbose. */
  bug?: string;
  /** For the live checks, when the offline checks found no error. */
  live?: { resolved: ResolvedConfig; place: (f: Finding) => Finding };
}

interface CheckOptions {
  cwd: string;
  online: boolean;
  verbose: boolean;
}

/**
 * Check every file and hand each to `deliver`, in the order named, as soon as it is checked: only
 * findings outlive a file, so memory stays flat however many files are named.
 *
 * One file at a time, with synchronous reads, on purpose. Parsing YAML is CPU work on this thread;
 * measured over 1,000 files, reading ahead with asynchronous reads (8 in flight) was slower by a
 * quarter (a promise round-trip per system call costs more than a small read), and worker threads
 * were no faster on two cores (each thread pays the parser's warm-up again).
 */
async function checkFiles(files: readonly string[], opts: CheckOptions, deliver: (c: CheckedFile) => void): Promise<void> {
  for (let i = 0; i < files.length; i++) {
    deliver(await checkFile(files[i]!, opts));
    // Let signals and a spinner in now and then.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
  }
}

const YIELD_EVERY = 50;

/** Read and check one file; a file that breaks the checker itself becomes a finding, so it cannot hide the others. */
async function checkFile(file: string, opts: CheckOptions): Promise<CheckedFile> {
  let loaded: LoadedConfig;
  try {
    const read = readConfigText(file, opts.cwd);
    loaded = await withoutClientId(await loadConfig(read), () => loadConfig(read, [PENDING_CLIENT_ID_OVERRIDE]));
  } catch (e) {
    const message = `The file could not be checked: ${e instanceof Error ? e.message : String(e)}. This is a bug in creatio-sso; please report it with the output of --verbose.`;
    const bug = opts.verbose && e instanceof Error ? e.stack : undefined;
    return { file, findings: [{ ...finding('config/parse', '', message), line: 1, column: 1 }], ...(bug ? { bug } : {}) };
  }
  const checked: CheckedFile = { file, findings: loaded.findings };
  const secret = loaded.config ? parseSecretRef(loaded.config.cognito.clientSecret) : undefined;
  if (secret?.kind === 'literal') checked.literalSecret = secret.value;
  if (opts.online && loaded.resolved && !loaded.findings.some((f) => f.severity === 'error')) {
    checked.live = { resolved: loaded.resolved, place: positionMap(loaded) };
  }
  return checked;
}

const PENDING_CLIENT_ID_OVERRIDE = { path: ['cognito', 'clientId'], value: PENDING_CLIENT_ID, from: 'apply --create-client' };

export const clientIdMissing = (): Finding =>
  finding(
    'client-id/missing',
    'cognito.clientId',
    'No cognito.clientId: apply --create-client creates the app client and writes its ID here (or set it to the ID of an existing client). generate and doctor need it.',
  );

/**
 * §15: a config without cognito.clientId is one `apply --create-client` completes (it creates the client
 * and writes the ID into the file): validate warns with `client-id/missing` and checks the rest as usual.
 * `generate` and `doctor` keep needing the ID (the schema's error there).
 */
async function withoutClientId(loaded: LoadedConfig, standIn: () => Promise<LoadedConfig>): Promise<LoadedConfig> {
  const missing = loaded.findings.find(
    (f) => f.code === 'config/schema' && f.path === 'cognito.clientId' && f.message.startsWith('Missing required key'),
  );
  if (!missing) return loaded;
  const checked = await standIn();
  const warning = {
    ...clientIdMissing(),
    ...(missing.line !== undefined ? { line: missing.line } : {}),
    ...(missing.column !== undefined ? { column: missing.column } : {}),
  };
  // Nothing said about the stand-in's own value (it is not the user's).
  const findings = checked.findings.filter((f) => !f.message.includes(PENDING_CLIENT_ID));
  return { ...checked, findings: [warning, ...findings] };
}
