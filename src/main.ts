import { main } from './cli.js';

// `creatio-sso … | head` closes the pipe early: that is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

/** Process entry: run the CLI with the real process, then set the exit code. */
const code = await main({
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;
// Let pending output flush; end the process even if a socket or timer would keep it alive.
setTimeout(() => process.exit(code), 2000).unref();
