import { main } from './cli.js';

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
