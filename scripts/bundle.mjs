// Bundles the build for the command line (run by `npm run build`, after tsc): dist/bundle/creatio-sso.js,
// an ES module loaded by bin/creatio-sso.js with a plain import, and the chunks it imports lazily
// (dist/bundle/chunk-*.js): esbuild makes one of every `import()` of a command module or of a heavy library
// (undici, zod, the prompts, jose, …), so a command reads and compiles only what it runs. Node's compile
// cache (module.enableCompileCache, in the bin) keeps the compiled code of each file between runs.
// Every library is inside the bundle (they are devDependencies) except the AWS SDK (@aws-sdk/*,
// @smithy/*), which stays a dependency and loads from node_modules in the commands that use it.
// dist/bundle/index.js is the library (package.json "exports"), with the types tsc wrote (dist/*.d.ts);
// dist/*.js, tsc's output, is the source of both.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist', 'bundle');

/**
 * undici's dispatchers and their request() (src/net/http.ts), installed on Dispatcher.prototype as
 * undici's own index.js does: its index also loads fetch, WebSocket, cookies, the cache and the mocks,
 * and through them Node's own copy of undici, which doctor does not use.
 */
const SLIM_UNDICI = `import Dispatcher from 'undici/lib/dispatcher/dispatcher';
import api from 'undici/lib/api';
import Agent from 'undici/lib/dispatcher/agent';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent';
Object.assign(Dispatcher.prototype, api);
export { Agent, EnvHttpProxyAgent };`;

const plugin = {
  name: 'creatio-sso',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici-slim', namespace: 'slim' }));
    build.onLoad({ filter: /.*/, namespace: 'slim' }, () => ({ contents: SLIM_UNDICI, resolveDir: root, loader: 'js' }));
    // wrap-ansi is loaded on first use, synchronously, through createRequire (src/io/output.ts), which
    // esbuild does not follow: a plain require() inside the bundle initialises the bundled copy instead.
    build.onLoad({ filter: /[/\\]dist[/\\]io[/\\]output\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const call = "createRequire(import.meta.url)('wrap-ansi')";
      if (!source.includes(call)) throw new Error(`scripts/bundle.mjs: ${call} not found in dist/io/output.js`);
      return { contents: source.replace(call, "require('wrap-ansi')"), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  // The CLI, and the library (package.json "exports": the pure core, with the types tsc wrote in dist/).
  entryPoints: { 'creatio-sso': path.join(root, 'dist', 'main.js'), index: path.join(root, 'dist', 'index.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  logLevel: 'warning',
  legalComments: 'inline',
  metafile: true,
  // Whitespace and syntax only: names stay, so a --verbose stack trace still names its functions.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['@aws-sdk/*', '@smithy/*'],
  plugins: [plugin],
  // The CommonJS libraries inside call require() for Node's own modules; and the modules that find files
  // beside the package (package.json, templates/, dist/help.json) do it from import.meta.url, as if they
  // were in dist/ (where tsc puts them): one level up from every file of the bundle.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);\nconst __distUrl = new URL('../main.js', import.meta.url).href;",
  },
  define: { 'import.meta.url': '__distUrl' },
});

// Which packages each file of the bundle holds (test/cli/loaded-modules.test.ts tells from it what a command
// loaded); not shipped (package.json "files").
const packages = {};
for (const [file, { bytes, inputs }] of Object.entries(result.metafile.outputs)) {
  const names = new Set(
    Object.keys(inputs).map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1] ?? (i.startsWith('dist/') ? '.' : i)),
  );
  packages[path.basename(file)] = [...names].sort();
  console.log(`wrote ${file} (${Math.round(bytes / 1024)} KiB)`);
}
writeFileSync(path.join(root, 'dist', 'bundle-packages.json'), `${JSON.stringify(packages, null, 1)}\n`);

// The licences of the libraries inside the bundle, shipped beside it.
const bundled = [...new Set(Object.values(packages).flat())]
  .filter((p) => existsSync(path.join(root, 'node_modules', p, 'package.json')))
  .sort();
const notices = bundled.map((name) => {
  const dir = path.join(root, 'node_modules', name);
  const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  return `${name} ${version} (${license})\n\n${file ? readFileSync(path.join(dir, file), 'utf8').trim() : '(no licence file in the package)'}\n`;
});
writeFileSync(
  path.join(outdir, 'THIRD-PARTY-LICENSES.txt'),
  `Libraries bundled into dist/bundle/ by scripts/bundle.mjs.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);
