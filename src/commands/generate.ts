import path from 'node:path';
import { loadConfig } from '../io/config-loader.js';
import { shown } from '../core/text.js';
import { APP_CLIENT_FILE, planArtifacts, RECORD_FILE, SETUP_FILE } from '../io/artifacts.js';
import type { Finding } from '../core/findings.js';
import type { GenerateOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { ExitCode } from '../cli/errors.js';
import { endingError, verdict } from '../report/verdict.js';
import { writeFiles } from '../io/files.js';
import { SECRET_MASK } from '../core/text.js';

import { overrideFinding, overrideNotice, resolveFileSettings } from '../settings/resolve.js';
import { printDryRun, printNothingWritten, printWritten, refuseExisting, type WriteReport } from '../report/written.js';

/**
 * `creatio-sso generate`: render the artifacts of §6 from a config file, no prompts. One pass down:
 * resolve the settings, check them, look live (unless --offline), then one verdict and one report.
 */
export async function run(opts: GenerateOptions, ctx: Context): Promise<void> {
  // 1. Resolve: the file, flags, variables and the secret, once.
  const settings = await resolveFileSettings(opts, ctx);
  const json = Boolean(opts.json);
  if (!json) for (const o of settings.overridden) ctx.output.err(shown`${overrideNotice(o)}\n`);

  // 2. Check (pure).
  const loaded = await loadConfig(settings.read, settings.overrides);
  const findings: Finding[] = [...(json ? settings.overridden.map(overrideFinding) : []), ...loaded.findings];
  // --dry-run masks the secret anyway: an unset variable is a warning there (§7), and the record shows the mask.
  // Not a name shaped like the secret itself, nor another system's credential: the checks refused those
  // already (§10), so the config is not resolved and nothing is rendered.
  const dry = Boolean(opts.dryRun) && settings.secret.value === undefined;
  if (loaded.resolved) {
    findings.push(
      ...settings.secret.findings
        .map((f) => (dry && f.code === 'client-secret/unresolved' ? { ...f, severity: 'warning' as const } : f))
        .map(loaded.locate),
    );
  }
  const secret = settings.secret.value ?? (dry ? SECRET_MASK : undefined);
  const strict = Boolean(opts.strict);

  // 3. Look: only a config without errors is checked live (the HTTP stack loads only then).
  if (loaded.resolved && secret !== undefined && !opts.offline && verdict(findings, { strict }) === ExitCode.ok) {
    const { runOnlineChecks } = await import('../live/online.js');
    const online = await runOnlineChecks([{ file: settings.file, resolved: loaded.resolved }], ctx, { stage: 'setup' });
    findings.push(...(online.findings.get(settings.file) ?? []).map(loaded.locate));
  }

  // 4. One verdict, one report.
  const report: WriteReport = { json, label: settings.file, findings };
  const code = loaded.resolved && secret === undefined ? ExitCode.failed : verdict(findings, { strict });
  if (!loaded.resolved || secret === undefined || code !== ExitCode.ok) {
    printNothingWritten(ctx, report);
    throw endingError(code, 'generate', { quiet: json });
  }

  const outDir = path.resolve(ctx.cwd, opts.outDir);
  const planned = planArtifacts(loaded.resolved, secret, {
    outDir: path.relative(ctx.cwd, outDir) || '.',
    configFile: settings.file,
    cwd: ctx.cwd,
  }).map((f) => ({ ...f, path: path.resolve(ctx.cwd, f.path) }));
  if (opts.dryRun) return printDryRun(ctx, planned, secret, report);

  if (!opts.force)
    await refuseExisting(
      [RECORD_FILE, APP_CLIENT_FILE, SETUP_FILE].map((f) => path.join(outDir, f)),
      ctx.cwd,
      '--out-dir',
      { ctx, json, findings },
    );
  const written = await writeFiles(planned, ctx, { force: Boolean(opts.force) });
  printWritten(
    ctx,
    written,
    report,
    (files) =>
      shown`Next: follow ${files.find((f) => f.path.endsWith('SETUP.md'))?.path ?? 'SETUP.md'}. ${files[0]!.path} holds the client secret: do not commit it.\n`,
  );
}
