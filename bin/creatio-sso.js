#!/usr/bin/env node
'use strict';
// CommonJS on purpose (see bin/package.json): the commonest probes of a CLI, `--version` and `--help`,
// answer from two small files without loading the CLI. dist/help.json is rendered from the CLI itself
// at build time (scripts/gen-help.mjs); everything else loads the ES module build.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const isHelp = (a) => a === '--help' || a === '-h';
const read = (file) => readFileSync(path.join(__dirname, file), 'utf8');

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

/**
 * `yaml` as one file (dist/vendor/yaml.cjs, written at build time from the installed package): its 74
 * files cost ~40% more to load one by one. The bundle takes the package's place in the module cache, so
 * the CLI's `import … from 'yaml'` gets it; it loads only when something imports `yaml` (`urls` does not).
 */
function preloadYaml() {
  try {
    const bundle = path.join(__dirname, '..', 'dist', 'vendor', 'yaml.cjs');
    const filename = require.resolve('yaml');
    if (require.cache[filename] || !require('node:fs').existsSync(bundle)) return;
    const Module = require('node:module');
    const entry = new Module(filename, module);
    entry.filename = filename;
    entry.paths = Module._nodeModulePaths(path.dirname(filename));
    let exports;
    Object.defineProperty(entry, 'exports', {
      get: () => (exports ??= require(bundle)),
      set: (value) => {
        exports = value;
      },
      configurable: true,
      enumerable: true,
    });
    entry.loaded = true;
    require.cache[filename] = entry;
  } catch {
    // No bundle: `yaml` loads as installed.
  }
}

const text = prebuilt();
if (text !== undefined) {
  process.stdout.write(text);
} else {
  // Node 22.1+ caches compiled code between runs; on Node 20 (this function does not exist there)
  // nothing is cached, and start-up time comes from loading less.
  require('node:module').enableCompileCache?.();
  preloadYaml();
  import('../dist/main.js');
}
