import { isInteractive, type Context } from './context.js';
import { cancellation } from './stop.js';
import { CancelledError, ExitCode, ExitError, stoppedBy, type StopSignal } from './errors.js';
import type { WriterFs } from '../io/files.js';
import { createOutput, loadChalkFor, wrapProse, type Output, type OutputOptions } from '../io/output.js';
import { joinShown, shown, usageErrorVisible, visible } from '../core/text.js';
import type { Runner } from './program.js';
import type { declareCommands, Program } from './program.js';
import { doctorArgv, validateArgv } from './validate-argv.js';

/**
 * The entry point: decides interactivity and colour once, and is the only place that turns errors into
 * messages and exit codes (§3). The commands are declared in program.ts (commander); a plain
 * `validate` — what a pre-commit hook or a CI step runs — and a plain `doctor` are read by validate-argv.ts
 * without loading commander, with the same result (a property test compares both).
 */

export interface MainIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** stderr is a terminal, told without building the stream (main.ts): then `stderr` is read only to write. */
  stderrIsTTY?: boolean;
  /** Where SIGINT, SIGTERM and SIGHUP come from: the process by default, an EventEmitter in tests. */
  signals?: SignalSource;
  /** The writer's file system (default node:fs/promises): tests make a call fail or wait. */
  fs?: WriterFs;
  /** After a stop signal, how long to wait for the command to settle (default STOP_GRACE_MS): tests shorten it. */
  stopGraceMs?: number;
}

export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  removeListener(signal: StopSignal, listener: () => void): unknown;
}

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * After a stop signal, how long main() waits for the command to roll back and settle. Commands listen
 * to ctx.signal and settle at once; one that does not (a read of stdin, say) is not waited for longer.
 */
export const STOP_GRACE_MS = 2000;

/**
 * Run the CLI; resolves to the exit code. One handler for SIGINT, SIGTERM and SIGHUP aborts the
 * context's signal (reason: the CancelledError with exit code 130, 143 or 129); the command rolls back
 * and rejects with it. The handlers are removed when main() returns.
 */
export async function main(io: MainIO): Promise<number> {
  const stop = new AbortController();
  const source: SignalSource = io.signals ?? process;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = () => {
      // The first signal decides; later ones (a second Ctrl-C during the rollback) change nothing.
      if (!stop.signal.aborted) stop.abort(stoppedBy(name));
    };
    source.on(name, handler);
    return [name, handler] as const;
  });
  try {
    return await run(io, stop.signal);
  } finally {
    for (const [name, handler] of handlers) source.removeListener(name, handler);
  }
}

async function run(io: MainIO, signal: AbortSignal): Promise<number> {
  // The streams for createOutput; stderr is read when written to (see MainIO.stderrIsTTY).
  const streams = (color: boolean, verbose: boolean): OutputOptions => ({
    color,
    verbose,
    stdout: io.stdout,
    get stderr() {
      return io.stderr;
    },
    ...(io.stderrIsTTY !== undefined ? { stderrIsTTY: io.stderrIsTTY } : {}),
    env: io.env,
  });
  // Until a command runs (usage errors, --help), output is plain: no colour library is loaded for it.
  let output: Output = createOutput(streams(false, io.argv.includes('--verbose')));

  const runner: Runner = async (load, opts, globals) => {
    output = createOutput(await loadChalkFor(streams(globals.color, Boolean(globals.verbose))));
    const ctx: Context = {
      output,
      env: io.env,
      cwd: io.cwd,
      // stdin only when a command reads it (see main.ts).
      get stdin() {
        return io.stdin;
      },
      interactive: isInteractive(
        globals,
        {
          get stdinIsTTY() {
            return Boolean(io.stdin.isTTY);
          },
          stdoutIsTTY: Boolean(io.stdout.isTTY),
        },
        io.env,
      ),
      timeoutMs: globals.timeout,
      verbose: Boolean(globals.verbose),
      stdout: io.stdout,
      get stderr() {
        return io.stderr;
      },
      signal,
      ...(io.fs ? { fs: io.fs } : {}),
    };
    const { run } = await load();
    await run(opts, ctx);
  };
  const parse = async () => {
    const quick = validateArgv(io.argv.slice(2));
    if (quick) return runner(loadValidate, quick.opts, quick.globals);
    const doctor = doctorArgv(io.argv.slice(2));
    if (doctor) return runner(loadDoctor, doctor.opts, doctor.globals);
    const program = buildProgram((await import('./program.js')).declareCommands(), runner);
    // Subcommands copied the program's settings when declared: each gets the streams of this run.
    for (const c of [program, ...program.commands]) {
      c.configureOutput({
        writeOut: (s) => void io.stdout.write(s),
        writeErr: (s) => void io.stderr.write(s),
        // One style for every usage error (commander's "error: unknown option …" reads like ours, "Usage error: …"),
        // and commander quotes arguments: no raw control character, no secret pasted as a flag.
        // commander's own line breaks stay (each line coloured on its own); one inside a quoted argument
        // ('--x\n::error …') is the argument's, and is escaped with it (§10).
        outputError: (s, write) => {
          const text = usageErrorVisible(s.replace(/^error: /, 'Usage error: ').replace(/'[^']*'/g, (quoted) => visible(quoted)));
          write(
            joinShown(
              text.split('\n').map((line) => (line ? output.errColor.red(line) : shown``)),
              '\n',
            ),
          );
        },
      });
    }
    return program.parseAsync(io.argv);
  };

  try {
    await settled(parse(), signal, io.stopGraceMs ?? STOP_GRACE_MS);
    // The work was done before the command saw the signal: say so, and still exit as stopped.
    if (signal.aborted) return exitCodeOf(stoppedLate(cancellation(signal)), output);
    return ExitCode.ok;
  } catch (e) {
    // Stopped: whatever the command threw on its way out, the signal is why it ended.
    return exitCodeOf(signal.aborted && !(e instanceof CancelledError) ? cancellation(signal) : e, output);
  }
}

/** Settle like `work`; once `signal` aborts, reject with its reason if `work` has not settled within `graceMs`. */
function settled(work: Promise<unknown>, signal: AbortSignal, graceMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => (timer = setTimeout(() => reject(cancellation(signal)), graceMs));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

const stoppedLate = (e: ExitError): ExitError =>
  e instanceof CancelledError
    ? new CancelledError(`Stopped (${e.signal}) after the work was done: what is shown above is complete, nothing was undone.`, e.signal)
    : e;

/** commander's errors, known by their code (commander itself loads only when a run needs it). */
const commanderError = (e: unknown): e is Error & { code: string; exitCode: number } =>
  e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('commander.') && 'exitCode' in e;

function exitCodeOf(e: unknown, output: Output): number {
  if (commanderError(e)) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.ok;
    // `creatio-sso help` asks for help (0); a bare `creatio-sso` gets help as an error (2).
    if (e.code === 'commander.help') return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (e.code === 'commander.executeSubCommandAsync') return e.exitCode;
    return ExitCode.usage;
  }
  if (e instanceof ExitError) {
    if (!e.silent) output.err(shown`${wrapProse(shown`${prefix(e, output)}${e.message}`, output.errColumns, 2)}\n`);
    // An expected outcome: --verbose adds the underlying cause (the socket's error, say), never a stack.
    if (output.verbose)
      for (const cause of causesOf(e))
        output.err(shown`${output.errColor.dim(wrapProse(shown`  cause: ${cause}`, output.errColumns, 4))}\n`);
    return e.exitCode;
  }
  // A bug, not a user's mistake: say so, and show the stack only with --verbose.
  const err = e instanceof Error ? e : new Error(String(e));
  output.err(shown`${output.errColor.red('Unexpected error:')} ${err.message}\n`);
  output.err(output.verbose ? shown`${err.stack ?? ''}\n` : shown`Run again with --verbose for details, and report it with that output.\n`);
  return ExitCode.failed;
}

const prefix = (e: ExitError, output: Output) =>
  e.exitCode === ExitCode.usage ? output.errColor.red('Usage error: ') : e instanceof CancelledError ? '' : output.errColor.red('✖ ');

/** The chain of `cause`s under an error, each as `code: message` (at most five: a cycle must not loop). */
function causesOf(e: Error): string[] {
  const out: string[] = [];
  for (let c: unknown = e.cause; c !== undefined && out.length < 5; c = c instanceof Error ? c.cause : undefined) {
    const code = c instanceof Error && 'code' in c && typeof c.code === 'string' ? `${c.code}: ` : '';
    out.push(c instanceof Error ? `${code}${c.message}` : String(c));
  }
  return out;
}

/** The modules of validate and doctor, loaded by commander's actions or straight from the quick readers (validate-argv.ts). */
const loadValidate = () => import('../commands/validate.js');
const loadDoctor = () => import('../commands/many.js').then((m) => ({ run: m.doctorConfigs }));

/** Each declared command runs its module, loaded when it runs: `--help` loads nothing but commander. */
export function buildProgram(c: ReturnType<typeof declareCommands>, run: Runner): Program {
  c.init.action((opts, cmd) => run(() => import('../commands/init.js'), opts, cmd.optsWithGlobals()));
  c.generate.action((opts, cmd) => run(() => import('../commands/generate.js'), opts, cmd.optsWithGlobals()));
  c.urls.action((opts, cmd) => run(() => import('../commands/urls.js'), opts, cmd.optsWithGlobals()));
  c.validate.action((files, { config, ...opts }, cmd) =>
    run(loadValidate, { ...opts, files: [...(config ?? []), ...files] }, cmd.optsWithGlobals()),
  );
  // doctor and plan: the configs named by --config and as arguments; commands/many.ts expands the globs and
  // runs the one-config command once, or each config and a summary (§17).
  c.doctor.action((args, { config, ...opts }, cmd) =>
    run(loadDoctor, { ...opts, configs: [...(config ?? []), ...args] }, cmd.optsWithGlobals()),
  );
  c.plan.action((args, { config, ...opts }, cmd) =>
    run(
      () => import('../commands/many.js').then((m) => ({ run: m.planConfigs })),
      { ...opts, configs: [...(config ?? []), ...args] },
      cmd.optsWithGlobals(),
    ),
  );
  c.apply.action((opts, cmd) => run(() => import('../commands/apply.js'), opts, cmd.optsWithGlobals()));
  c.rotate.action((opts, cmd) => run(() => import('../commands/rotate.js'), opts, cmd.optsWithGlobals()));
  return c.program;
}
