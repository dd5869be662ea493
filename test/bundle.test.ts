import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, ROOT, runCli, spawnCli, TEST_SECRET, tempDir } from './support/cli.js';
import { startFakeHostedUi } from './support/fake-hosted-ui.js';
import { motoAdmin, startMoto } from './support/moto.js';

/**
 * The built CLI is a bundle (scripts/bundle.mjs): our modules in one file, yaml and a slim undici (its
 * dispatchers alone) in one file each, loaded with V8 code caches (bin/load.js). The rest of the suite
 * runs the sources in-process; here the bundle runs as a process and must answer exactly as the sources do.
 */
const { dir, cleanup } = tempDir('creatio-sso-bundle-');
afterAll(cleanup);
writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML);

const POOL = { userPoolId: 'eu-west-1_AbCdEf123', region: 'eu-west-1', domainHost: 'acme-login.auth.eu-west-1.amazoncognito.com' };
const CLIENT = {
  clientId: '1h57kf5cpq17m0eml12eqe3alr',
  secret: TEST_SECRET,
  callbackUrls: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback'],
  logoutUrls: ['https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback'],
  scopes: ['openid', 'email', 'phone', 'profile'],
};

describe('the bundle', () => {
  it('runs doctor end to end (discovery, JWKS, the three probes) as the sources do', async () => {
    const fake = await startFakeHostedUi({ clients: [CLIENT], discovery: POOL });
    try {
      const env = {
        CREATIO_SSO_TEST: '1',
        CREATIO_SSO_HOSTED_UI_URL: fake.url,
        CREATIO_SSO_COGNITO_IDP_URL: fake.url,
        COGNITO_CLIENT_SECRET: TEST_SECRET,
      };
      const args = ['doctor', '--format', 'json', '--skip', 'aws,creatio'];
      const [built, sources] = [await spawnCli(args, { cwd: dir, env }), await runCli(args, { cwd: dir, env })];
      expect(built.code).toBe(0);
      const report = JSON.parse(built.stdout) as { files: { findings: unknown[] }[] };
      expect(report).toEqual(JSON.parse(sources.stdout));
      const paths = fake.requests.map((r) => r.path);
      for (const p of ['/oauth2/authorize', '/oauth2/token', '/logout']) expect(paths.filter((x) => x === p)).toHaveLength(2);
      expect(built.stdout + built.stderr).not.toContain(TEST_SECRET);
    } finally {
      await fake.close();
    }
  });

  it('reads a broken file with zod (its own vendor bundle), as the sources do', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'version: 2\ncreatio: {url: 5}\n');
    const args = ['validate', '--format', 'json', file];
    const [built, sources] = [await spawnCli(args), await runCli(args)];
    expect(built.code).toBe(1);
    expect(JSON.parse(built.stdout)).toEqual(JSON.parse(sources.stdout));
  });

  it('loads every package it leaves in node_modules through require(), as it does at run time', () => {
    // The bundle turns import() into require(); an ES module with top-level await, say, would break that.
    const bundle = path.join(ROOT, 'dist', 'creatio-sso.cjs');
    const packages = [...new Set([...readFileSync(bundle, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1]!))].filter(
      (p) => !p.startsWith('node:'),
    );
    expect(packages).toEqual(expect.arrayContaining(['@aws-sdk/client-cognito-identity-provider', 'https-proxy-agent']));
    const script = `const r = require('node:module').createRequire(${JSON.stringify(bundle)});
for (const p of ${JSON.stringify(packages)}) { const m = r(p); if (!m || typeof m !== 'object') throw new Error(p + ': nothing exported'); }`;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  it('loads every vendor bundle, each with the code cache the build made for it', () => {
    // In the order the commands load them: undici sets its V8 flag, so what loads after it (jose, in doctor
    // --login) has a cache made with the flag, and the others one made without.
    const order = ['commander', 'yaml', 'zod', 'prompts', 'undici', 'jose'];
    const vendor = path.join(ROOT, 'dist', 'vendor');
    expect(
      readdirSync(vendor)
        .filter((f) => f.endsWith('.cjs'))
        .sort(),
    ).toEqual(order.map((n) => `${n}.cjs`).sort());
    const script = `const l = require(${JSON.stringify(path.join(ROOT, 'bin', 'load.js'))});
for (const n of ${JSON.stringify(order)}) { const m = l.vendorBundle(n); if (!m || typeof m !== 'object') throw new Error(n + ': nothing exported'); }
console.log(JSON.stringify(l.status()));`;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const status = JSON.parse(out.stdout) as { file: string; cacheRejected: boolean | undefined }[];
    expect(status).toEqual(order.map((n) => ({ file: `vendor/${n}.cjs`, cacheRejected: false })));
  });

  it('runs plan against the AWS API (moto) as the sources do', async () => {
    const moto = await startMoto();
    try {
      const admin = motoAdmin(moto, 'eu-west-1');
      const pool = await admin.send(new CreateUserPoolCommand({ PoolName: 'acme' }));
      const userPoolId = pool.UserPool!.Id!;
      const client = await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'creatio', GenerateSecret: true }),
      );
      admin.destroy();
      const config = EXAMPLE_YAML.replace('eu-west-1_AbCdEf123', userPoolId).replace(
        '1h57kf5cpq17m0eml12eqe3alr',
        client.UserPoolClient!.ClientId!,
      );
      writeFileSync(path.join(dir, 'plan.yaml'), config);
      const env = { ...moto.env, COGNITO_CLIENT_SECRET: TEST_SECRET };
      const args = ['plan', '--config', 'plan.yaml', '--format', 'json', '--skip', 'creatio'];
      const [built, sources] = [await spawnCli(args, { cwd: dir, env }), await runCli(args, { cwd: dir, env })];
      expect(built.stderr).toBe(sources.stderr);
      expect(built.code).toBe(sources.code);
      const plan = JSON.parse(built.stdout) as { halves: { cognito: { status: string; resources: unknown[] } } };
      expect(plan).toEqual(JSON.parse(sources.stdout));
      // The client has none of Creatio's settings yet: the plan has work to do.
      expect(plan.halves.cognito.resources.length).toBeGreaterThan(0);
    } finally {
      await moto.stop();
    }
  });

  it('says a copy that was never built is not built, without a stack trace (exit 1)', () => {
    const copy = path.join(dir, 'unbuilt');
    cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'creatio-sso.js'), 'validate'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not built. Run npm run build');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
