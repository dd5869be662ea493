import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, tempDir } from '../support/cli.js';

/**
 * The npm package as a user gets it: pack the tarball, install it into an empty folder, run the bin.
 * Dependencies come from the local npm cache (npm ci filled it) or the registry.
 */
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let work: ReturnType<typeof tempDir>;
let tarball: string;
let files: string[];

beforeAll(() => {
  work = tempDir('creatio-sso-pack-');
  // The build is fresh (npm test builds first); --ignore-scripts keeps pack from building again.
  const out = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work.dir], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = path.join(work.dir, out[0]!.filename);
  files = out[0]!.files.map((f) => f.path);
  writeFileSync(path.join(work.dir, 'package.json'), JSON.stringify({ name: 'empty-project', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-package-lock', tarball], work.dir);
}, 180_000);
afterAll(() => work?.cleanup());

describe('the packed npm package', () => {
  it('ships the bin, the build, the templates, the schema and the docs, and no tests or sources', () => {
    for (const f of [
      'bin/creatio-sso.js',
      'dist/bundle/creatio-sso.js',
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
    expect(files.filter((f) => f.startsWith('bin/'))).toEqual(['bin/creatio-sso.js']);
    expect(files.filter((f) => f.endsWith('.v8cache') || f.endsWith('.cjs'))).toEqual([]);
    // tsc's output is the source of the bundle and the types: only the types ship.
    expect(files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/bundle/') && f.endsWith('.js'))).toEqual([]);
    expect(files).not.toContain('dist/bundle-packages.json');
  });

  it('depends on the AWS SDK alone: the libraries inside the bundle are not installed', () => {
    const installed = path.join(work.dir, 'node_modules');
    const { dependencies } = JSON.parse(readFileSync(path.join(installed, 'creatio-sso', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(dependencies).filter((d) => !/^@(aws-sdk|smithy)\//.test(d))).toEqual([]);
    for (const library of ['zod', 'yaml', 'undici', 'commander', 'jose', '@inquirer', 'chalk', 'eta'])
      expect(existsSync(path.join(installed, library)), library).toBe(false);
  });

  it('runs from an empty folder: npx creatio-sso --version and urls', () => {
    const run = (args: string[]) =>
      spawnSync('npx', ['--no-install', 'creatio-sso', ...args], { cwd: work.dir, env: cleanEnv(), encoding: 'utf8' });
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
      path.join(work.dir, 'use.mjs'),
      `import { deriveUrls, validateConfig } from 'creatio-sso';
       const u = deriveUrls({ userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'auth.acme.com' });
       const v = validateConfig('version: 1\\ncreatio: {url: "https://acme.creatio.com"}\\ncognito: {userPoolId: eu-west-1_AbCdEf123, domain: eu-west-1_AbCdEf123, clientId: 1h57kf5cpq17m0eml12eqe3alr, clientSecret: "\${env:S}"}\\n');
       console.log(JSON.stringify({ issuer: u.issuer, ok: v.ok, codes: v.findings.map((f) => f.code + '@' + f.line) }));`,
    );
    const out = JSON.parse(execFileSync('node', ['use.mjs'], { cwd: work.dir, encoding: 'utf8' }));
    expect(out).toEqual({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      ok: false,
      codes: ['domain/is-user-pool-id@3'],
    });
    const pkg = JSON.parse(
      execFileSync('node', ['-p', 'JSON.stringify(require("creatio-sso/package.json"))'], { cwd: work.dir, encoding: 'utf8' }),
    );
    expect(pkg.types).toBe('./dist/index.d.ts');
  });
});
