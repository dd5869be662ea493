import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, EXAMPLE_YAML, ROOT, tempDir } from './support/cli.js';

/**
 * What a run loads (issue #16): each command loads only what it uses. A preloaded hook records every
 * ES module the loader resolves and, at exit, every CommonJS module in the cache, Node's built-in
 * modules (process.moduleLoadList), and which bundles bin/load.js loaded, with whether V8 took their
 * code caches (the build makes them for this Node: a refused cache would be a silent slowdown).
 */
const { dir, cleanup } = tempDir('creatio-sso-loaded-');
afterAll(cleanup);

const HOOK = path.join(dir, 'hook.mjs');
const PRELOAD = path.join(dir, 'preload.cjs');
const LOADER = path.join(ROOT, 'bin', 'load.js');
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
process.on('exit', () => {
  appendFileSync(process.env.LOADED_FILE, Object.keys(require.cache).join('\\n') + '\\n');
  const bundles = require.cache[${JSON.stringify(LOADER)}] ? require(${JSON.stringify(LOADER)}).status() : [];
  writeFileSync(process.env.LOADED_FILE + '.json', JSON.stringify({ builtins: process.moduleLoadList, bundles }));
});
`,
);
const config = path.join(dir, 'creatio-sso.yaml');
writeFileSync(config, EXAMPLE_YAML);

interface Loaded {
  code: number | null;
  /** Files and URLs of the modules loaded from disk. */
  loaded: string[];
  /** Node's own modules, as `NativeModule child_process`. */
  builtins: string[];
  bundles: { file: string; cacheRejected: boolean | undefined }[];
}

let n = 0;
function loadedBy(args: string[], env: Record<string, string> = {}, stderr: 'ignore' | 'pipe' = 'ignore'): Promise<Loaded> {
  const file = path.join(dir, `loaded-${n++}.txt`);
  writeFileSync(file, '');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', PRELOAD, BIN, ...args], {
      cwd: ROOT,
      env: cleanEnv({ ...env, LOADED_FILE: file }),
      stdio: ['ignore', 'ignore', stderr],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const { builtins, bundles } = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Pick<Loaded, 'builtins' | 'bundles'>;
      resolve({ code, loaded: readFileSync(file, 'utf8').split('\n').filter(Boolean), builtins, bundles });
    });
  });
}

const pkg = (loaded: string[], name: string) => loaded.some((m) => m.includes(`/node_modules/${name}/`));
const builtin = (r: Loaded, name: string) => r.builtins.includes(`NativeModule ${name}`);
/** The bundles read, each with its code cache taken (cacheRejected false). */
const bundlesOf = (r: Loaded) =>
  r.bundles.map((b) => `${b.file}${b.cacheRejected === false ? '' : ` (cache ${b.cacheRejected ? 'refused' : 'missing'})`}`);

describe('modules loaded', () => {
  it('validate of a valid file: the CLI and yaml from their code caches; no commander, zod, network or AWS code', async () => {
    const r = await loadedBy(['validate', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52) });
    expect(r.code).toBe(0);
    expect(bundlesOf(r)).toEqual(['creatio-sso.cjs', 'vendor/yaml.cjs']);
    for (const name of ['zod', 'undici', 'commander', '@aws-sdk', 'jose', '@inquirer', 'chalk', 'eta', 'wrap-ansi'])
      expect(pkg(r.loaded, name), name).toBe(false);
    // commander requires child_process when it loads; node:v8 is for undici's flag (bin/load.js); node:crypto
    // (~5 ms to load) has no use in a validate.
    for (const name of ['child_process', 'v8', 'http', 'http2', 'tls', 'crypto']) expect(builtin(r, name), name).toBe(false);
  });

  it('validate of a valid file with stderr a pipe, as in CI: stderr is never built (no socket, no node:net)', async () => {
    const r = await loadedBy(['validate', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52), LOADED_ESM: 'off' }, 'pipe');
    expect(r.code).toBe(0);
    for (const name of ['net', 'tty']) expect(builtin(r, name), name).toBe(false);
  });

  it('validate of a file that breaks the schema: zod from its own bundle and code cache, to word the findings', async () => {
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'version: 2\ncreatio: {url: 5}\n');
    const r = await loadedBy(['validate', broken]);
    expect(r.code).toBe(1);
    expect(bundlesOf(r)).toEqual(['creatio-sso.cjs', 'vendor/yaml.cjs', 'vendor/zod.cjs']);
    expect(pkg(r.loaded, 'zod')).toBe(false);
  });

  it('doctor: undici from its code cache; no AWS SDK, jose, prompts, zod or wrap-ansi when their sections do not run', async () => {
    // Nothing listens on the discard port of loopback: the run ends inconclusive (3) at once.
    const nowhere = 'http://127.0.0.1:9';
    const r = await loadedBy(['doctor', '--config', config, '--timeout', '2000'], {
      COGNITO_CLIENT_SECRET: 's'.repeat(52),
      CREATIO_SSO_COGNITO_IDP_URL: nowhere,
      CREATIO_SSO_HOSTED_UI_URL: nowhere,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(r.code).toBe(3);
    expect(bundlesOf(r)).toEqual(['creatio-sso.cjs', 'vendor/commander.cjs', 'vendor/yaml.cjs', 'vendor/undici.cjs']);
    for (const name of ['@aws-sdk', '@smithy', 'jose', '@inquirer', 'zod', 'wrap-ansi']) expect(pkg(r.loaded, name), name).toBe(false);
  });

  it('plan of a valid config without credentials: a usage error (exit 2) with no zod, and no AWS SDK for a half it cannot read', async () => {
    const r = await loadedBy(['plan', '--config', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52), AWS_EC2_METADATA_DISABLED: 'true' });
    expect(r.code).toBe(2);
    expect(bundlesOf(r)).toEqual(['creatio-sso.cjs', 'vendor/commander.cjs', 'vendor/yaml.cjs']);
    for (const name of ['@aws-sdk', '@smithy', 'zod']) expect(pkg(r.loaded, name), name).toBe(false);
  });

  it('urls: the CLI and commander, no YAML, schema or network code', async () => {
    const r = await loadedBy(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login']);
    expect(r.code).toBe(0);
    expect(bundlesOf(r)).toEqual(['creatio-sso.cjs', 'vendor/commander.cjs']);
    for (const name of ['yaml', 'zod', 'undici', '@aws-sdk', 'jose', '@inquirer']) expect(pkg(r.loaded, name), name).toBe(false);
  });

  it('--version and --help: nothing but the bin', async () => {
    for (const args of [['--version'], ['--help'], ['validate', '--help']]) {
      const r = await loadedBy(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.bundles, args.join(' ')).toEqual([]);
    }
  });
});
