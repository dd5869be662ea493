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

/**
 * Our code's static imports of Node's own modules, read with process.getBuiltinModule (Node ≥ 22.3) as
 * require() would: an ES `import … from 'node:fs'` makes Node build the module's ES facade, which reads
 * every export once, and node:fs's lazy ones (ReadStream, promises, Utf8Stream) load ~25 more modules
 * (streams, readline, fs/promises) that a validate never uses. The libraries inside keep their require().
 */
function builtinsWithoutFacades(source, file) {
  return source.replace(/^import (.+) from '(node:[a-z_/0-9]+)';$/gm, (line, what, id) => {
    const get = `process.getBuiltinModule('${id}')`;
    const named = /^\{([^}]*)\}$/.exec(what);
    if (named) return `const {${named[1].replace(/\b(\w+) as (\w+)\b/g, '$1: $2')}} = ${get};`;
    const whole = /^(?:\* as )?([\w$]+)$/.exec(what);
    if (whole) return `const ${whole[1]} = ${get};`;
    throw new Error(`scripts/bundle.mjs: ${file}: cannot read "${line}"`);
  });
}

/**
 * Library lines that load a Node module no run of this tool uses, each made to load it on first use instead
 * (same behaviour, the module loads only if the code path runs): commander's child_process (~20 Node modules
 * with dgram, for executable subcommands, which the CLI does not declare), and undici's HTTP/2 client, whose
 * node:http2 loads fs/promises, readline and the REPL's history (a connection is HTTP/2 only with `allowH2`,
 * which src/net/http.ts never sets).
 */
const LAZY_REQUIRES = [
  {
    file: /[/\\]node_modules[/\\]commander[/\\]lib[/\\]command\.js$/,
    line: "const childProcess = require('node:child_process');",
    lazy: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  },
  {
    file: /[/\\]node_modules[/\\]undici[/\\]lib[/\\]dispatcher[/\\]client\.js$/,
    line: "const connectH2 = require('./client-h2.js')",
    lazy: "const connectH2 = (...args) => require('./client-h2.js')(...args)",
  },
];

const plugin = {
  name: 'creatio-sso',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici-slim', namespace: 'slim' }));
    build.onLoad({ filter: /.*/, namespace: 'slim' }, () => ({ contents: SLIM_UNDICI, resolveDir: root, loader: 'js' }));
    // yaml's ES module build (the package's "default" export, the same code as its CommonJS "node" build):
    // esbuild joins its modules into one scope instead of wrapping each of its ~70 files in a function that
    // is compiled again on every run (Node's compile cache keeps only what ran before a module was cached),
    // and leaves out what no import uses. What differs from the CommonJS build: log.js warns through
    // console.warn instead of process.emitWarning, from `parse()` only, which this tool does not call
    // (parseDocument returns the warnings); and the LOG_TOKENS / LOG_STREAM variables, yaml's own debugging
    // aids, print nothing (the CommonJS build printed its tokens to stdout, into a --format json report).
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: path.join(root, 'node_modules', 'yaml', 'browser', 'index.js') }));
    for (const { file, line, lazy } of LAZY_REQUIRES)
      build.onLoad({ filter: file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(line)) throw new Error(`scripts/bundle.mjs: "${line}" not found in ${args.path}`);
        return { contents: source.replace(line, lazy), loader: 'js' };
      });
    build.onLoad({ filter: /[/\\]dist[/\\].*\.js$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let source = builtinsWithoutFacades(readFileSync(args.path, 'utf8'), args.path);
      // The banner's import.meta.url (below) is right only for a module one folder deep in dist/: say so at
      // build time rather than ship a bundle that looks for package.json or templates/ in the wrong place.
      if (source.includes('import.meta.url') && path.relative(path.join(root, 'dist'), args.path).split(path.sep).length !== 2)
        throw new Error(`scripts/bundle.mjs: ${args.path} uses import.meta.url but is not one folder deep in dist/`);
      // wrap-ansi is loaded on first use, synchronously, through createRequire (src/io/output.ts), which
      // esbuild does not follow: a plain require() inside the bundle initialises the bundled copy instead.
      if (/[/\\]dist[/\\]io[/\\]output\.js$/.test(args.path)) {
        const call = "createRequire(import.meta.url)('wrap-ansi')";
        if (!source.includes(call)) throw new Error(`scripts/bundle.mjs: ${call} not found in dist/io/output.js`);
        source = source.replace(call, "require('wrap-ansi')");
      }
      return { contents: source, loader: 'js' };
    });
  },
};

// The CommonJS libraries inside call require() for Node's own modules; and the modules that find files
// beside the package (package.json, templates/, dist/help.json) do it from import.meta.url, as if they
// were in a folder of dist/ (where tsc puts them, dist/<folder>/<file>.js): every such module sits one
// folder deep in src/ (src/cli/, src/io/), so one URL serves them all (the plugin refuses one that does not).
const banner = [
  "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);",
  "const __distUrl = new URL('../cli/process.js', import.meta.url).href;",
].join('\n');

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  // The CLI, and the library (package.json "exports": the pure core, with the types tsc wrote in dist/).
  entryPoints: { 'creatio-sso': path.join(root, 'dist', 'cli', 'process.js'), index: path.join(root, 'dist', 'index.js') },
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
  banner: { js: banner },
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

// The banner where it is used: the file of esbuild's runtime (whose __require the libraries inside call),
// and the files that find something beside the package (__distUrl). Elsewhere it would only cost each
// file a createRequire() and a URL parse when it loads (a validate loads ~20 files).
const BANNER_LINES = banner.split('\n');
for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
  const source = readFileSync(file, 'utf8');
  if (!source.startsWith(banner)) throw new Error(`scripts/bundle.mjs: ${file} does not start with the banner`);
  const body = source.slice(banner.length);
  const usesRequire = /(^|[^\w$.])require\b/.test(body);
  const usesDistUrl = /\b__distUrl\b/.test(body);
  const head = [...(usesRequire ? [BANNER_LINES[0]] : []), ...(usesDistUrl ? [BANNER_LINES[1]] : [])];
  writeFileSync(file, head.length ? `${head.join('\n')}${body}` : body.replace(/^\n/, ''));
}

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
