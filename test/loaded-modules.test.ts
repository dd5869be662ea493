import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, EXAMPLE_YAML, ROOT, tempDir } from './support/cli.js';

/**
 * What a run loads (issue #16): each command loads only what it uses. A preloaded hook records every
 * ES module the loader resolves and, at exit, every CommonJS module in the cache.
 */
const { dir, cleanup } = tempDir('creatio-sso-loaded-');
afterAll(cleanup);

const HOOK = path.join(dir, 'hook.mjs');
const PRELOAD = path.join(dir, 'preload.cjs');
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
  `const { appendFileSync } = require('node:fs');
require('node:module').register(require('node:url').pathToFileURL(${JSON.stringify(HOOK)}).href);
process.on('exit', () => appendFileSync(process.env.LOADED_FILE, Object.keys(require.cache).join('\\n') + '\\n'));
`,
);
const config = path.join(dir, 'creatio-sso.yaml');
writeFileSync(config, EXAMPLE_YAML);

let n = 0;
function loadedBy(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; loaded: string[] }> {
  const file = path.join(dir, `loaded-${n++}.txt`);
  writeFileSync(file, '');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', PRELOAD, BIN, ...args], {
      cwd: ROOT,
      env: cleanEnv({ ...env, LOADED_FILE: file }),
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, loaded: readFileSync(file, 'utf8').split('\n').filter(Boolean) }));
  });
}

// The bin puts a stand-in for each bundled package into the module cache; it is not a load of the package.
const STAND_INS = new Set(['yaml', 'undici'].map((name) => createRequire(BIN).resolve(name)));
const pkg = (loaded: string[], name: string) => loaded.some((m) => m.includes(`/node_modules/${name}/`) && !STAND_INS.has(m));
const bundled = (loaded: string[], name: string) => loaded.some((m) => m.endsWith(`/dist/vendor/${name}.cjs`));

describe('modules loaded', () => {
  it('validate of a valid file: no zod, no network or AWS code; yaml as the one-file bundle', async () => {
    const { code, loaded } = await loadedBy(['validate', config], { COGNITO_CLIENT_SECRET: 's'.repeat(52) });
    expect(code).toBe(0);
    expect(loaded.some((m) => m.endsWith('/dist/commands/validate.js'))).toBe(true);
    expect(pkg(loaded, 'zod')).toBe(false);
    expect(bundled(loaded, 'yaml')).toBe(true);
    for (const name of ['undici', '@aws-sdk', 'jose', '@inquirer', 'chalk', 'eta']) expect(pkg(loaded, name), name).toBe(false);
  });

  it('doctor: no AWS SDK, jose or prompts when their sections do not run; undici as the one-file bundle', async () => {
    // Nothing listens on the discard port of loopback: the run ends inconclusive (3) at once.
    const nowhere = 'http://127.0.0.1:9';
    const { code, loaded } = await loadedBy(['doctor', '--config', config, '--timeout', '2000'], {
      COGNITO_CLIENT_SECRET: 's'.repeat(52),
      CREATIO_SSO_COGNITO_IDP_URL: nowhere,
      CREATIO_SSO_HOSTED_UI_URL: nowhere,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(code).toBe(3);
    expect(loaded.some((m) => m.endsWith('/dist/commands/doctor.js'))).toBe(true);
    expect(bundled(loaded, 'undici')).toBe(true);
    for (const name of ['@aws-sdk', '@smithy', 'jose', '@inquirer']) expect(pkg(loaded, name), name).toBe(false);
  });

  it('urls: no YAML, schema or network code', async () => {
    const { code, loaded } = await loadedBy(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login']);
    expect(code).toBe(0);
    for (const name of ['yaml', 'zod', 'undici', '@aws-sdk', 'jose', '@inquirer']) expect(pkg(loaded, name), name).toBe(false);
    expect(bundled(loaded, 'yaml') || bundled(loaded, 'undici')).toBe(false);
  });
});
