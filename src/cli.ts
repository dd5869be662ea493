import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { cancellation, isInteractive, type Context } from './context.js';
import { CancelledError, ExitCode, ExitError, stoppedBy, type StopSignal } from './errors.js';
import { INPUTS } from './inputs.js';
import type { WriterFs } from './io/files.js';
import { createOutput, loadChalkFor, wrapProse, type Output } from './io/output.js';
import { toolVersion } from './version.js';

/**
 * The entry point: declares every command, decides interactivity and colour once, and is the only
 * place that turns errors into messages and exit codes (§3). Command modules load lazily, so
 * `--version` and `--help` load nothing but commander.
 */
type Action = (opts: Record<string, unknown>, ctx: Context) => Promise<unknown>;
type Loader = () => Promise<{ run: Action }>;

const parseTimeout = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 600_000) throw new InvalidArgumentError('give milliseconds, 1–600000.');
  return n;
};

const addInputOptions = (cmd: Command, which: readonly string[] = INPUTS.map((i) => i.key)) => {
  for (const i of INPUTS) {
    if (!which.includes(i.key)) continue;
    const option = new Option(`${i.flag} <${i.placeholder}>`, `${i.description} [env: ${i.env}]`);
    if (i.choices) option.choices(i.choices);
    cmd.addOption(option);
  }
  return cmd;
};
const addSecretOptions = (cmd: Command) =>
  cmd
    .option('--client-secret-stdin', 'read the app client secret from stdin')
    .option(
      '--client-secret-env <NAME>',
      'read the app client secret from the environment variable NAME [env: CREATIO_SSO_CLIENT_SECRET holds the value itself]',
    );
const addWriteOptions = (cmd: Command) =>
  cmd
    .option('--out-dir <dir>', 'folder for the artifacts', 'creatio-sso')
    .option('--force', 'overwrite existing files')
    .option('--dry-run', 'print what would be written (secret masked), write nothing')
    .option('--json', 'print {"files":[{"path","mode","bytes"}],"findings":[…]} instead of prose');
const addFormatOptions = (cmd: Command) =>
  cmd
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--strict', 'fail on warnings too');

const EXAMPLES = `
Examples:
  $ npx creatio-sso init                                  guided set-up, writes creatio-sso.yaml and the artifacts
  $ creatio-sso urls --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --creatio-url https://acme.creatio.com
  $ COGNITO_CLIENT_SECRET=… creatio-sso generate --config creatio-sso.yaml
  $ creatio-sso validate --format github envs/*.yaml      CI gate with annotations
  $ creatio-sso doctor --config creatio-sso.yaml          probe the live hosted UI

Exit codes: 0 ok, 1 configuration errors or failed live check, 2 usage error, 3 inconclusive (network), 130 cancelled.
Docs: https://www.npmjs.com/package/creatio-sso`;

export function buildProgram(run: (load: Loader, opts: Record<string, unknown>) => Promise<void>): Command {
  const program = new Command('creatio-sso')
    .description('Set up and check single sign-on between Creatio and AWS Cognito (OpenID Connect).')
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // A fixed width makes help the same on every terminal, so the bin can print a prebuilt copy.
    .configureHelp({ helpWidth: 80 })
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--timeout <ms>', 'limit for every network request, in milliseconds', parseTimeout, 10_000)
    .option('--verbose', 'show details, including stack traces of failures')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXAMPLES)
    .exitOverride();

  const cmd = (name: string, description: string, load: Loader, example: string) => {
    const c = program.command(name).description(description).addHelpText('after', `\nExample:\n  $ ${example}`);
    c.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const positional = (args.slice(0, -2) as unknown[]).flat();
      await run(load, { ...command.optsWithGlobals(), args: positional });
    });
    return c;
  };

  const init = cmd(
    'init',
    'interactive wizard: asks for the values, checks them live, writes the config file and the artifacts',
    () => import('./commands/init.js'),
    'npx creatio-sso init',
  );
  init
    .option('--config <file>', 'config file to write', 'creatio-sso.yaml')
    .option('--offline', 'skip the live lookup of the discovery document')
    .option('--non-interactive', 'never prompt: take every value from flags and environment variables')
    .option('--jit-employees', 'create employees at their first SSO sign-in (Just-In-Time provisioning)')
    .option('--jit-external-users', 'create external users at their first SSO sign-in')
    .option('--mobile-sso', 'sign in to the Creatio mobile app with SSO too');
  addInputOptions(init);
  addSecretOptions(init);
  addWriteOptions(init);

  const generate = cmd(
    'generate',
    'render the artifacts from a config file, no prompts',
    () => import('./commands/generate.js'),
    'creatio-sso generate --config creatio-sso.yaml --out-dir creatio-sso',
  );
  generate
    .option('--config <file>', 'config file (default: creatio-sso.yaml/.yml/.json here)')
    .option('--offline', 'skip the live checks')
    .option('--strict', 'fail on warnings too');
  addInputOptions(generate);
  addSecretOptions(generate);
  addWriteOptions(generate);

  const urls = cmd(
    'urls',
    'print the URLs derived from a user pool, its domain and the Creatio site',
    () => import('./commands/urls.js'),
    'creatio-sso urls --user-pool-id eu-west-1_AbCdEf123 --domain acme-login --json',
  );
  addInputOptions(urls, ['userPoolId', 'region', 'domain', 'creatioUrl']).option('--json', 'print one JSON object');

  const validate = cmd(
    'validate',
    'check config files offline (and live with --online); the CI gate',
    () => import('./commands/validate.js'),
    'creatio-sso validate --format github envs/*.yaml',
  );
  validate
    .argument('[files...]', 'config files (default: creatio-sso.yaml/.yml/.json here)')
    .option('--online', 'also check the discovery document and JWKS live');
  addFormatOptions(validate);

  const doctor = cmd(
    'doctor',
    'every offline and live check, plus probes of the hosted UI (no browser)',
    () => import('./commands/doctor.js'),
    'creatio-sso doctor --config creatio-sso.yaml',
  );
  doctor.option('--config <file>', 'config file (default: creatio-sso.yaml/.yml/.json here)');
  addFormatOptions(doctor);
  addInputOptions(doctor);
  addSecretOptions(doctor);

  return program;
}

export interface MainIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where SIGINT, SIGTERM and SIGHUP come from: the process by default, an EventEmitter in tests. */
  signals?: SignalSource;
  /** The writer's file system (default node:fs/promises): tests make a call fail or wait. */
  fs?: WriterFs;
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
  // Until a command runs (usage errors, --help), output is plain: no colour library is loaded for it.
  let output: Output = createOutput({
    color: false,
    verbose: io.argv.includes('--verbose'),
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
  });

  const program = buildProgram(async (load, opts) => {
    output = createOutput(
      await loadChalkFor({
        color: opts.color !== false,
        verbose: Boolean(opts.verbose),
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
      }),
    );
    const ctx: Context = {
      output,
      env: io.env,
      cwd: io.cwd,
      stdin: io.stdin,
      interactive: isInteractive(opts, { stdinIsTTY: Boolean(io.stdin.isTTY), stdoutIsTTY: Boolean(io.stdout.isTTY) }, io.env),
      timeoutMs: opts.timeout as number,
      verbose: Boolean(opts.verbose),
      stdout: io.stdout,
      stderr: io.stderr,
      signal,
      ...(io.fs ? { fs: io.fs } : {}),
    };
    const { run } = await load();
    await run(opts, ctx);
  });
  // Subcommands copied the output settings when they were declared: set them on each, so their help
  // and usage errors go to io's streams too, not to process.stdout (in-process runs, tests).
  for (const c of [program, ...program.commands]) {
    c.configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(output.errColor.red(s)),
    });
  }

  try {
    await settled(program.parseAsync(io.argv), signal);
    // The work was done before the command saw the signal: say so, and still exit as stopped.
    if (signal.aborted) return exitCodeOf(stoppedLate(cancellation(signal)), output);
    return ExitCode.ok;
  } catch (e) {
    // Stopped: whatever the command threw on its way out, the signal is why it ended.
    return exitCodeOf(signal.aborted && !(e instanceof CancelledError) ? cancellation(signal) : e, output);
  }
}

/** Settle like `work`; once `signal` aborts, reject with its reason if `work` has not settled within STOP_GRACE_MS. */
function settled(work: Promise<unknown>, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => (timer = setTimeout(() => reject(cancellation(signal)), STOP_GRACE_MS));
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

function exitCodeOf(e: unknown, output: Output): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.ok;
    // `creatio-sso help` asks for help (0); a bare `creatio-sso` gets help as an error (2).
    if (e.code === 'commander.help') return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (e.code === 'commander.executeSubCommandAsync') return e.exitCode;
    return ExitCode.usage;
  }
  if (e instanceof ExitError) {
    if (!e.silent) output.err(`${wrapProse(`${prefix(e, output)}${e.message}`, output.errColumns, 2)}\n`);
    // An expected outcome: --verbose adds the underlying cause (the socket's error, say), never a stack.
    if (output.verbose)
      for (const cause of causesOf(e)) output.err(`${output.errColor.dim(wrapProse(`  cause: ${cause}`, output.errColumns, 4))}\n`);
    return e.exitCode;
  }
  // A bug, not a user's mistake: say so, and show the stack only with --verbose.
  const err = e instanceof Error ? e : new Error(String(e));
  output.err(`${output.errColor.red('Unexpected error:')} ${err.message}\n`);
  output.err(output.verbose ? `${err.stack}\n` : 'Run again with --verbose for details, and report it with that output.\n');
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
