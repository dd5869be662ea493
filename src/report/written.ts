import { promises as fs } from 'node:fs';
import { joinShown, machine, shown, stringifyVisible, type Shown } from '../core/text.js';
import path from 'node:path';
import { maskedContent } from '../io/artifacts.js';
import { finding, type Finding } from '../core/findings.js';
import type { Context } from '../cli/context.js';
import { ExitCode, ExitError } from '../cli/errors.js';
import { describeFile, type PlannedFile, type WrittenFile } from '../io/files.js';
import { clipped, formatFindingsList, formatFindingsText } from './findings.js';

/**
 * The one printer of "what was written" for `init` and `generate` (§3): prose, `--json`
 * ({"files":[{"path","mode","bytes"}],"findings":[…]}) and `--dry-run`; and the one check for files
 * in the way. Paths are shown relative to the working folder.
 */

export interface WriteReport {
  json: boolean;
  /** The heading of the text findings: the config file, or `creatio-sso init`. */
  label: string;
  findings: readonly Finding[];
  /** Text findings are printed (the wizard has shown its own as they came). */
  showFindings?: boolean;
}

export const shownPath = (cwd: string, p: string): string => path.relative(cwd, p) || p;

/** The targets that exist, shown relative to the working folder. */
export async function existingFiles(targets: readonly string[], cwd: string): Promise<string[]> {
  const existing: string[] = [];
  for (const t of targets) {
    try {
      await fs.lstat(path.resolve(cwd, t));
      existing.push(shownPath(cwd, path.resolve(cwd, t)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return existing;
}

/** `a already exists` / `a, b and c already exist`. */
export const existsText = (existing: readonly string[]): string =>
  existing.length === 1 ? `${existing[0]} already exists` : `${existing.slice(0, -1).join(', ')} and ${existing.at(-1)} already exist`;

/** The refusal for files in the way: every one named, and how to go on. */
export const refusal = (existing: readonly string[], elsewhere: string): ExitError =>
  new ExitError(
    ExitCode.failed,
    `${existsText(existing)}. Nothing was written. Use --force to overwrite, or ${elsewhere} to write elsewhere.`,
  );

/**
 * Refuse when any target exists, naming all of them at once, before anything is written (§6). With
 * `--json` (`report`), stdout still carries the one document: no files, the findings so far and the
 * refusal as `output/exists`.
 */
export async function refuseExisting(
  targets: readonly string[],
  cwd: string,
  elsewhere: string,
  report?: { ctx: Context; json: boolean; findings: readonly Finding[] },
): Promise<void> {
  const existing = await existingFiles(targets, cwd);
  if (!existing.length) return;
  const e = refusal(existing, elsewhere);
  if (report?.json) {
    printJson(report.ctx, [], [...report.findings, finding('output/exists', '', e.message)]);
    throw new ExitError(e.exitCode, e.message, true);
  }
  throw e;
}

function printFindings(ctx: Context, r: WriteReport): void {
  if ((r.showFindings ?? true) && r.findings.length) {
    // Findings placed in a file (generate) come under its name; init's answers have no place: a plain list.
    const { errColor, errColumns } = ctx.output;
    ctx.output.err(
      r.findings.some((f) => f.line !== undefined)
        ? formatFindingsText({ file: r.label, findings: [...r.findings] }, errColor, errColumns, ctx.output.redact)
        : formatFindingsList(r.findings, errColor, errColumns, ctx.output.redact),
    );
  }
}

const printJson = (ctx: Context, files: readonly WrittenFile[], findings: readonly Finding[]) =>
  ctx.output.out(machine(`${stringifyVisible({ files, findings: findings.map((f) => clipped(f, ctx.output.redact)) }, 2)}\n`));

/** Nothing is written (the findings say why): JSON with no files, or the findings as text. */
export function printNothingWritten(ctx: Context, r: WriteReport): void {
  if (r.json) printJson(ctx, [], r.findings);
  else printFindings(ctx, r);
}

/** --dry-run: each file with its mode and the secret masked, or their descriptions in JSON. */
export function printDryRun(ctx: Context, planned: readonly PlannedFile[], secret: string, r: WriteReport): void {
  if (r.json) {
    printJson(
      ctx,
      planned.map((f) => ({ ...describeFile(f), path: shownPath(ctx.cwd, f.path) })),
      r.findings,
    );
    return;
  }
  printFindings(ctx, r);
  for (const f of planned) {
    // The file's content as it would be written: rendered by artifacts.ts, whose formats escape every value.
    ctx.output.out(
      shown`--- ${shownPath(ctx.cwd, f.path)} (mode ${describeFile(f).mode}, would be written)\n${machine(maskedContent(f, secret))}`,
    );
  }
  ctx.output.err(shown`Dry run: nothing was written.\n`);
}

/** The files written, relative to the working folder; `next` adds the command's own next steps in prose. */
export function printWritten(ctx: Context, written: readonly WrittenFile[], r: WriteReport, next?: (files: WrittenFile[]) => Shown): void {
  const files = written.map((f) => ({ ...f, path: shownPath(ctx.cwd, f.path) }));
  if (r.json) return printJson(ctx, files, r.findings);
  printFindings(ctx, r);
  if (!files.length) return;
  const c = ctx.output.color;
  ctx.output.out(
    shown`${joinShown(
      files.map((f) => shown`${c.green('wrote')} ${f.path}  ${c.dim(`(${f.mode}, ${f.bytes} bytes)`)}`),
      '\n',
    )}\n`,
  );
  if (next) ctx.output.err(next(files));
}
