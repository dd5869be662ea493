import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, ROOT, runCli, spawnCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeHostedUi } from '../support/fake-hosted-ui.js';
import { motoAdmin, startMoto } from '../support/moto.js';

/**
 * The built CLI is a bundle (scripts/bundle.mjs): ES modules in dist/bundle/, the layers that every command,
 * validate and doctor run, and a file per heavy library (a slim undici among them: its dispatchers alone) and
 * per other command, loaded by the bin with a plain import.
 * The rest of the suite runs the sources in-process; here the bundle runs as a process and must answer
 * exactly as the sources do.
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

  it('reads a broken file (zod words the findings), as the sources do', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'version: 2\ncreatio: {url: 5}\n');
    const args = ['validate', '--format', 'json', file];
    const [built, sources] = [await spawnCli(args), await runCli(args)];
    expect(built.code).toBe(1);
    expect(JSON.parse(built.stdout)).toEqual(JSON.parse(sources.stdout));
  });

  it('leaves only the AWS SDK outside, each package a dependency that loads as the bundle imports it', () => {
    const bundle = path.join(ROOT, 'dist', 'bundle');
    const specifiers = new Set<string>();
    for (const file of readdirSync(bundle).filter((f) => /\.c?js$/.test(f))) {
      const text = readFileSync(path.join(bundle, file), 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(["'`])([^"'`.][^"'`]*)\1/g))
        specifiers.add(m[2]!);
    }
    // kerberos: https-proxy-agent's optional Negotiate support imports it in a try block (not installed, not used).
    // A node: name is Node's own even where this Node lacks it (node:sqlite, which undici's lazy loaders name, is newer than 22.12).
    const packages = [...specifiers].filter((p) => !isBuiltin(p) && !p.startsWith('node:') && p !== 'kerberos').sort();
    expect(packages).toEqual(expect.arrayContaining(['@aws-sdk/client-cognito-identity-provider', '@smithy/node-http-handler']));
    expect(packages.filter((p) => !/^@(aws-sdk|smithy)\//.test(p))).toEqual([]);
    const { dependencies } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // A subpath (`@smithy/core/retry`) belongs to its package (`@smithy/core`).
    const packageOf = (p: string) =>
      p
        .split('/')
        .slice(0, p.startsWith('@') ? 2 : 1)
        .join('/');
    for (const p of packages) expect(Object.keys(dependencies), p).toContain(packageOf(p));
    const entry = pathToFileURL(path.join(bundle, 'creatio-sso.cjs')).href;
    const script = `for (const p of ${JSON.stringify(packages)}) { const m = await import(import.meta.resolve(p, ${JSON.stringify(entry)})); if (!m || typeof m !== 'object') throw new Error(p + ': nothing exported'); }`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
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
