// Bundles the build for the command line (run by `npm run build`, after tsc):
//   dist/creatio-sso.cjs      the CLI: our modules, chalk, eta and the spinner, one file
//   dist/vendor/commander.cjs commander (every run but a plain validate: src/validate-argv.ts)
//   dist/vendor/yaml.cjs      yaml (the commands that read a config)
//   dist/vendor/undici.cjs    undici's dispatchers (the commands that make requests)
//   dist/vendor/zod.cjs       zod (to word what is wrong with a config that breaks the schema)
//   dist/vendor/prompts.cjs   @inquirer/prompts (init's wizard: the first question comes sooner)
//   dist/vendor/jose.cjs      jose (doctor --login verifies the ID token)
// Node resolves, reads and compiles each of a hundred small modules one by one, and that is most of what
// a short run costs; one file per part is read once. Everything a command does not use stays unevaluated
// (esbuild wraps modules reached through `import()` in lazy initialisers) or in a file that is not read.
// The AWS SDK (plan, apply, doctor's AWS section) stays in node_modules and loads from there when needed. dist/*.js (tsc's output) stays the library
// (package.json "exports") and the source of this bundle.
// Each file starts with `/* build <hash> */`: bin/load.js uses it to tie a V8 code cache to the exact
// text it was made from (scripts/code-cache.cjs writes them, after this script).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
// Loaded from node_modules, and only by the commands that use them.
const EXTERNAL = ['@aws-sdk/*', '@smithy/*', 'https-proxy-agent', 'wrap-ansi'];

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  write: false,
  logLevel: 'warning',
  legalComments: 'inline',
  // Whitespace and syntax only (names stay, so a --verbose stack trace still names its functions): a
  // smaller text is read sooner, and its code cache is a third smaller (V8 keeps source positions).
  minifyWhitespace: true,
  minifySyntax: true,
  // `import()` as require(): the bundle runs as a CommonJS function (bin/load.js), and require() takes
  // ES modules on Node ≥ 20.19 (package.json engines).
  supported: { 'dynamic-import': false },
};

/**
 * The vendor bundles: each replaces the package the CLI imports (`replaces`) with what the CLI takes
 * from it (`entry`). undici: the two dispatchers and their request() (src/net/http.ts), installed on
 * Dispatcher.prototype as undici's own index.js does; its index also loads fetch, WebSocket, cookies, the
 * cache and the mocks, and through them Node's own copy of undici: ~40 ms that doctor does not use.
 */
const VENDOR = {
  commander: { replaces: '@commander-js/extra-typings', entry: "module.exports = require('@commander-js/extra-typings');" },
  yaml: { replaces: 'yaml', entry: "module.exports = require('yaml');" },
  zod: { replaces: 'zod', entry: "module.exports = require('zod');" },
  prompts: { replaces: '@inquirer/prompts', entry: "module.exports = require('@inquirer/prompts');" },
  jose: { replaces: 'jose', entry: "module.exports = require('jose');" },
  undici: {
    replaces: 'undici',
    entry: `const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(Dispatcher.prototype, require('undici/lib/api'));
module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent'),
};`,
  },
};

const vendorPlugin = {
  name: 'vendor',
  setup(build) {
    for (const [name, { replaces }] of Object.entries(VENDOR)) {
      const filter = new RegExp(`^${replaces.replace(/[/.]/g, '\\$&')}$`);
      build.onResolve({ filter }, () => ({ path: `./vendor/${name}.cjs`, external: true }));
    }
  },
};

const outputs = [];
const main = await esbuild.build({
  ...common,
  stdin: {
    contents: "export { start } from './dist/main.js';\nexport { main } from './dist/cli.js';\n",
    resolveDir: root,
    sourcefile: 'creatio-sso-entry.js',
  },
  outfile: path.join(root, 'dist', 'creatio-sso.cjs'),
  external: EXTERNAL,
  plugins: [vendorPlugin],
  // The two modules that find files beside the package (templates/, package.json) do it from
  // import.meta.url; the bundle sits in dist/ as they do, so the same relative paths hold.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
outputs.push(...main.outputFiles);

for (const [name, { replaces, entry }] of Object.entries(VENDOR)) {
  const pkg = packageJson(replaces);
  const r = await esbuild.build({
    ...common,
    stdin: { contents: entry, resolveDir: root, sourcefile: `${name}-entry.cjs` },
    outfile: path.join(root, 'dist', 'vendor', `${name}.cjs`),
    banner: {
      js: `// ${replaces} ${pkg.version} and what it requires (${pkg.license} licence: node_modules/${replaces}/), bundled by scripts/bundle.mjs.`,
    },
  });
  outputs.push(...r.outputFiles);
}

mkdirSync(path.join(root, 'dist', 'vendor'), { recursive: true });
for (const file of outputs) {
  const hash = createHash('sha256').update(file.contents).digest('hex').slice(0, 16);
  writeFileSync(file.path, `/* build ${hash} */\n${file.text}`);
  console.log(`wrote ${path.relative(root, file.path)} (${Math.round(file.contents.length / 1024)} KiB)`);
}

/** A package's package.json (some, commander among them, do not export it): up from its entry file. */
function packageJson(name) {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg;
    } catch {
      // Not here: one level up.
    }
  }
  throw new Error(`no package.json for ${name}`);
}
