// Writes dist/vendor/<name>.cjs for `yaml` and `undici`: each package's CommonJS files (74 and 111 of
// them) as one file, with the package's licence. One file loads much faster than a hundred (resolving,
// reading and compiling each costs more than its code); bin/creatio-sso.js hands each bundle to the CLI
// in place of the package through the module cache, so it loads only when something imports the
// package. Same code, same version: the one installed at build time. Run by `npm run build`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = ['yaml', 'undici'];
const require = createRequire(import.meta.url);
const REQUIRE = /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g;

for (const name of PACKAGES) pack(name);

function pack(name) {
  const entry = require.resolve(name); // the "require"/"node" export: CommonJS
  const root = packageRoot(entry);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const licence = readFileSync(path.join(root, 'LICENSE'), 'utf8');
  const id = (file) => path.relative(root, file).split(path.sep).join('/');

  // Every file reachable through a relative require, each resolved the way Node resolves it.
  const modules = new Map();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop();
    if (modules.has(id(file))) continue;
    const source = readFileSync(file, 'utf8');
    const links = {};
    for (const [, , spec] of source.matchAll(REQUIRE)) {
      if (!spec.startsWith('.')) {
        if (!spec.startsWith('node:') && !builtinModules.includes(spec)) throw new Error(`${name}: ${id(file)} requires ${spec}`);
        continue;
      }
      const target = createRequire(file).resolve(spec);
      links[spec] = id(target);
      queue.push(target);
    }
    modules.set(id(file), { source: file.endsWith('.json') ? `module.exports = ${source};` : source, links });
  }

  const body = [...modules]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([key, m]) =>
        `${JSON.stringify(key)}: [${JSON.stringify(m.links)}, function (exports, require, module, __filename, __dirname) {\n${m.source}\n}],`,
    )
    .join('\n');

  const out = fileURLToPath(new URL(`../dist/vendor/${name}.cjs`, import.meta.url));
  const source = `/*
 * ${name} ${pkg.version} (${pkg.homepage ?? pkg.repository?.url ?? 'npm'}): its ${modules.size} CommonJS files as one file
 * for a faster start (scripts/pack-deps.mjs). Licence:
 *
${licence
  .trim()
  .split('\n')
  .map((l) => ` * ${l.replaceAll('*/', '* /')}`.trimEnd())
  .join('\n')}
 */
'use strict';
const modules = {
${body}
};
const loaded = Object.create(null);
function load(id) {
  if (loaded[id]) return loaded[id].exports;
  const [links, fn] = modules[id];
  const module = (loaded[id] = { exports: {}, loaded: false });
  const local = (spec) => (spec in links ? load(links[spec]) : require(spec));
  fn.call(module.exports, module.exports, local, module, __filename, __dirname);
  module.loaded = true;
  return module.exports;
}
module.exports = load(${JSON.stringify(id(entry))});
`;
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, source);
  console.log(`wrote ${path.relative(process.cwd(), out)} (${name} ${pkg.version}, ${modules.size} files)`);
}

function packageRoot(file) {
  let dir = path.dirname(file);
  while (!readJson(path.join(dir, 'package.json'))?.name) dir = path.dirname(dir);
  return dir;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
