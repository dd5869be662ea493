#!/usr/bin/env node
'use strict';
// The bin: check the Node version, answer --version and --help, enable Node's compile cache, load the built
// CLI (dist/bundle/, scripts/bundle.mjs). CommonJS (bin/package.json says so), as the CLI's files are: Node
// runs a CommonJS file without the ES module loader's resolving, linking and evaluation jobs (validate ~3 ms
// sooner than this file as an ES module, the bundle being CommonJS either way). Written so that an older
// Node still parses it and gets a message, not a crash: it reads Node's own modules
// (process.getBuiltinModule, Node >= 22.3) only after the check.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`creatio-sso needs Node.js 22.12 or newer; this is Node.js ${process.versions.node}.\n`);
  process.exit(1);
}
const { existsSync, readFileSync, realpathSync } = process.getBuiltinModule('node:fs');
const nodeModule = process.getBuiltinModule('node:module');
const path = process.getBuiltinModule('node:path');
// The package's own folder, also when this file is reached through a symlink (npm link, a global bin)
// and Node keeps the link's path (--preserve-symlinks-main).
const packageDir = path.dirname(path.dirname(realpathSync(__filename)));
const args = process.argv.slice(2);
/**
 * `--help` (of the program or of one command): from dist/help.json, which the build renders from the CLI
 * itself (scripts/gen-help.mjs; a test holds it to what the CLI prints). Undefined when there is no such
 * answer (or no dist/help.json): the CLI itself answers.
 */
function prebuiltHelp() {
  const isHelp = (a) => a === '--help' || a === '-h';
  if (!((args.length === 1 && (isHelp(args[0]) || args[0] === 'help')) || (args.length === 2 && (isHelp(args[1]) || args[0] === 'help'))))
    return undefined;
  const command = args.length === 1 ? '' : args[0] === 'help' ? args[1] : args[0];
  try {
    const text = JSON.parse(readFileSync(path.join(packageDir, 'dist', 'help.json'), 'utf8'))[command];
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}
/**
 * Write an answer of the bin's own, as the CLI writes its results: a reader that closed the pipe early
 * (`| head`) is its choice, not a crash; any other failure (a full disk) is one line on stderr and exit 1.
 */
function answer(text) {
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') return;
    const why = e.code === 'ENOSPC' ? 'no space left on the device' : e.message.replace(/^[A-Z]+: /, '');
    process.stderr.write(`✖ Could not write the results to standard output: ${why} (${e.code ?? 'error'}). The output is incomplete.\n`);
    process.exitCode = 1;
  });
  process.stdout.write(text);
}
// The commonest probes of a CLI, answered without loading it.
const help = prebuiltHelp();
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  answer(`${JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version}\n`);
} else if (help !== undefined) {
  answer(help);
} else {
  // Node keeps the code it compiled, per user and per Node version (in the system's temporary folder, or
  // NODE_COMPILE_CACHE): the next run reads it instead of compiling the bundle again.
  nodeModule.enableCompileCache();
  const entry = path.join(packageDir, 'dist', 'bundle', 'creatio-sso.cjs');
  if (!existsSync(entry)) {
    // A clone that was never built (npm ci builds it): say so instead of a stack trace.
    process.stderr.write(`✖ ${entry} is missing: this copy of creatio-sso is not built. Run npm run build (npm ci does it).\n`);
    process.exit(1);
  }
  require(entry).start();
}
