import { main } from './cli.js';

// `creatio-sso … | head` closes the pipe early: that is the reader's choice, not a crash. Later writes
// are dropped and the command still finishes, so the exit code stays the verdict (a CI gate piping
// `validate` into `head` still fails on errors).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

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
