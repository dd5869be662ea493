import type { HalfName } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { planLines } from '../core/cognito/plan.js';
import { type ResolvedConfig } from '../core/config/checks.js';
import type { Finding } from '../core/findings.js';
import { type ExitCodeValue } from '../cli/errors.js';
import {
  ACTION_MARK,
  addSummaries,
  countsLine,
  headingOf,
  planRows,
  pendingResources,
  resourcesOf,
  summaryOf,
  type PlanSummary,
} from '../core/report/plan-view.js';
import { HALVES } from '../cli/program.js';
import { JobSummary } from '../core/report/job-summary.js';
import { resultOf } from '../report/verdict.js';
import { clip, joinShown, machine, shown, stringifyVisible, type Shown } from '../core/text.js';
import { wrapProse } from '../io/output.js';
import { clipped, fileOk, formatFindingsText } from '../report/findings.js';
import type { Half } from '../plan/half.js';
import { RESTATED } from '../core/cognito/plan-why.js';

/**
 * `plan`'s and `apply`'s report (§9, §13, §17): each half as resources, the one summary line, the text or
 * JSON document, and the job summary.
 */

/** §9's H: a half with its items grouped into resources. */
export const viewOf = (half: Half) => ({
  status: half.status,
  ...(half.reason !== undefined ? { reason: half.reason } : {}),
  resources: resourcesOf(half.items, half.ids ?? {}),
});

export const summaryOfHalves = (halves: Record<HalfName, Half>): PlanSummary =>
  addSummaries(summaryOf(viewOf(halves.cognito).resources), summaryOf(viewOf(halves.creatio).resources));

/** Where the resources are, for their headings (the pool, the site). */
export const whereOf = (p: { resolved?: ResolvedConfig | undefined }) =>
  p.resolved ? { where: { userPoolId: p.resolved.userPoolId, creatioUrl: p.resolved.creatioUrl } } : {};

const TITLES: Record<HalfName, string> = { cognito: 'Cognito', creatio: 'Creatio' };

/** What the summary adds about a half that was not compared. */
function notCompared(halves: Record<HalfName, Half>): string {
  const parts: string[] = [];
  for (const name of HALVES) {
    const h = halves[name];
    if (h.status === 'skipped') parts.push(`${TITLES[name]} not checked (${h.reason ?? 'skipped'}).`);
    if (h.status === 'stopped') parts.push(`The ${TITLES[name]} half stopped (see the findings above).`);
  }
  return parts.join(' ');
}

/** §13's one summary line: resources counted, or "No changes.", and what was not compared. */
export function planEnding(summary: PlanSummary, halves: Record<HalfName, Half>): string {
  const checked = HALVES.filter((name) => halves[name].status === 'checked');
  if (checked.length === 0) {
    if (HALVES.every((name) => halves[name].reason === 'the config has errors'))
      return 'Nothing was read: the config has errors (see above).';
    const stopped = HALVES.filter((name) => halves[name].status === 'stopped');
    if (stopped.length > 0)
      return `Nothing was compared: the ${stopped.map((name) => TITLES[name]).join(' and the ')} half stopped (see the findings above).`;
  }
  const rest = notCompared(halves);
  if (pendingResources(summary) > 0) return [countsLine(summary), rest].filter(Boolean).join(' ');
  const manual = summary.manual
    ? ` ${summary.manual === 1 ? 'One manual step remains' : `${summary.manual} manual steps remain`} (below).`
    : '';
  if (checked.length === 2) return `No changes. Cognito and Creatio match the config.${manual}`;
  return `No changes. ${TITLES[checked[0]!]} matches the config. ${rest}${manual}`;
}

export interface PlanReport {
  file: string;
  halves: Record<HalfName, Half>;
  findings: Finding[];
  strict: boolean;
  ok: boolean;
  /** The pool and the site, for the resources' headings. */
  where?: { userPoolId: string; creatioUrl: string };
  /** The summary line (text): the plan's counts, or apply's ending. */
  ending?: string;
  /** Repeat the manual steps after the summary line (§13: where they cannot scroll away). */
  manualLast?: boolean;
}

/** §9's plan document: `ok`, the summary, each half (H) and the findings. */
export const planDocument = (r: PlanReport, redact: (text: string) => string) => ({
  ok: r.ok,
  summary: summaryOfHalves(r.halves),
  halves: { cognito: viewOf(r.halves.cognito), creatio: viewOf(r.halves.creatio) },
  findings: r.findings.map((f) => clipped(f, redact)),
});

/**
 * §13's text (each resource under its heading, changes only unless --verbose, the findings that say more
 * than the plan lines, the summary line on stdout, the manual steps last) or §9's one JSON document.
 */
export function printPlan(ctx: Context, format: 'text' | 'json', r: PlanReport): void {
  const { output } = ctx;
  const views = { cognito: viewOf(r.halves.cognito), creatio: viewOf(r.halves.creatio) };
  if (format === 'json') {
    output.out(machine(`${stringifyVisible(planDocument(r, output.redact), 2)}\n`));
    return;
  }
  const c = output.color;
  const where = r.where ?? { userPoolId: '?', creatioUrl: '?' };
  // Every line is composed (`shown`): a reason, a heading or a plan line is one line, its values escaped (§10).
  const lines: Shown[] = [];
  const manual: Shown[] = [];
  for (const name of HALVES) {
    const half = r.halves[name];
    // The one wrapping function (§13): a line longer than the terminal continues under the text, never mid-word.
    const wrap = (line: Shown): Shown => wrapProse(line, output.outColumns, 2);
    if (half.status === 'skipped')
      lines.push(shown`${wrap(shown`${c.bold(TITLES[name])}  ${c.dim(shown`- not checked: ${half.reason ?? ''}`)}`)}\n`);
    else if (half.status === 'stopped')
      lines.push(shown`${wrap(shown`${c.bold(TITLES[name])}  ${c.red(shown`✖ stopped: ${clip(output.redact(half.reason ?? ''))}`)}`)}\n`);
    for (const resource of views[name].resources) {
      const heading = headingOf(resource, where);
      lines.push(shown`${wrap(shown`${c.bold(heading)}  ${markColour(c, resource.action)(ACTION_MARK[resource.action])}`)}\n`);
      // Changes only, unless --verbose; a field that cannot be compared keeps its hint (--write-secret).
      const listed = resource.fields.filter((f) => ctx.verbose || f.action !== 'same' || f.how !== undefined);
      for (const [i, line] of planLines(listed).entries()) {
        const field = listed[i]!;
        const mark = field.applied === true ? c.green(' (applied)') : field.applied === false ? c.red(' (not applied)') : '';
        // A line longer than the terminal: the field alone, then each value whole on a row of its own (§10).
        const rows = planRows(line, field, output.outColumns, (text, width) => wrapProse(text, width));
        lines.push(
          shown`${joinShown(rows.map((row, j) => shown`${colourOf(c, field.action)(row)}${j === rows.length - 1 ? mark : ''}\n`))}`,
        );
        if (field.action === 'manual') manual.push(shown`  ! ${heading}: ${line.replace(/^ {2}! /, '')}`);
      }
      const hidden = resource.fields.length - listed.length;
      if (hidden > 0 && resource.action !== 'none')
        lines.push(shown`  ${c.dim(shown`(${hidden} unchanged field${hidden === 1 ? '' : 's'}; --verbose shows them)`)}\n`);
    }
  }
  // Findings that merely restate a plan line (the "why" of a change) are not printed again.
  const said = r.findings.filter((f) => !(f.severity === 'info' && RESTATED.has(f.code)));
  if (said.length) lines.push(shown`\n${formatFindingsText({ file: r.file, findings: said }, c, output.outColumns, output.redact)}`);
  else if (!fileOk({ file: r.file, findings: r.findings }, r.strict)) lines.push(shown`\n`);
  if (r.ending) lines.push(shown`\n${c.bold(wrapProse(shown`${r.ending}`, output.outColumns))}\n`);
  if (r.manualLast !== false && manual.length)
    lines.push(
      shown`\nManual steps (apply does not make them):\n${joinShown(manual.map((m) => shown`${c.cyan(wrapProse(m, output.outColumns, 4))}\n`))}`,
    );
  output.out(joinShown(lines));
}

const colourOf = (c: Context['output']['color'], action: string) =>
  action === 'add' ? c.green : action === 'change' ? c.yellow : action === 'manual' ? c.cyan : (t: string) => t;
const markColour = (c: Context['output']['color'], action: string) =>
  action === 'create' ? c.green : action === 'update' ? c.yellow : action === 'manual' ? c.cyan : c.dim;

/** §17's job summary of a plan: the file's result, each resource (with its action), each change, the findings. */
export function planSummary(
  r: Pick<PlanReport, 'file' | 'halves' | 'findings' | 'where'>,
  code: ExitCodeValue,
  redact: (text: string) => string,
): string {
  const result = resultOf(code);
  const where = r.where ?? { userPoolId: '?', creatioUrl: '?' };
  const s = new JobSummary(redact).own('## creatio-sso plan').table(['File', 'Result'], [[r.file, result]]);
  const resources: unknown[][] = [];
  const changes: unknown[][] = [];
  for (const name of HALVES) {
    const half = r.halves[name];
    if (half.status !== 'checked') resources.push([TITLES[name], `(${half.status})`, half.reason ?? '']);
    for (const resource of viewOf(half).resources) {
      const heading = headingOf(resource, where);
      resources.push([TITLES[name], heading, resource.action]);
      for (const f of resource.fields) {
        if (f.action === 'same') continue;
        changes.push([heading, f.field, f.action, f.from, f.to ?? f.how]);
      }
    }
  }
  s.own('\n### Resources').table(['Side', 'Resource', 'Action'], resources);
  if (changes.length) s.own('\n### Changes').table(['Resource', 'Field', 'Action', 'From', 'To'], changes);
  if (r.findings.length) s.own('\n### Findings').findings(r.file, r.findings);
  return s.text();
}
