'use strict';
// Loads the bundles of the build (dist/creatio-sso.cjs and dist/vendor/*.cjs, written by
// scripts/bundle.mjs) with a V8 code cache each, when the build made one for this Node.
//
// Node 20 caches no compiled code between runs (module.enableCompileCache came in Node 22.1): every run
// parses and compiles the CLI, yaml and undici again, which is most of what a one-file `validate` costs.
// scripts/code-cache.cjs runs the commands once at build time and saves what V8 compiled
// (vm.Script#createCachedData); here V8 takes it back. A cache belongs to one text: its first 16 bytes
// are the build hash of the bundle it was made from (`/* build <hash> */`, its first line), and V8 itself
// refuses a cache from another V8 version, other flags or of another length (a truncated copy) — either
// way the bundle is just compiled, as without a cache. V8 does not check a cache's bytes (in a release
// build): a cache altered byte by byte would abort the process. That is left to the package's integrity
// (npm checks the tarball's hash at install; the build writes each cache whole, by rename), as it is for
// the bundles themselves: a digest checked here cost ~6 ms a run (loading node:crypto), a tenth of a
// one-file validate. The caches are code of the package, read from the package's own folder, like the
// bundles beside them.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

const DIST = path.join(__dirname, '..', 'dist');
const BUILD = /^\/\* build ([0-9a-f]{16}) \*\//;
/** @type {Map<string, { exports: unknown, script: import('node:vm').Script, build: string | undefined, cache: string, cacheRejected: boolean | undefined }>} */
const loaded = new Map();

const cacheFileOf = (file) => `${file}.v8cache`;

function load(file) {
  const known = loaded.get(file);
  if (known) return known.exports;
  const source = fs.readFileSync(file, 'utf8');
  const build = BUILD.exec(source)?.[1];
  const cache = cacheFileOf(file);
  let cachedData;
  if (build) {
    try {
      const bytes = fs.readFileSync(cache);
      if (bytes.subarray(0, 16).toString('latin1') === build) cachedData = bytes.subarray(16);
    } catch {
      // No cache for this bundle: compile it.
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const entry = { exports: undefined, script, build, cache, cacheRejected: cachedData ? script.cachedDataRejected : undefined };
  loaded.set(file, entry);
  const base = createRequire(file);
  // The bundle's own vendor files load the same way (and once); everything else as Node loads it.
  const req = (id) => (id.startsWith('./vendor/') ? vendor(path.join(path.dirname(file), id)) : base(id));
  req.resolve = base.resolve;
  req.cache = base.cache;
  const m = { exports: {}, id: file, filename: file, loaded: false, require: req };
  script.runInThisContext()(m.exports, req, m, file, path.dirname(file));
  m.loaded = true;
  entry.exports = m.exports;
  return m.exports;
}

/**
 * A vendor bundle. undici parses HTTP with a WebAssembly module: V8 compiles it quickly (Liftoff), then
 * recompiles it optimised on a background thread, and Node waits for that thread before the process can
 * end: 0.2–0.4 s after `doctor`'s report on a loaded machine, for a parser that reads a few small
 * answers. Liftoff alone ends the run as soon as the report is out (bench/RESULTS.md). The flag is set
 * here, not at start: V8 ties a code cache to the flags it was made with, and the commands that make no
 * request (validate, urls) then need neither the flag nor node:v8, which costs ~3 ms to load.
 */
function vendor(file) {
  if (path.basename(file) === 'undici.cjs' && !loaded.has(file)) require('node:v8').setFlagsFromString('--liftoff-only');
  return load(file);
}

/** The CLI bundle's exports: `start()` runs the process, `main(io)` one command. */
function cli() {
  const file = path.join(DIST, 'creatio-sso.cjs');
  if (!loaded.has(file) && !fs.existsSync(file)) {
    // A clone that was never built (npm ci builds it): say so instead of a stack trace.
    process.stderr.write(`✖ ${file} is missing: this copy of creatio-sso is not built. Run npm run build (npm ci does it).\n`);
    process.exit(1);
  }
  return load(file);
}

/**
 * Write a code cache for every bundle loaded since the last call (scripts/code-cache.cjs, at build
 * time). A cache holds the flags of the moment it is written: the CLI's and yaml's before undici loads
 * (without --liftoff-only), undici's after.
 */
const written = new Set();
function writeCaches() {
  const now = [];
  for (const [file, { script, build, cache }] of loaded) {
    if (!build || written.has(file)) continue;
    written.add(file);
    const tmp = `${cache}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(build, 'latin1'), script.createCachedData()]));
    fs.renameSync(tmp, cache);
    now.push(path.relative(DIST, file));
  }
  return now;
}

/** Which bundles loaded, and whether V8 took their caches (undefined: there was none). */
const status = () => [...loaded].map(([file, e]) => ({ file: path.relative(DIST, file), cacheRejected: e.cacheRejected }));

/** A vendor bundle by name (`yaml`, `jose`, …): scripts/code-cache.cjs loads the ones its warm-up does not reach. */
const vendorBundle = (name) => vendor(path.join(DIST, 'vendor', `${name}.cjs`));

module.exports = { cli, vendorBundle, writeCaches, status };
