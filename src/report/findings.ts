import type { Finding, Severity } from '../core/findings.js';
import { wrapProse, type Paint } from '../io/output.js';
import { clip, composed, joinShown, machine, messageVisible, shown, stringifyVisible, visible, type Shown } from '../core/text.js';
import { failing } from './verdict.js';

/** Findings of one file, as `validate` and `doctor` report them (§9). */
export interface FileReport {
  file: string;
  findings: Finding[];
}

import type { ReportFormat } from '../settings/inputs.js';

export const fileOk = (r: FileReport, strict: boolean): boolean => !r.findings.some((f) => failing(f, strict));

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
}

export function summarize(reports: readonly FileReport[]): Summary {
  const s: Summary = { files: 0, errors: 0, warnings: 0 };
  for (const r of reports) count(s, r);
  return s;
}

function count(s: Summary, r: FileReport): void {
  s.files++;
  for (const f of r.findings) {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
  }
}

/**
 * §9's document: {"ok","summary","files":[{"file","ok","findings", …perFile}]}. A command that adds to it
 * (doctor's `checks`) passes `perFile` and spreads the document into its own: built once, as an object.
 */
export function jsonDocument(
  reports: readonly FileReport[],
  strict: boolean,
  redact: Redact = same,
  perFile: (r: FileReport) => Record<string, unknown> = () => ({}),
) {
  return {
    ok: reports.every((r) => fileOk(r, strict)),
    summary: summarize(reports),
    files: reports.map((r) => ({
      file: r.file,
      ok: fileOk(r, strict),
      findings: r.findings.map((f) => clipped(f, redact)),
      ...perFile(r),
    })),
  };
}

/** §9's document as the one JSON text on stdout. */
export const formatJson = (reports: readonly FileReport[], strict: boolean, redact: Redact = same): Shown =>
  machine(`${stringifyVisible(jsonDocument(reports, strict, redact), 2)}\n`);

/** Masks the secrets the writer knows (Output.redact): a message is masked before it is clipped (§10). */
export type Redact = (text: string) => string;
const same: Redact = (text) => text;

/**
 * A finding as JSON shows it: the message masked, then clipped (§10), so a cut cannot leave a prefix of a
 * secret; JSON's own escaping, plus DEL and C1, does the rest.
 */
export function clipped(f: Finding, redact: Redact = same): Finding {
  const message = clip(redact(f.message));
  return message === f.message ? f : { ...f, message };
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts: data escapes %, CR, LF;
// properties also `:` and `,`, which would otherwise end the property.
// Control characters are made visible first (§10): a workflow log is a terminal too.
const escapeData = (s: string) => visible(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one annotation per finding, on its line. */
export function formatGithub(reports: readonly FileReport[], redact: Redact = same): Shown {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const props = [`file=${escapeProperty(r.file)}`];
      if (f.line) props.push(`line=${f.line}`);
      if (f.column) props.push(`col=${f.column}`);
      props.push(`title=${escapeProperty(f.code)}`);
      lines.push(`::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${escapeData(clip(redact(f.message)))}`);
    }
  }
  // Every value in a workflow command is escaped (escapeData: CR and LF as %0D/%0A): one command per line.
  return machine(lines.length ? `${lines.join('\n')}\n` : '');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function severityLabel(s: Severity, c: Paint): Shown {
  if (s === 'error') return c.red('error  ');
  if (s === 'warning') return c.yellow('warning');
  return c.blue('info   ');
}

/** Where a wrapped message starts: under the severity, past the line:column. */
const MESSAGE_INDENT = 10;

/**
 * Findings of one file, one per line, with line:column. With `columns` (the terminal's width), a row
 * that does not fit puts its message on the lines below, wrapped at word boundaries (wrapProse).
 */
export function formatFindingsText(r: FileReport, c: Paint, columns?: number, redact: Redact = same): Shown {
  const rows = r.findings.map((f) => {
    const where = f.line ? `${f.line}:${f.column ?? 1}` : '';
    const head = shown`  ${c.dim(where.padEnd(7))} ${severityLabel(f.severity, c)}  ${c.dim(f.code)}`;
    const message = messageVisible(redact(f.message));
    const row = shown`${head}  ${message}`;
    if (columns === undefined || stripAnsi(row).length <= columns) return row;
    return shown`${head}\n${' '.repeat(MESSAGE_INDENT)}${wrapProse(message, columns, MESSAGE_INDENT)}`;
  });
  return shown`${c.underline(r.file)}\n${joinLines(rows)}\n`;
}

const joinLines = (rows: readonly Shown[]): Shown => joinShown(rows, '\n');

/**
 * Findings that belong to no file (init's answers, urls' flags), one per line without a location
 * column and without a file heading; wrapped like formatFindingsText.
 */
export function formatFindingsList(findings: readonly Finding[], c: Paint, columns?: number, redact: Redact = same): Shown {
  const rows = findings.map((f) => {
    const head = shown`  ${severityLabel(f.severity, c)}  ${c.dim(f.code)}`;
    const message = messageVisible(redact(f.message));
    const row = shown`${head}  ${message}`;
    if (columns === undefined || stripAnsi(row).length <= columns) return row;
    return shown`${head}\n${' '.repeat(LIST_INDENT)}${wrapProse(message, columns, LIST_INDENT)}`;
  });
  return shown`${joinLines(rows)}\n`;
}

/** Where a wrapped message of formatFindingsList starts: under the severity. */
const LIST_INDENT = 4;

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** The last line of a text report: counts, and whether the run passed. */
export function formatSummary(s: Summary, ok: boolean, c: Paint, strict: boolean): Shown {
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')}`;
  return ok ? c.green(`✔ ${counts}`) : c.red(`✖ ${counts}${strict && s.errors === 0 ? ' (--strict: warnings fail)' : ''}`);
}

/** Text report: findings grouped by file, then one summary line. */
export function formatText(reports: readonly FileReport[], c: Paint, strict: boolean, columns?: number, redact: Redact = same): Shown {
  let text = '';
  const reporter = createReporter('text', { color: c, strict, write: (t) => (text += t), columns, redact });
  for (const r of reports) reporter.add(r);
  reporter.end();
  return composed(text);
}

/** How a whole run went. */
export interface RunResult extends Summary {
  ok: boolean;
}

/**
 * A report written as files are checked, in the order given: `text` and `github` print each file
 * as it comes, so a run over many files keeps nothing but counts; `json` must hold its findings to
 * print one document at the end.
 */
export interface Reporter {
  add(report: FileReport): void;
  /** Print what comes last (the summary, the JSON document) and say how the run went. */
  end(): RunResult;
}

export interface ReporterOptions {
  /** Colours for the text format (a no-colour instance when colour is off). */
  color: Paint;
  strict: boolean;
  /** Where the report goes: stdout. */
  write: (text: Shown) => void;
  /** The width text findings wrap at (Output.outColumns); absent: no wrapping. */
  columns?: number;
  /** The writer's masking (Output.redact), applied to a message before it is clipped. */
  redact?: Redact;
}

export function createReporter(format: ReportFormat, { color, strict, write, columns, redact = same }: ReporterOptions): Reporter {
  const summary: Summary = { files: 0, errors: 0, warnings: 0 };
  let ok = true;
  const held: FileReport[] = [];
  return {
    add(r) {
      count(summary, r);
      ok &&= fileOk(r, strict);
      if (format === 'json') held.push(r);
      else if (format === 'github') write(formatGithub([r], redact));
      else if (r.findings.length) write(shown`${formatFindingsText(r, color, columns, redact)}\n`);
    },
    end() {
      if (format === 'json') write(formatJson(held, strict, redact));
      else if (format === 'text') write(shown`${formatSummary(summary, ok, color, strict)}\n`);
      return { ok, ...summary };
    },
  };
}
