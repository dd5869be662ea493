import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, EXAMPLE_YAML, ROOT, tempDir } from '../support/cli.js';

/**
 * What a run loads (issue #16): each command loads only what it uses. A preload records, at exit, every
 * CommonJS module in the cache — the bundle's files (dist/bundle/: the layers every command, validate and
 * doctor run, and a file per heavy library and per other command: scripts/bundle.mjs) — and Node's
 * built-in modules (process.moduleLoadList); a hook records every ES module the loader loads (the AWS SDK
 * from node_modules). Which libraries a file of the bundle holds
 * comes from the build (dist/bundle-packages.json).
 */
const { dir, cleanup } = tempDir('creatio-sso-loaded-');
afterAll(cleanup);

const HOOK = path.join(dir, 'hook.mjs');
const PRELOAD = path.join(dir, 'preload.cjs');
const BUNDLE = pathToFileURL(path.join(ROOT, 'dist', 'bundle')).href + '/';
const PACKAGES = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-packages.json'), 'utf8')) as Record<string, string[]>;
writeFileSync(
  HOOK,
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_FILE, url + '\\n');
  return next(url, context);
}
`,
);
writeFileSync(
  PRELOAD,
  `const { appendFileSync, writeFileSync } = require('node:fs');
// The ES module hook runs in a thread of its own, which loads modules of its own (node:net among them).
if (process.env.LOADED_ESM !== 'off') require('node:module').register(require('node:url').pathToFileURL(${JSON.stringify(HOOK)}).href);
// string-width (under wrap-ansi) builds an Intl.Segmenter when it is evaluated: count them.
let segmenters = 0;
const Segmenter = Intl.Segmenter;
Intl.Segmenter = class extends Segmenter { constructor(...args) { super(...args); segmenters++; } };
// With --expose-internals: which of Node's own modules were compiled without the code Node ships for them.
const cacheUsage = process.execArgv.includes('--expose-internals')
  ? () => {
      // (internal/test/binding, loaded here after the flag, is itself one of them.)
      const { internalBinding } = require('internal/test/binding');
      return [...internalBinding('builtins').getCacheUsage().compiledWithoutCache].filter((m) => m !== 'internal/test/binding');
    }
  : () => [];
process.on('exit', () => {
  appendFileSync(process.env.LOADED_FILE, Object.keys(require.cache).map((f) => require('node:url').pathToFileURL(f).href).join('\\n') + '\\n');
  const resources = process.getActiveResourcesInfo();
  writeFileSync(process.env.LOADED_FILE + '.json', JSON.stringify({ builtins: process.moduleLoadList, resources, segmenters, uncached: cacheUsage() }));
});
`,
);
const config = path.join(dir, 'creatio-sso.yaml');
writeFileSync(config, EXAMPLE_YAML);

interface Loaded {
  code: number | null;
  /** URLs of the modules loaded from disk. */
  loaded: string[];
  /** Node's own modules, as `NativeModule child_process`. */
  builtins: string[];
  /** The files of the bundle that loaded (`validate-ABC123.cjs`). */
  bundle: string[];
  /** What was still open when the process exited (`PipeWrap`: a pipe stream was built). */
  resources: string[];
  /** How many Intl.Segmenter were built (string-width, under wrap-ansi, builds one when it is evaluated). */
  segmenters: number;
  /** Node's own modules compiled from source, not from the code Node ships compiled (with --expose-internals). */
  uncached: string[];
}

let n = 0;
function loadedBy(
  args: string[],
  env: Record<string, string> = {},
  stderr: 'ignore' | 'pipe' = 'ignore',
  nodeArgs: string[] = [],
): Promise<Loaded> {
  const file = path.join(dir, `loaded-${n++}.txt`);
  writeFileSync(file, '');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '-r', PRELOAD, BIN, ...args], {
      cwd: ROOT,
      env: cleanEnv({ ...env, LOADED_FILE: file }),
      stdio: ['ignore', 'ignore', stderr],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const { builtins, resources, segmenters, uncached } = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Pick<
        Loaded,
        'builtins' | 'resources' | 'segmenters' | 'uncached'
      >;
      const loaded = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const bundle = [...new Set(loaded.filter((u) => u.startsWith(BUNDLE)).map((u) => u.slice(BUNDLE.length)))];
      resolve({ code, loaded, builtins, bundle, resources, segmenters, uncached });
    });
  });
}

/** A library was loaded: from node_modules (the AWS SDK), or inside a file of the bundle. */
const pkg = (r: Loaded, name: string) =>
  r.loaded.some((m) => m.includes(`/node_modules/${name}/`)) ||
  r.bundle.some((f) => (PACKAGES[f] ?? []).some((p) => p === name || p.startsWith(`${name}/`)));
const builtin = (r: Loaded, name: string) => r.builtins.includes(`NativeModule ${name}`);

describe('modules loaded', () => {
  it('every library the bundle holds is known to the build, and the bundle leaves only the AWS SDK outside', () => {
    const inside = new Set(Object.values(PACKAGES).flat());
    for (const name of ['yaml', 'zod', 'commander', 'undici', 'jose', '@inquirer/prompts', 'chalk', 'eta', 'wrap-ansi'])
      expect(inside).toContain(name);
    expect([...inside].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'))).toEqual([]);
  });

  it('validate of a valid file: yaml from the bundle; no commander, zod, network, AWS, prompt or colour code', async () => {
    const r = await loadedBy(['validate', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52) });
    expect(r.code).toBe(0);
    expect(pkg(r, 'yaml')).toBe(true);
    // Few files (scripts/bundle.mjs cuts the CLI in layers; a file costs ~0.5 ms before any of its code runs):
    // the entry, rolldown's helpers, the validate layer.
    expect(r.bundle.length, r.bundle.join(' ')).toBeLessThanOrEqual(3);
    for (const name of ['zod', 'commander', 'undici', '@aws-sdk', '@smithy', 'jose', '@inquirer', 'chalk', 'eta', 'yocto-spinner'])
      expect(pkg(r, name), name).toBe(false);
    // wrap-ansi sits in the file of the output module (it loads synchronously, on first use): it is not evaluated.
    expect(r.segmenters).toBe(0);
    // commander requires child_process when it loads; node:v8 is for undici's flag (src/net/http.ts); node:crypto
    // (~5 ms to load) has no use in a validate.
    for (const name of ['child_process', 'v8', 'http', 'http2', 'tls', 'crypto']) expect(builtin(r, name), name).toBe(false);
    // Node's own modules are read without their ES facade (bin, scripts/bundle.mjs): node:fs's facade reads
    // every export, and its lazy ones load fs/promises, readline and the REPL's history.
    for (const name of ['internal/fs/promises', 'internal/readline/interface', 'internal/repl/history'])
      expect(builtin(r, name), name).toBe(false);
  });

  it('validate of a valid file with stderr a pipe, as in CI: stderr is never built (no pipe stream)', async () => {
    const r = await loadedBy(['validate', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52), LOADED_ESM: 'off' }, 'pipe');
    expect(r.code).toBe(0);
    expect(r.resources).not.toContain('PipeWrap');
    for (const name of ['net', 'tty']) expect(builtin(r, name), name).toBe(false);
  });

  it('validate of a file that breaks the schema: zod, to word the findings', async () => {
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'version: 2\ncreatio: {url: 5}\n');
    const r = await loadedBy(['validate', broken]);
    expect(r.code).toBe(1);
    expect(pkg(r, 'zod')).toBe(true);
  });

  it('doctor: undici (and node:v8 for its flag); no AWS SDK, jose, prompts, zod or wrap-ansi when their sections do not run', async () => {
    // Nothing listens on the discard port of loopback: the run ends inconclusive (3) at once.
    const nowhere = 'http://127.0.0.1:9';
    const r = await loadedBy(
      ['doctor', '--config', config, '--timeout', '2000'],
      {
        COGNITO_CLIENT_SECRET: 's'.repeat(52),
        CREATIO_SSO_COGNITO_IDP_URL: nowhere,
        CREATIO_SSO_HOSTED_UI_URL: nowhere,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      'ignore',
      ['--expose-internals'],
    );
    expect(r.code).toBe(3);
    for (const name of ['undici', 'yaml']) expect(pkg(r, name), name).toBe(true);
    // The entry, rolldown's helpers, the validate and doctor layers, undici; the Creatio section's two.
    expect(r.bundle.length, r.bundle.join(' ')).toBeLessThanOrEqual(7);
    // A plain doctor command line is read without commander (validate-argv.ts), as a plain validate is.
    expect(pkg(r, 'commander')).toBe(false);
    // undici's flag is set once undici and the Node modules it requires have loaded: a V8 flag set at run
    // time makes V8 refuse the code Node ships compiled for its own modules (node:tls, node:http, …).
    // node:tls loads before it although this run's requests are http (an https connection loads it later);
    // node:http2 (with fs/promises and readline) and child_process (commander's) do not load at all.
    expect(builtin(r, 'tls')).toBe(true);
    for (const name of ['http2', 'child_process', 'internal/fs/promises', 'internal/readline/interface'])
      expect(builtin(r, name), name).toBe(false);
    expect(r.uncached).toEqual([]);
    expect(builtin(r, 'v8')).toBe(true);
    for (const name of ['@aws-sdk', '@smithy', 'jose', '@inquirer', 'zod']) expect(pkg(r, name), name).toBe(false);
    expect(r.segmenters).toBe(0);
  });

  it('plan of a valid config without credentials: a usage error (exit 2) with no zod, and no AWS SDK for a half it cannot read', async () => {
    const r = await loadedBy(['plan', '--config', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52), AWS_EC2_METADATA_DISABLED: 'true' });
    expect(r.code).toBe(2);
    for (const name of ['@aws-sdk', '@smithy', 'zod', 'undici', 'jose', '@inquirer']) expect(pkg(r, name), name).toBe(false);
  });

  it('urls: the CLI and commander, no YAML, schema or network code', async () => {
    const r = await loadedBy(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login']);
    expect(r.code).toBe(0);
    expect(pkg(r, 'commander')).toBe(true);
    for (const name of ['yaml', 'zod', 'undici', '@aws-sdk', 'jose', '@inquirer']) expect(pkg(r, name), name).toBe(false);
  });

  it('--version and --help: the bin alone', async () => {
    const forms = [['--version'], ['--help'], ['validate', '--help'], ['help', 'doctor']];
    const runs = await Promise.all(forms.map((args) => loadedBy(args)));
    for (const [i, args] of forms.entries()) {
      const r = runs[i]!;
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.bundle, args.join(' ')).toEqual([]);
      for (const name of ['internal/fs/promises', 'internal/readline/interface']) expect(builtin(r, name), name).toBe(false);
    }
  });
});
