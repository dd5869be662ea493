import path from 'node:path';
import { RECORD_FILE } from '../artifacts.js';
import type { ApplyOptions, HalfName } from '../cli.js';
import type { Context } from '../context.js';
import type { ResolvedConfig } from '../core/checks.js';
import { defaultProviderCode } from '../core/creatio.js';
import type { Finding } from '../core/findings.js';
import { buildRecord, toJsonFile } from '../core/record.js';
import { CancelledError, ExitCode, UsageError, WriteError } from '../errors.js';
import type { CreatedClient } from '../aws/apply.js';
import { planConfigUpdate } from '../io/config-writer.js';
import { writeFiles, type PlannedFile } from '../io/files.js';
import { jsonVisible, oneLine, shown, type Shown } from '../core/text.js';
import { startSpinner } from '../io/spinner.js';
import { verdict } from '../report.js';
import { terminalPrompts, type Prompts } from '../wizard/prompts.js';
import type { AppliedHalf, Half } from './halves.js';
import { liveLook } from './doctor-live.js';
import { allFindings, changesLine, endWith, halvesOf, pendingOf, preparePlan, printPlan, unmetRequirements } from './plan.js';
import { refuseExisting, shownPath } from './written.js';

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
  const changes = pendingOf(planned);
  const unmet = unmetRequirements(opts.require, halves);
  const planVerdict = unmet.length ? ExitCode.usage : verdict([...configFindings, ...before], { strict });
  // A credential the plan would send where only the file points (§10, trust/unpinned-host) blocks every change, on both sides.
  const blocked =
    !prepared.resolved ||
    unmet.length > 0 ||
    Object.values(planned).some((p) => p.half.status === 'stopped') ||
    before.some((f) => f.code === 'trust/unpinned-host');

  // The plan first; with nothing to do (or nothing that can be done) it is the whole report.
  if (!json || blocked || changes === 0) {
    printPlan(ctx, opts.format, { file: settings.file, halves, findings: [...configFindings, ...before], changes, strict, ok: !blocked });
  }
  if (blocked || changes === 0) {
    if (!json) ctx.output.err(shown`${blocked ? 'Nothing was changed.' : oneLine(changesLine(0, halves))}\n`);
    // Nothing to do: the plan's reading is the final one (a second apply changes nothing).
    const judged = [...configFindings, ...checked(planned, opts.skip)];
    // Blocked (config errors, a side that could not be read): nothing was done, which is never a success.
    const code = blocked ? (planVerdict === ExitCode.ok ? ExitCode.failed : planVerdict) : verdict(judged, { strict });
    endWith(code, unmet, 'apply');
    return;
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
    const go = await prompts.yesNo({ message: `Apply ${changes} change${changes === 1 ? '' : 's'}? (y/N)`, default: false });
    if (!go) throw new CancelledError('Nothing was changed.');
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
    for (const name of ['cognito', 'creatio'] as const) {
      const p = planned[name];
      if (failed || !p.apply) continue;
      const spinner = await startSpinner(ctx, `Applying the ${name === 'cognito' ? 'Cognito' : 'Creatio'} changes…`);
      inProgress = name;
      try {
        applied[name] = await p.apply((message) => spinner.update(message), {
          ...(applied.cognito?.createdClient ? { createdClient: applied.cognito.createdClient } : {}),
          onApplied: (i) => sent.push(changeLabel(name, i)),
        });
      } finally {
        spinner.stop();
      }
      inProgress = undefined;
      if (!applied[name]!.ok) failed = true;
    }

    // A created client: its ID into the config file, its secret into the record file, in one write.
    const created = applied.cognito?.createdClient;
    let written: Shown | undefined;
    if (created) {
      unwrittenClient = created.clientId;
      ctx.output.addSecret(created.clientSecret);
      written = await writeCreatedClient(created, prepared.resolved!, prepared.clientIdAbsent, settings, recordPath, opts, ctx);
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
      const live = await liveLook({ settings: lookSettings, resolved, locate: (f) => f, skipHostedUi: false }, ctx);
      findingsAfter.push(...live.findings);
    }
    const done = Object.values(after)
      .flatMap((h) => h.items)
      .filter((i) => i.applied === true).length;
    if (!json) ctx.output.out(shown`\n${ctx.output.color.bold('After apply:')}\n`);
    printPlan(ctx, opts.format, { file: settings.file, halves: after, findings: findingsAfter, changes, strict, ok: !failed });
    if (!json) {
      if (written) ctx.output.err(written);
      ctx.output.err(
        failed ? shown`Stopped at the first failure: ${done} of ${changes} changes applied.\n` : shown`Applied ${done} changes.\n`,
      );
    }
    endWith(failed ? ExitCode.failed : verdict(findingsAfter, { strict }), [], 'apply');
  } catch (e) {
    if (e instanceof CancelledError) throw stoppedAfterChanges(e, sent, planned, inProgress, unwrittenClient);
    throw e;
  }
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

/** The halves' findings as doctor's checks judge them: `--skip aws` / `--skip creatio` leave a side out. */
function checked(halves: Record<HalfName, { findings: Finding[] }>, skip: ReadonlySet<string> | undefined): Finding[] {
  return [...(skip?.has('aws') ? [] : halves.cognito.findings), ...(skip?.has('creatio') ? [] : halves.creatio.findings)];
}

/**
 * The new client's ID into the config file (comments kept) and its secret into the record file (0600),
 * all or nothing. Returns the line that says where the secret is and where it should go.
 */
async function writeCreatedClient(
  created: CreatedClient,
  resolved: ResolvedConfig,
  clientIdAbsent: boolean,
  settings: { file: string; inputs: ReadonlyMap<string, unknown> },
  recordPath: string,
  opts: ApplyOptions,
  ctx: Context,
): Promise<Shown> {
  const configPath = path.resolve(ctx.cwd, settings.file);
  const withClient: ResolvedConfig = {
    ...resolved,
    clientId: created.clientId,
    providerCode: settings.inputs.has('providerCode') ? resolved.providerCode : defaultProviderCode(created.clientId),
  };
  const files: PlannedFile[] = [
    await planConfigUpdate(configPath, { 'cognito.clientId': created.clientId }),
    { path: recordPath, content: jsonVisible(toJsonFile(buildRecord(withClient, created.clientSecret))), mode: 0o600 },
  ];
  try {
    await writeFiles(files, ctx, { force: Boolean(opts.force) });
  } catch (e) {
    // The client exists in Cognito now (no undo there): never "nothing was written" (§10), but what stays and what to do.
    if (e instanceof WriteError) {
      throw new WriteError(
        `The app client ${created.clientId} was created in Cognito and stays, but ${clientIdAbsent ? 'its ID' : 'the new ID'} could not be written into ${settings.file} (${e.detail ?? e.message}). Set cognito.clientId to ${created.clientId} by hand; its secret is shown in the Cognito console under App clients. Run creatio-sso plan to see what is still pending.`,
      );
    }
    throw e;
  }
  const reference = resolved.clientSecret.kind === 'env' ? `the variable ${resolved.clientSecret.name}` : 'your secret store';
  return shown`Created the app client ${created.clientId}: its ID is in ${shownPath(ctx.cwd, configPath)}; its secret only in ${shownPath(ctx.cwd, recordPath)} (0600). Store the secret in ${reference} (where cognito.clientSecret points), then delete the record file or keep it out of version control.\n`;
}
