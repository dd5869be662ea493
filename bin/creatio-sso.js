#!/usr/bin/env node
'use strict';
// CommonJS on purpose (see bin/package.json): the commonest probes of a CLI, `--version` and `--help`,
// answer from two small files without loading the CLI. dist/help.json is rendered from the CLI itself
// at build time (scripts/gen-help.mjs); everything else loads the bundle (bin/load.js).
const { readFileSync, realpathSync } = require('node:fs');
const path = require('node:path');

// The package's own folder, also when this file is reached through a symlink (npm link, a global bin)
// and Node keeps the link's path (--preserve-symlinks-main).
const here = path.dirname(realpathSync(__filename));

const args = process.argv.slice(2);
const isHelp = (a) => a === '--help' || a === '-h';
const read = (file) => readFileSync(path.join(here, file), 'utf8');

function prebuilt() {
  try {
    if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return `${JSON.parse(read('../package.json')).version}\n`;
    if ((args.length === 1 && (isHelp(args[0]) || args[0] === 'help')) || (args.length === 2 && (isHelp(args[1]) || args[0] === 'help'))) {
      const command = args.length === 1 ? '' : args[0] === 'help' ? args[1] : args[0];
      const text = JSON.parse(read('../dist/help.json'))[command];
      return typeof text === 'string' ? text : undefined;
    }
  } catch {
    // No prebuilt answer: the CLI itself answers.
  }
  return undefined;
}

const text = prebuilt();
if (text !== undefined) {
  process.stdout.write(text);
} else {
  // The CLI as one bundle with a V8 code cache (bin/load.js, scripts/bundle.mjs).
  require(path.join(here, 'load.js')).cli().start();
}
