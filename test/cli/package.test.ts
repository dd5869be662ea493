import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, runActionScript, type ActionRun } from '../support/action.js';
import { cleanEnv, ROOT, tempDir } from '../support/cli.js';

/**
 * The npm package as a user gets it: the tarball packed once, then run the way users run it, by npx
 * (`npm exec`), which installs it into npm's cache. The first run is §17's GitHub Action with the real npm,
 * offline: the dependencies come from the npm cache `npm ci` filled. The other tests read that install.
 */
const NPM_CACHE = path.join(homedir(), '.npm');
const npmEnv = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_cache: NPM_CACHE };

let work: ReturnType<typeof tempDir>;
let tarball: string;
let files: string[];
/** The step's first run: validate of a missing and a valid config, with hostile inputs. */
let step: ActionRun;
/** Where npx installed the package (npm's cache, _npx/<hash>): a project folder with it in node_modules. */
let installed: string;

/** npx's folder for this tarball: the one whose package.json asks for it. */
function npxFolderOf(spec: string): string | undefined {
  const root = path.join(NPM_CACHE, '_npx');
  for (const entry of existsSync(root) ? readdirSync(root) : []) {
    const manifest = path.join(root, entry, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(JSON.stringify(spec))) return path.join(root, entry);
  }
  return undefined;
}

beforeAll(() => {
  work = tempDir('creatio-sso-pack-');
  // The build is fresh (npm test builds first); --ignore-scripts keeps pack from building again.
  const out = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work.dir], {
      cwd: ROOT,
      env: { ...process.env, ...npmEnv },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work.dir, out[0]!.filename);
  files = out[0]!.files.map((f) => f.path);
  step = runActionScript(
    work.dir,
    { command: 'validate', version: `file:${tarball}`, ...HOSTILE, config: `${HOSTILE.config} sso.yaml` },
    { npmCache: NPM_CACHE },
  );
  installed = npxFolderOf(`creatio-sso@file:${tarball}`) ?? '';
}, 180_000);
afterAll(() => {
  // npx's copy of a tarball that no longer exists would only fill the user's npm cache.
  if (installed) rmSync(installed, { recursive: true, force: true });
  work?.cleanup();
});

describe('the packed npm package', () => {
  it('ships the bin, the build, the templates, the schema and the docs, and no tests or sources', () => {
    for (const f of [
      'bin/creatio-sso.js',
      'dist/bundle/creatio-sso.cjs',
      'dist/bundle/THIRD-PARTY-LICENSES.txt',
      'dist/help.json',
      'dist/bundle/index.js',
      'dist/index.d.ts',
      'templates/SETUP.md.eta',
      'schema/creatio-sso.schema.json',
      'README.md',
      'docs/commands.md',
      'docs/findings.md',
      'package.json',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|src|bench|scripts|\.ci)\//.test(f))).toEqual([]);
    // The bin alone in bin/; no code cache or loader of its own (Node's compile cache does that job).
    // bin/package.json only says that the bin is CommonJS, as the CLI's files are (scripts/bundle.mjs).
    expect(files.filter((f) => f.startsWith('bin/')).sort()).toEqual(['bin/creatio-sso.js', 'bin/package.json']);
    expect(files.filter((f) => f.endsWith('.v8cache'))).toEqual([]);
    // The CLI is CommonJS (scripts/bundle.mjs), the library an ES module.
    expect(files.filter((f) => f.endsWith('.cjs') && !f.startsWith('dist/bundle/'))).toEqual([]);
    // tsc's output is the source of the bundle and the types: only the types ship.
    expect(files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/bundle/') && f.endsWith('.js'))).toEqual([]);
    expect(files).not.toContain('dist/bundle-packages.json');
  });

  it('depends on the AWS SDK alone: the libraries inside the bundle are not installed', () => {
    expect(installed, 'npx installed the package (see the Action test)').not.toBe('');
    const modules = path.join(installed, 'node_modules');
    const { dependencies } = JSON.parse(readFileSync(path.join(modules, 'creatio-sso', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(dependencies).filter((d) => !/^@(aws-sdk|smithy)\//.test(d))).toEqual([]);
    for (const library of ['zod', 'yaml', 'undici', 'commander', 'jose', '@inquirer', 'chalk', 'eta'])
      expect(existsSync(path.join(modules, library)), library).toBe(false);
  });

  it('runs from an empty folder through the bin npx linked: --version and urls', () => {
    // The Action test ran it through npx itself; here the link npm made, started from a folder with nothing in it.
    const empty = path.join(work.dir, 'empty');
    mkdirSync(empty);
    const run = (args: string[]) =>
      spawnSync(path.join(installed, 'node_modules', '.bin', 'creatio-sso'), args, { cwd: empty, env: cleanEnv(), encoding: 'utf8' });
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(
      JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: ROOT, encoding: 'utf8' })),
    );
    const urls = run(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login', '--json']);
    expect(urls.status).toBe(0);
    expect(JSON.parse(urls.stdout).providerUrl).toBe('https://acme-login.auth.eu-west-1.amazoncognito.com');
  });

  it('works as a library with types: import { deriveUrls, validateConfig } from "creatio-sso"', () => {
    writeFileSync(
      path.join(installed, 'use.mjs'),
      `import { deriveUrls, validateConfig } from 'creatio-sso';
       const u = deriveUrls({ userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'auth.acme.com' });
       const v = validateConfig('version: 1\\ncreatio: {url: "https://acme.creatio.com"}\\ncognito: {userPoolId: eu-west-1_AbCdEf123, domain: eu-west-1_AbCdEf123, clientId: 1h57kf5cpq17m0eml12eqe3alr, clientSecret: "\${env:S}"}\\n');
       console.log(JSON.stringify({ issuer: u.issuer, ok: v.ok, codes: v.findings.map((f) => f.code + '@' + f.line) }));`,
    );
    const out = JSON.parse(execFileSync('node', ['use.mjs'], { cwd: installed, encoding: 'utf8' }));
    expect(out).toEqual({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      ok: false,
      codes: ['domain/is-user-pool-id@3'],
    });
    const pkg = JSON.parse(
      execFileSync('node', ['-p', 'JSON.stringify(require("creatio-sso/package.json"))'], { cwd: installed, encoding: 'utf8' }),
    );
    expect(pkg.types).toBe('./dist/index.d.ts');
  });
});

describe('the GitHub Action with the packed package and the real npm (§17)', () => {
  it('annotates, keeps the exit code, writes the job summary, and runs nothing from the inputs', () => {
    expect(step.pwned).toBe(false);
    expect(step.status).toBe(1);
    expect(step.outputs).toEqual({ 'exit-code': '1' });
    expect(step.stdout).toContain('::error file=x,line=1,col=1,title=config/parse::Cannot read x: it does not exist.');
    expect(step.stdout).not.toContain('file=sso.yaml');
    expect(readFileSync(step.files.summary, 'utf8')).toContain('## creatio-sso validate');
  });
});
