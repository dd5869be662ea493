// Bundles the build for the command line (run by `npm run build`, after tsc): dist/bundle/creatio-sso.cjs,
// loaded by bin/creatio-sso.js with a plain require, and the files it requires (lazily, for a command or a
// heavy library the run needs). CommonJS rather than ES modules: Node runs a CommonJS file without the ES
// loader's resolving, linking and evaluation jobs (validate ~8 ms sooner, doctor ~4 ms, measured in turns;
// bench/RESULTS.md). Node's compile cache (module.enableCompileCache, in the bin) keeps the compiled code of
// each file between runs.
// Every library is inside the bundle (they are devDependencies) except the AWS SDK (@aws-sdk/*,
// @smithy/*), which stays a dependency and loads from node_modules in the commands that use it.
// dist/bundle/index.js is the library (package.json "exports"), with the types tsc wrote (dist/*.d.ts);
// dist/*.js, tsc's output, is the source of both.
//
// How the CLI is cut into files (rolldown's code splitting with groups, layerOf below): a file costs ~0.5 ms
// to resolve, read and link before any of its code runs, so the two commands users run most load few of
// them: validate 3 files (esbuild's one file per set of importers made 23), doctor 5 before its first request (46).
import { createRequire, isBuiltin } from 'node:module';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown, RUNTIME_MODULE_ID } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist', 'bundle');

/**
 * undici's Agent and its request() (src/net/http.ts), installed on Dispatcher.prototype as undici's own
 * index.js does: its index also loads fetch, WebSocket, cookies, the cache and the mocks, and through them
 * Node's own copy of undici, which doctor does not use. Of undici's api only request() (stream, pipeline
 * and upgrade nothing calls); EnvHttpProxyAgent, with the proxy agents (HTTP and SOCKS5) it loads and the
 * connect() they tunnel with, on first use: src/net/http.ts makes one only when a proxy variable is set.
 * CommonJS, so the getter's require() is the bundler's lazy module initialisation.
 */
const SLIM_UNDICI_ID = '\0undici-slim';
const undiciFile = (sub) => JSON.stringify(createRequire(path.join(root, 'package.json')).resolve(`undici/lib/${sub}`));
const SLIM_UNDICI = `const Dispatcher = require(${undiciFile('dispatcher/dispatcher')});
Dispatcher.prototype.request = require(${undiciFile('api/api-request')});
module.exports = {
  Agent: require(${undiciFile('dispatcher/agent')}),
  get EnvHttpProxyAgent() {
    // ProxyAgent opens its tunnel with Dispatcher#connect.
    Dispatcher.prototype.connect = require(${undiciFile('api/api-connect')});
    return require(${undiciFile('dispatcher/env-http-proxy-agent')});
  },
};`;

/**
 * The four prompts the wizard uses (src/wizard/prompts.ts), as @inquirer/prompts exports them: the wizard
 * reads them from the module's namespace, so the bundler keeps every export of the whole package, and the
 * editor prompt brings an external editor's encodings (iconv-lite, chardet) that init never uses. A
 * module in the package's folder, so its imports resolve as the package's own do.
 */
const SLIM_PROMPTS_ID = path.join(root, 'node_modules', '@inquirer', 'prompts', 'inquirer.js');
const SLIM_PROMPTS = ['confirm', 'input', 'password', 'select'].map((p) => `export { default as ${p} } from '@inquirer/${p}';`).join('\n');

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

/** Which modules import which (static imports only), as rolldown parses them: CLI_LAYERS reads it. */
const imports = new Map();

const plugin = {
  name: 'creatio-sso',
  resolveId(source) {
    if (source === 'undici') return SLIM_UNDICI_ID;
    if (source === '@inquirer/prompts') return SLIM_PROMPTS_ID;
    // yaml's ES module build (the package's "default" export, the same code as its CommonJS "node" build):
    // joined into one scope instead of ~70 CommonJS module functions, each compiled again on every run
    // (Node's compile cache keeps only what ran before a module was cached), and without what no import
    // uses. What differs from the CommonJS build: log.js warns through console.warn instead of
    // process.emitWarning, from `parse()` only, which this tool does not call (parseDocument returns the
    // warnings); and the LOG_TOKENS / LOG_STREAM variables, yaml's own debugging aids, print nothing (the
    // CommonJS build printed its tokens to stdout, into a --format json report).
    if (source === 'yaml') return path.join(root, 'node_modules', 'yaml', 'browser', 'index.js');
    return null;
  },
  load(id) {
    if (id === SLIM_PROMPTS_ID) return { code: SLIM_PROMPTS };
    return id === SLIM_UNDICI_ID ? { code: SLIM_UNDICI, moduleSideEffects: true } : null;
  },
  transform(code, id) {
    for (const { file, line, lazy } of LAZY_REQUIRES) {
      if (!file.test(id)) continue;
      if (!code.includes(line)) throw new Error(`scripts/bundle.mjs: "${line}" not found in ${id}`);
      return code.replace(line, lazy);
    }
    if (!/[/\\]dist[/\\].*\.js$/.test(id) || id.includes(`${path.sep}node_modules${path.sep}`)) return null;
    let source = code;
    // The modules that find files beside the package (package.json, templates/, dist/help.json) do it from
    // import.meta.url, as if they were where tsc put them: __distUrl (PRELUDE, below) is that URL. It is right
    // only for a module one folder deep in dist/ (src/cli/, src/io/): say so at build time rather than ship
    // a bundle that looks for package.json or templates/ in the wrong place.
    if (source.includes('import.meta.url')) {
      if (path.relative(path.join(root, 'dist'), id).split(path.sep).length !== 2)
        throw new Error(`scripts/bundle.mjs: ${id} uses import.meta.url but is not one folder deep in dist/`);
      source = source.replaceAll('import.meta.url', '__distUrl');
    }
    // wrap-ansi is loaded on first use, synchronously, through createRequire (src/io/output.ts), which
    // the bundler does not follow: a plain require() inside the bundle initialises the bundled copy instead.
    if (/[/\\]dist[/\\]io[/\\]output\.js$/.test(id)) {
      const call = "createRequire(__distUrl)('wrap-ansi')";
      if (!source.includes(call))
        throw new Error(`scripts/bundle.mjs: createRequire(import.meta.url)('wrap-ansi') not found in dist/io/output.js`);
      source = source.replace(call, "require('wrap-ansi')");
    }
    return source;
  },
  moduleParsed(info) {
    imports.set(info.id, info.importedIds);
  },
};

/**
 * The code each command runs in an ordinary run: its module and the modules its usual path imports with
 * import() (doctor's login rules, say), each with everything it imports statically. doctor's Creatio
 * section (creatio/half.js) is left out: doctor loads it while its first requests are out.
 * What only some runs need (undici for requests, zod for a broken file, jose for --login, the prompts,
 * commander for anything but a plain validate or doctor) stays behind its import(), in files of its own.
 */
const COMMAND_ROOTS = {
  cli: ['cli/process.js', 'cli/run.js'],
  validate: ['commands/validate.js'],
  doctor: ['commands/many.js', 'commands/doctor.js', 'creatio/doctor.js', 'creatio/input.js', 'core/login.js'],
  urls: ['commands/urls.js'],
  generate: ['commands/generate.js'],
  init: ['commands/init.js'],
  plan: ['commands/many.js', 'commands/plan.js'],
  apply: ['commands/apply.js'],
  rotate: ['commands/rotate.js'],
  program: ['cli/program.js'],
};

/**
 * The layers of the CLI, one file each: `cli`, what every command runs (the entry: process and run, what
 * all eight commands use, and what commander's program shares with doctor: the version); `validate`, the
 * rest of what validate runs (yaml, the config checks, the reports), which doctor, plan and generate use
 * too; `doctor`, the rest of doctor's. A module that urls or commander's program also use stays out of the
 * last two, so urls does not load yaml. Every other module goes where rolldown's own splitting puts it: one
 * file per set of importers.
 */
let layers;
function layerOf(id) {
  if (!layers) {
    const usedBy = new Map();
    for (const [command, roots] of Object.entries(COMMAND_ROOTS)) {
      const todo = roots.map((r) => {
        const file = path.join(root, 'dist', r);
        if (!imports.has(file)) throw new Error(`scripts/bundle.mjs: COMMAND_ROOTS names ${r}, which the CLI does not import`);
        return file;
      });
      const seen = new Set();
      while (todo.length) {
        const m = todo.pop();
        if (seen.has(m)) continue;
        seen.add(m);
        usedBy.set(m, [...(usedBy.get(m) ?? []), command]);
        todo.push(...(imports.get(m) ?? []));
      }
    }
    const commands = Object.keys(COMMAND_ROOTS).filter((c) => c !== 'cli' && c !== 'program');
    const layerFor = (users) => {
      if (users.includes('cli') || commands.every((c) => users.includes(c))) return 'cli';
      if (users.includes('program')) return users.includes('doctor') ? 'cli' : undefined;
      if (users.includes('urls')) return undefined;
      if (users.includes('validate')) return 'validate';
      if (users.includes('doctor')) return 'doctor';
      return undefined;
    };
    layers = new Map();
    for (const [m, users] of usedBy) {
      const layer = m === SLIM_UNDICI_ID || /[/\\]node_modules[/\\]undici[/\\]/.test(m) ? undefined : layerFor(users);
      if (layer) layers.set(m, layer);
    }
  }
  return layers.get(id) ?? null;
}

// What a file of the bundle may need first: __distUrl for the modules that find files beside the package
// (see the plugin), and in the library (an ES module) `require` for the libraries' require() calls rolldown
// leaves as they are. Each file gets the lines it uses, after minifying (below): elsewhere they would only
// cost a URL parse or a createRequire() when the file loads.
const PRELUDE = {
  cjs: {
    __distUrl: "const __distUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, '../cli/process.js')).href;",
  },
  esm: {
    require: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);",
    __distUrl: "const __distUrl = new URL('../cli/process.js', import.meta.url).href;",
  },
};

const external = [/^@aws-sdk\//, /^@smithy\//, /^node:/];
/** rolldown's notes that say nothing new about this build: an import() of a module the same run already imports statically. */
const onLog = (level, log, handler) => {
  if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
  handler(level, log);
};
const output = {
  dir: outdir,
  // Whitespace and syntax only: names stay, so a --verbose stack trace still names its functions.
  minify: { compress: { target: 'node22.12' }, mangle: false, codegen: { removeWhitespace: true } },
  comments: { legal: true },
  // Escaped non-ASCII characters (asciiOnly, below, does the rest).
  charset: 'ascii',
};

rmSync(outdir, { recursive: true, force: true });
const cli = await rolldown({
  input: { 'creatio-sso': path.join(root, 'dist', 'cli', 'process.js') },
  platform: 'node',
  external,
  plugins: [plugin],
  onLog,
  // The entry keeps its exports (start, main); the layers may hold more than their importers use.
  preserveEntrySignatures: 'allow-extension',
});
const written = await cli.write({
  ...output,
  format: 'cjs',
  entryFileNames: '[name].cjs',
  chunkFileNames: '[name]-[hash].cjs',
  codeSplitting: {
    includeDependenciesRecursively: false,
    groups: [
      {
        name: 'undici',
        debugName: 'undici',
        test: (id) => id === SLIM_UNDICI_ID || /[/\\]node_modules[/\\]undici[/\\]/.test(id),
        priority: 2,
      },
      { name: layerOf, debugName: 'layers', priority: 1 },
    ],
  },
});
// The library (package.json "exports": the pure core, with the types tsc wrote in dist/): one file of its own.
const library = await rolldown({
  input: { index: path.join(root, 'dist', 'index.js') },
  platform: 'node',
  external,
  plugins: [plugin],
  onLog,
});
const writtenLibrary = await library.write({ ...output, format: 'esm', codeSplitting: false });
const chunks = [...written.output, ...writtenLibrary.output].filter((o) => o.type === 'chunk');

// Which packages each file of the bundle holds (test/cli/loaded-modules.test.ts tells from it what a command
// loaded); not shipped (package.json "files").
const packages = {};
for (const chunk of chunks) {
  const names = new Set(
    chunk.moduleIds.map((i) =>
      i === SLIM_UNDICI_ID
        ? 'undici'
        : i === RUNTIME_MODULE_ID
          ? '.'
          : (/node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(i)?.[1]?.replace('\\', '/') ?? (i.startsWith(root) ? '.' : i)),
    ),
  );
  packages[chunk.fileName] = [...names].sort();
  console.log(`wrote dist/bundle/${chunk.fileName} (${Math.round(chunk.code.length / 1024)} KiB)`);
}
writeFileSync(path.join(root, 'dist', 'bundle-packages.json'), `${JSON.stringify(packages, null, 1)}\n`);

/**
 * The file in ASCII, as `charset: 'ascii'` asks (a file with one other character is decoded on a slower path
 * and held as a two-byte string). rolldown leaves the characters of tagged template literals (a tag could
 * read their raw text) and of kept comments as they are: here the tags read the cooked text (`shown`,
 * `machine`: src/core/text.ts), where `\u2026` and `…` are the same, and a comment is a comment. A file that
 * reads a template's `.raw`, or escapes such a character itself, fails the build rather than print otherwise.
 */
function asciiOnly(text, file) {
  if (!/[^\0-\x7f]/.test(text)) return text;
  if (/\.raw\b/.test(text)) throw new Error(`scripts/bundle.mjs: ${file} reads a template's raw text and has non-ASCII characters`);
  return text.replace(/(\\?)([^\0-\x7f])/gu, (_, backslash, c) => {
    if (backslash) throw new Error(`scripts/bundle.mjs: ${file}: an escaped non-ASCII character`);
    const code = c.codePointAt(0);
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// Each file's prelude (PRELUDE), and in the library (an ES module) its ES imports of Node's modules read with
// process.getBuiltinModule (Node ≥ 22.3) as require() would: an ES `import … from 'node:fs'` makes Node build
// the module's ES facade, which reads every export once, and node:fs's lazy ones (ReadStream, promises,
// Utf8Stream) load ~25 more modules (streams, readline, fs/promises). Through globalThis: a library's
// `import process from 'node:process'` would otherwise read itself.
for (const { fileName } of chunks) {
  const file = path.join(outdir, fileName);
  const body = readFileSync(file, 'utf8').replace(
    /import\s*([\w$]+)?\s*,?\s*(?:\{([^}]*)\}|\*\s*as\s+([\w$]+))?\s*from\s*"([^"]+)";/g,
    (statement, whole, named, namespace, id) => {
      if (!isBuiltin(id)) return statement;
      const get = `globalThis.process.getBuiltinModule("${id.startsWith('node:') ? id : `node:${id}`}")`;
      const names = named === undefined ? [] : [`const{${named.replace(/\b([\w$]+) as ([\w$]+)\b/g, '$1:$2')}}=${get};`];
      return [...[whole, namespace].filter(Boolean).map((n) => `const ${n}=${get};`), ...names].join('');
    },
  );
  if (/\bfrom\s*["'](node:)?[a-z_/0-9]+["']|\bimport\s*["']node:/.test(body.replace(/from\s*["']\.\/[^"']+["']/g, '')))
    throw new Error(`scripts/bundle.mjs: ${file} imports a Node module in a form the build does not rewrite`);
  const ascii = asciiOnly(body, file);
  const head = Object.entries(PRELUDE[fileName.endsWith('.cjs') ? 'cjs' : 'esm'])
    .filter(([name]) => new RegExp(`(^|[^\\w$.])${name}\\b`).test(ascii))
    .map(([, line]) => line);
  writeFileSync(file, head.length ? `${head.join('\n')}\n${ascii}` : ascii);
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
