import path from 'node:path';
import { RECORD_FILE } from '../io/artifacts.js';
import type { ApplyOptions, HalfName } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import { wrapProse } from '../io/output.js';
import type { ResolvedConfig } from '../core/config/checks.js';
import { defaultProviderCode } from '../core/creatio/identifiers.js';
import type { Finding } from '../core/findings.js';
import { buildRecord, toJsonFile } from '../core/record.js';
import { CancelledError, ExitCode, ExitError, UsageError, WriteError, type ExitCodeValue } from '../cli/errors.js';
import { exitFor, verdict } from '../report/verdict.js';
import type { CreatedClient } from '../aws/apply.js';
import { planConfigUpdate } from '../io/config-writer.js';
import { writeFiles, type PlannedFile } from '../io/files.js';
import { joinShown, jsonVisible, oneLine, shown, type Shown } from '../core/text.js';
import { startSpinner } from '../io/spinner.js';

import { terminalPrompts, type Prompts } from '../wizard/prompts.js';
import type { AppliedHalf, Half } from '../plan/half.js';
import { liveLook } from '../live/look.js';
import { pendingResources } from '../core/report/plan-view.js';
import { HALVES } from '../cli/program.js';
import type { FileSettings } from '../settings/resolve.js';
import { allFindings, halvesOf, preparePlan } from '../plan/prepare.js';
import { planEnding, printPlan, summaryOfHalves, viewOf, whereOf } from '../report/plan.js';
import { refuseExisting, shownPath } from '../report/written.js';

/** What tests substitute: the prompts (answered by question text). */
export interface ApplyDeps {
  prompts?: Prompts;
}

/**
 * `creatio-sso apply`: the plan, a confirmation (or --yes), the changes half by half in §13's order
 * (stopping at the first failure), a client this run created written into the config and the record
 * file, then each side read again and judged as `doctor` judges it.
 */
export async function run(opts: ApplyOptions, ctx: Context, deps: ApplyDeps = {}): Promise<void> {
  const json = opts.format === 'json';
  const strict = Boolean(opts.strict);
  // Without a terminal there is nobody to ask: decided before anything is read (§3: exit 2).
  if (!opts.yes && !ctx.interactive) {
    throw new UsageError('apply changes live systems: without a terminal it needs --yes (run plan first to see the changes).');
  }
  const prepared = await preparePlan(opts, ctx);
  const { planned, settings } = prepared;
  const configFindings = prepared.findings;
  const before = allFindings(planned);
  const halves = halvesOf(planned);
  const summary = summaryOfHalves(halves);
  const changes = pendingResources(summary);
  const planVerdict = verdict([...configFindings, ...before], { strict });
  // A credential the plan would send where only the file points (§10, trust/unpinned-host) blocks every change, on both sides.
  const blocked =
    !prepared.resolved ||
    Object.values(planned).some((p) => p.half.status === 'stopped') ||
    before.some((f) => f.code === 'trust/unpinned-host');
  const where = whereOf(prepared);

  // The plan first; with nothing to do (or nothing that can be done) it is the whole report.
  if (blocked || changes === 0) {
    // Nothing to do: the plan's reading is the final one (a second apply changes nothing).
    const judged = [...configFindings, ...checked(planned, opts.skip)];
    // Blocked (config errors, a side that could not be read): nothing was done, which is never a success.
    const code = blocked ? (planVerdict === ExitCode.ok ? ExitCode.failed : planVerdict) : verdict(judged, { strict });
    const ending = blocked ? 'Nothing was changed.' : planEnding(summary, halves);
    printPlan(ctx, opts.format, {
      file: settings.file,
      halves,
      findings: [...configFindings, ...before],
      strict,
      ok: !blocked && code === ExitCode.ok,
      ...where,
      ending,
    });
    exitFor(code, 'apply');
    return;
  }
  // The manual steps come last once, after apply's own ending.
  if (!json) {
    const ending = planEnding(summary, halves);
    printPlan(ctx, opts.format, {
      file: settings.file,
      halves,
      findings: [...configFindings, ...before],
      strict,
      ok: true,
      ...where,
      ending,
      manualLast: false,
    });
  }

  // A record file in the way is found before anything changes, not after a client was created.
  const outDir = path.resolve(ctx.cwd, opts.outDir);
  const recordPath = path.join(outDir, RECORD_FILE);
  const creating = planned.cognito.half.items.some(
    (i) => i.resource === 'UserPoolClient' && i.field === 'ClientName' && i.action === 'add',
  );
  if (creating && !opts.force) await refuseExisting([recordPath], ctx.cwd, '--out-dir');

  if (!opts.yes) {
    const prompts =
      deps.prompts ??
      terminalPrompts({ input: ctx.stdin, output: ctx.stderr, color: ctx.output.errChalk, redact: ctx.output.redact, signal: ctx.signal });
    // The prompt adds its own "(y/N)": the question does not repeat it.
    const go = await prompts.yesNo({ message: `Apply these changes to ${changes} resource${changes === 1 ? '' : 's'}?`, default: false });
    // Declining is a cancel by the user (§3, §13): exit 130, and nothing was sent anywhere.
    if (!go) throw new CancelledError('Apply cancelled: nothing was changed.');
  }

  // The changes, half by half, in order; the first failure stops the run.
  const applied = {} as Record<HalfName, AppliedHalf | undefined>;
  let inProgress: HalfName | undefined;
  /** Each change the moment its side confirmed it, for what a stop says (§10). */
  const sent: string[] = [];
  /** A client this run created whose ID no file holds yet: a stop must name it, or nobody finds it again. */
  let unwrittenClient: string | undefined;
  let failed = false;
  // From here on a change may have reached a live side, which has no undo: a stop never says "nothing was
  // written" (§10 "A stop says what is true"), but what was sent, that it stays, and how to see the rest.
  try {
    for (const name of HALVES) {
      const p = planned[name];
      if (failed || !p.apply) continue;
      const spinner = await startSpinner(ctx, `Applying the ${HALF_TITLES[name]} changes…`);
      inProgress = name;
      try {
        applied[name] = await p.apply((message) => spinner.update(message), {
          ...(applied.cognito?.createdClient ? { createdClient: applied.cognito.createdClient } : {}),
          onApplied: (i) => sent.push(changeLabel(name, i)),
        });
      } finally {
        spinner.stop();
      }
      for (const note of applied[name]?.notes ?? []) ctx.output.err(shown`${wrapProse(oneLine(note), ctx.output.errColumns, 2)}\n`);
      inProgress = undefined;
      if (!applied[name]!.ok) failed = true;
    }

    // What the config must say from now on — a created client's ID, the code of a provider inserted or
    // adopted without one — is written into it by apply itself, with the record file, all or nothing (§13).
    const created = applied.cognito?.createdClient;
    const providerCode = configCodeToWrite(applied.creatio?.configCode, settings);
    let written: Shown | undefined;
    if (created || providerCode !== undefined) {
      if (created) {
        unwrittenClient = created.clientId;
        ctx.output.addSecret(created.clientSecret);
      }
      written = await writeConfigChanges(
        { created, providerCode },
        prepared.resolved!,
        prepared.clientIdAbsent,
        settings,
        recordPath,
        opts,
        ctx,
      );
      unwrittenClient = undefined;
    }

    const after: Record<HalfName, Half> = {
      cognito: applied.cognito?.half ?? planned.cognito.half,
      creatio: applied.creatio?.half ?? planned.creatio.half,
    };
    // Read again and judged (doctor's checks): a half that changed nothing keeps what its plan found.
    const findingsAfter: Finding[] = [
      ...configFindings,
      ...checked({ cognito: applied.cognito ?? planned.cognito, creatio: applied.creatio ?? planned.creatio }, opts.skip),
    ];
    // Then doctor's live look at what Creatio will use: discovery, JWKS and the hosted UI probes, with the
    // client this run created when there is one (--skip hosted-ui leaves them out, as in doctor).
    if (!failed && prepared.resolved && !opts.skip?.has('hosted-ui')) {
      const resolved = created ? { ...prepared.resolved, clientId: created.clientId } : prepared.resolved;
      const lookSettings = created ? { ...settings, secret: { ...settings.secret, value: created.clientSecret } } : settings;
      const spinner = await startSpinner(ctx, 'Checking the hosted UI and the discovery document…');
      try {
        const live = await liveLook({ settings: lookSettings, resolved, locate: (f) => f, skipHostedUi: false }, ctx);
        findingsAfter.push(...live.findings);
      } finally {
        spinner.stop();
      }
    }
    const code = failed ? ExitCode.failed : verdict(findingsAfter, { strict });
    const ending = applyEnding(after, changes, failed, code, findingsAfter, strict);
    if (!json) {
      // Each line what was written and where the secret goes: prose, wrapped like every other line (§13).
      if (written) ctx.output.err(wrapProse(written, ctx.output.errColumns, 2));
      ctx.output.out(shown`\n${ctx.output.color.bold('After apply:')}\n`);
    }
    printPlan(ctx, opts.format, {
      file: settings.file,
      halves: after,
      findings: findingsAfter,
      strict,
      ok: code === ExitCode.ok,
      ...where,
      ending,
      manualLast: true,
    });
    // The ending said it all, in agreement with the exit code.
    if (code !== ExitCode.ok) throw new ExitError(code, ending, true);
  } catch (e) {
    if (e instanceof CancelledError) throw stoppedAfterChanges(e, sent, planned, inProgress, unwrittenClient);
    throw e;
  }
}

/**
 * apply's last line (§13), which never contradicts its exit code: `Apply complete: 1 created, 2 updated.`
 * only when the re-read and the checks pass.
 */
export function applyEnding(
  after: Record<HalfName, Half>,
  planned: number,
  failed: boolean,
  code: ExitCodeValue,
  findings: readonly Finding[],
  strict: boolean,
): string {
  let created = 0;
  let updated = 0;
  for (const name of HALVES) {
    for (const r of viewOf(after[name]).resources) {
      if (!r.fields.some((f) => f.applied === true)) continue;
      if (r.action === 'create') created++;
      else updated++;
    }
  }
  const done = created + updated;
  const changes = (n: number) => `${n} change${n === 1 ? '' : 's'}`;
  if (failed) return `Stopped at the first failure: ${done} of ${changes(planned)} applied (see above).`;
  if (code === ExitCode.ok) return `Apply complete: ${created} created, ${updated} updated.`;
  const failing = findings.filter((f) => f.severity === 'error' || (strict && f.severity === 'warning')).length || 1;
  const checks = `${failing} check${failing === 1 ? '' : 's'}`;
  if (code === ExitCode.inconclusive) return `Applied ${changes(done)}, but ${checks} could not be completed (see above).`;
  return `Applied ${changes(done)}, but ${checks} failed (see above).`;
}

/** The provider code to write into the config: only where the config is what names it (not a flag or variable). */
function configCodeToWrite(code: string | undefined, settings: FileSettings): string | undefined {
  if (code === undefined) return undefined;
  const given = settings.inputs.get('providerCode');
  if (given && given.source.kind !== 'file') return undefined;
  return given?.value === code ? undefined : code;
}

const HALF_TITLES: Record<HalfName, string> = { cognito: 'Cognito', creatio: 'Creatio' };
const changeLabel = (name: HalfName, i: Half['items'][number]) => `${HALF_TITLES[name]} ${i.resource}.${i.field}`;

/**
 * The stop (signal, Ctrl-C) after apply began to change the live sides: the changes the sides confirmed,
 * those the half in progress may have sent besides, that they stay, and the command that shows what is pending.
 */
function stoppedAfterChanges(
  e: CancelledError,
  sent: readonly string[],
  planned: Record<HalfName, { half: Half }>,
  inProgress: HalfName | undefined,
  unwrittenClient: string | undefined,
): CancelledError {
  const maybe = inProgress
    ? planned[inProgress].half.items
        .filter((i) => i.action === 'add' || i.action === 'change')
        .map((i) => changeLabel(inProgress, i))
        .filter((l) => !sent.includes(l))
    : [];
  const who = e.signal === 'SIGINT' ? 'Cancelled' : `Stopped by ${e.signal}`;
  const client = unwrittenClient
    ? `The new app client ${unwrittenClient} exists in Cognito, but no file names it: set cognito.clientId to ${unwrittenClient} by hand (its secret is shown in the Cognito console under App clients).`
    : '';
  const lists = [sent.length ? `Sent: ${sent.join(', ')}.` : '', maybe.length ? `Possibly sent: ${maybe.join(', ')}.` : '', client]
    .filter(Boolean)
    .join(' ');
  return new CancelledError(
    `${who} while applying the changes: some may have been made, and a change already sent to AWS or Creatio stays (it is not undone). ${lists} Run creatio-sso plan to see what is still pending.`.replace(
      /  +/g,
      ' ',
    ),
    e.signal,
  );
}

/** The halves' findings as doctor's checks judge them: `--skip cognito` / `--skip creatio` leave a side out. */
function checked(halves: Record<HalfName, { findings: Finding[] }>, skip: ReadonlySet<string> | undefined): Finding[] {
  return [...(skip?.has('cognito') ? [] : halves.cognito.findings), ...(skip?.has('creatio') ? [] : halves.creatio.findings)];
}

/**
 * What the config must say from now on, in one all-or-nothing write (comments kept): a new client's ID
 * (and its secret into the record file, 0600), the code of the provider apply inserted or adopted.
 * Returns the lines that say what was written and where the secret should go.
 */
async function writeConfigChanges(
  changes: { created?: CreatedClient | undefined; providerCode?: string | undefined },
  resolved: ResolvedConfig,
  clientIdAbsent: boolean,
  settings: { file: string; inputs: ReadonlyMap<string, unknown> },
  recordPath: string,
  opts: ApplyOptions,
  ctx: Context,
): Promise<Shown> {
  const { created, providerCode } = changes;
  const configPath = path.resolve(ctx.cwd, settings.file);
  const updates: Record<string, string> = {};
  if (created) updates['cognito.clientId'] = created.clientId;
  if (providerCode !== undefined) updates['provider.code'] = providerCode;
  const files: PlannedFile[] = [await planConfigUpdate(configPath, updates)];
  if (created) {
    const withClient: ResolvedConfig = {
      ...resolved,
      clientId: created.clientId,
      providerCode: providerCode ?? (settings.inputs.has('providerCode') ? resolved.providerCode : defaultProviderCode(created.clientId)),
    };
    files.push({ path: recordPath, content: jsonVisible(toJsonFile(buildRecord(withClient, created.clientSecret))), mode: 0o600 });
  }
  try {
    await writeFiles(files, ctx, { force: Boolean(opts.force) });
  } catch (e) {
    // The live sides changed (no undo there): never "nothing was written" (§10), but what stays and what to do.
    if (e instanceof WriteError) {
      const lines = Object.entries(updates)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      const client = created
        ? `The app client ${created.clientId} was created in Cognito and stays, but ${clientIdAbsent ? 'its ID' : 'the new ID'} could not be written into ${settings.file}`
        : `The changes were applied and stay, but ${settings.file} could not be updated`;
      const secret = created ? '; its secret is shown in the Cognito console under App clients' : '';
      throw new WriteError(
        `${client} (${e.detail ?? e.message}). Set ${lines} in it by hand${secret}. Run creatio-sso plan to see what is still pending.`,
      );
    }
    throw e;
  }
  const shownConfig = shownPath(ctx.cwd, configPath);
  const said: Shown[] = [];
  if (providerCode !== undefined)
    said.push(shown`Wrote provider.code: ${providerCode} into ${shownConfig}, so later checks find the Creatio provider.\n`);
  if (created) {
    const reference = resolved.clientSecret.kind === 'env' ? `the variable ${resolved.clientSecret.name}` : 'your secret store';
    said.push(
      shown`Created the app client ${created.clientId}: its ID is in ${shownConfig}; its secret only in ${shownPath(ctx.cwd, recordPath)} (0600). Store the secret in ${reference} (where cognito.clientSecret points), then delete the record file or keep it out of version control.\n`,
    );
  }
  return joinShown(said);
}
