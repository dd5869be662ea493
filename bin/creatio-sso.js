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
 * `yaml` and `undici` as one file each (dist/vendor/*.cjs, written at build time from the installed
 * packages by scripts/pack-deps.mjs): loading their 72 and 112 files one by one costs far more. Each
 * bundle takes its package's place in the module cache, so the CLI's `import … from 'yaml'` gets it;
 * it loads only when something imports the package (`urls` loads neither).
 */
function preloadBundles() {
  const Module = require('node:module');
  for (const name of ['yaml', 'undici']) {
    try {
      const bundle = path.join(__dirname, '..', 'dist', 'vendor', `${name}.cjs`);
      const filename = require.resolve(name);
      if (require.cache[filename] || !require('node:fs').existsSync(bundle)) continue;
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
      // No bundle: the package loads as installed.
    }
  }
}

const text = prebuilt();
if (text !== undefined) {
  process.stdout.write(text);
} else {
  // Node 22.1+ caches compiled code between runs; on Node 20 (this function does not exist there)
  // nothing is cached, and start-up time comes from loading less.
  require('node:module').enableCompileCache?.();
  // undici parses HTTP with a WebAssembly module. V8 compiles it quickly (Liftoff), then recompiles it
  // optimised on a background thread, and Node waits for that thread before the process can end:
  // 0.2–0.4 s after `doctor`'s report on a loaded machine, for a parser that reads a few small answers.
  // Liftoff alone ends the run as soon as the report is out (bench/RESULTS.md).
  require('node:v8').setFlagsFromString('--liftoff-only');
  preloadBundles();
  import('../dist/main.js');
}
