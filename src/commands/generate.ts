import path from 'node:path';
import { maskedContent, planArtifacts, DEFAULT_OUT_DIR } from '../artifacts.js';
import { failsWith, hasErrors, type Finding } from '../core/findings.js';
import type { Context } from '../context.js';
import { ConfigError, InconclusiveError } from '../errors.js';
import { SECRET_MASK } from '../io/output.js';
import { looksLikeSecretNotName } from '../core/trust.js';
import { configFileFrom, loadConfigFile } from '../io/config-loader.js';
import { describeFile, writeFiles, type WrittenFile } from '../io/files.js';
import { overridesFrom } from '../inputs.js';
import { isInconclusive } from '../live/inconclusive.js';
import { formatFindingsText } from '../report.js';
import { resolveSecret, type SecretFlags } from '../secret.js';

export interface WriteOptions {
  outDir?: string;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
  strict?: boolean;
}

export interface GenerateOptions extends WriteOptions, SecretFlags {
  config?: string;
  offline?: boolean;
  [input: string]: unknown;
}

/** `creatio-sso generate`: render the artifacts of §6 from a config file, no prompts. */
export async function run(opts: GenerateOptions, ctx: Context): Promise<void> {
  const file = await configFileFrom(opts.config, ctx.cwd);

  const loaded = await loadConfigFile(file, ctx.cwd, overridesFrom(opts, ctx.env));
  const findings: Finding[] = [...loaded.findings];
  let secret: string | undefined;
  if (loaded.resolved) {
    const s = await resolveSecret(opts, loaded.resolved.clientSecret, ctx);
    // --dry-run masks the secret anyway: an unset variable is a warning there (§7), and the record shows the mask.
    // Not a name shaped like the secret itself, though: that stays an error everywhere (§10).
    const configured = loaded.resolved.clientSecret;
    const dry = opts.dryRun && s.value === undefined && !(configured.kind === 'env' && looksLikeSecretNotName(configured.name));
    findings.push(
      ...s.findings
        .map((f) => (dry && f.code === 'client-secret/unresolved' ? { ...f, severity: 'warning' as const } : f))
        .map(loaded.locate),
    );
    secret = s.value ?? (dry ? SECRET_MASK : undefined);
  }
  // Live checks join here (issue: live checks); --offline skips them.
  // They run only on a config without errors (the HTTP stack loads only then) and share one fetch per pool.
  let inconclusive = false;
  if (loaded.resolved && !opts.offline && !hasErrors(findings)) {
    const { runOnlineChecks } = await import('../live/online.js');
    const online = await runOnlineChecks([{ file, resolved: loaded.resolved }], ctx);
    findings.push(...(online.findings.get(file) ?? []).map(loaded.locate));
    inconclusive = online.inconclusive;
  }

  const strict = Boolean(opts.strict);
  // A check that could not be completed is not a failed one: alone, it exits 3 (below), not 1.
  if (
    !loaded.resolved ||
    secret === undefined ||
    failsWith(
      findings.filter((f) => !isInconclusive(f)),
      strict,
    )
  ) {
    report(findings, file, opts, ctx, []);
    throw new ConfigError('Nothing was written: fix the findings above.', Boolean(opts.json));
  }
  if (inconclusive) {
    report(findings, file, opts, ctx, []);
    throw new InconclusiveError(
      'Nothing was written: the live checks could not be completed (see above). Run again, raise --timeout, or pass --offline to skip them.',
      Boolean(opts.json),
    );
  }

  const outDir = path.resolve(ctx.cwd, opts.outDir ?? DEFAULT_OUT_DIR);
  const planned = planArtifacts(loaded.resolved, secret, {
    outDir: path.relative(ctx.cwd, outDir) || '.',
    configFile: file,
    cwd: ctx.cwd,
  }).map((f) => ({
    ...f,
    path: path.resolve(ctx.cwd, f.path),
  }));
  const shown = (p: string) => path.relative(ctx.cwd, p) || p;

  if (opts.dryRun) {
    const files = planned.map(describeFile).map((f) => ({ ...f, path: shown(f.path) }));
    if (opts.json) {
      report(findings, file, opts, ctx, files);
      return;
    }
    if (findings.length) ctx.output.err(formatFindingsText({ file, findings }, ctx.output.errColor, ctx.output.errColumns));
    for (const f of planned) {
      ctx.output.out(`--- ${shown(f.path)} (mode ${describeFile(f).mode}, would be written)\n${maskedContent(f, secret)}`);
    }
    ctx.output.err('Dry run: nothing was written.\n');
    return;
  }

  const written = await writeFiles(planned, ctx, { force: Boolean(opts.force) });
  const files = written.map((f) => ({ ...f, path: shown(f.path) }));
  report(findings, file, opts, ctx, files);
}

function report(findings: Finding[], file: string, opts: WriteOptions, ctx: Context, files: WrittenFile[]): void {
  if (opts.json) {
    ctx.output.out(`${JSON.stringify({ files, findings }, null, 2)}\n`);
    return;
  }
  if (findings.length) ctx.output.err(formatFindingsText({ file, findings }, ctx.output.errColor, ctx.output.errColumns));
  if (files.length) {
    const c = ctx.output.color;
    ctx.output.out(files.map((f) => `${c.green('wrote')} ${f.path}  ${c.dim(`(${f.mode}, ${f.bytes} bytes)`)}`).join('\n') + '\n');
    ctx.output.err(
      `Next: follow ${files.find((f) => f.path.endsWith('SETUP.md'))?.path ?? 'SETUP.md'}. ${files[0]!.path} holds the client secret: do not commit it.\n`,
    );
  }
}
