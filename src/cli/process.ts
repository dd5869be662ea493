import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { main } from './run.js';

// main(io), exported by the bundle's entry too: the tests run the built CLI's main in-process (test/support/cli.ts).
export { main };

/** process.stderr, built on first use; a failure to write it is ignored: there is nowhere left to say it. */
let stderrStream: NodeJS.WriteStream | undefined;
function stderr(): NodeJS.WriteStream {
  if (!stderrStream) {
    stderrStream = process.stderr;
    stderrStream.on('error', () => {});
  }
  return stderrStream;
}

/**
 * The process around main(io): its streams and its exit code. bin/creatio-sso.js calls it from the bundle
 * (dist/bundle/creatio-sso.cjs), after answering --version and --help itself; nothing else touches `process`.
 *
 * `creatio-sso … | head` closes the pipe early: that is the reader's choice, not a crash. Later writes
 * are dropped and the command still finishes, so the exit code stays the verdict (a CI gate piping
 * `validate` into `head` still fails on errors).
 * Any other failure to write stdout (`> /dev/full`: ENOSPC, a read-only or vanished file: EIO) means
 * the results are lost: say so on stderr and exit 1. When stderr itself fails there is nowhere to say it.
 */
/**
 * Whether stderr is a terminal, without building process.stderr: a pipe, a socket or a file (fstat) is
 * not; a character device may be (node:tty, which loads node:net, is asked only then). A closed fd 2 is not.
 */
function stderrIsTTY(): boolean {
  try {
    if (!fstatSync(2).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(2);
}

export async function start(): Promise<void> {
  let stdoutFailed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || stdoutFailed) return;
    stdoutFailed = true;
    const why = e.code === 'ENOSPC' ? 'no space left on the device' : e.message.replace(/^[A-Z]+: /, '');
    stderr().write(`✖ Could not write the results to standard output: ${why} (${e.code ?? 'error'}). The output is incomplete.\n`);
    if (!process.exitCode) process.exitCode = 1;
  });

  // A folder removed under a shell that is still in it (a cleaned CI workspace): no cwd to resolve paths from.
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch (e) {
    stderr().write(
      `✖ The current folder no longer exists (${(e as NodeJS.ErrnoException).code ?? 'error'}): change to an existing folder and run again.\n`,
    );
    process.exitCode = 1;
    return;
  }
  let stdinBuilt = false;
  const code = await main({
    argv: process.argv,
    env: process.env,
    cwd,
    // Node builds process.stdin on first access (a stream, ~3 ms): only the commands that read it pay.
    get stdin() {
      stdinBuilt = true;
      return process.stdin;
    },
    stdout: process.stdout,
    // Built when first written to (a socket when stderr is a pipe): a run that succeeds quietly never does.
    get stderr() {
      return stderr();
    },
    stderrIsTTY: stderrIsTTY(),
    ...testStopGrace(process.env),
  });
  process.exitCode = stdoutFailed && code === 0 ? 1 : code;
  // The run is over: a read of stdin that a stop signal abandoned (main waited STOP_GRACE_MS for it) ends
  // here. Nothing reads stdin after main().
  if (stdinBuilt) process.stdin.destroy();
  // End the process once the output is written, even if a socket or timer would keep it alive, and not
  // after Node has freed everything the run built (~3 ms more that tell nobody anything). A reader that is
  // slow to read (a pager) is waited for, however long, as for any write. First stdout: a failure to write
  // it is reported on stderr the turn after its write's callback (the 'error' event follows the callbacks),
  // so stderr, built by then if anything was said, is waited for after that turn.
  await written(process.stdout);
  await new Promise((resolve) => setImmediate(resolve));
  if (stderrStream) await written(stderrStream);
  process.exit();
}

/** Settles when everything written to the stream so far has left the process (or cannot). */
function written(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) resolve();
    else stream.write('', () => resolve());
  });
}

/**
 * The test suite's stop grace for a spawned CLI (CREATIO_SSO_TEST_STOP_GRACE_MS, read only with
 * CREATIO_SSO_TEST=1): a test of the built CLI's grace need not wait the real 2 s.
 */
function testStopGrace(env: NodeJS.ProcessEnv): { stopGraceMs?: number } {
  const ms = env.CREATIO_SSO_TEST === '1' ? Number(env.CREATIO_SSO_TEST_STOP_GRACE_MS) : NaN;
  return Number.isFinite(ms) && ms >= 0 ? { stopGraceMs: ms } : {};
}
