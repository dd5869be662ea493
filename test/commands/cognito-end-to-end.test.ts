/**
 * `doctor` (the §11 audit), `plan` and `apply` (§13) end to end: the CLI in-process against moto's Cognito
 * (started once for the file) and, for doctor's discovery checks, a loopback discovery fake serving moto's
 * pool. What a user sees: the plan's lines, §9's JSON, exit codes, the config and record files.
 */
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { runCli, tempDir, type CliResult } from '../support/cli.js';
import { hostedUiPool, type FakeHostedUi } from '../support/fake-hosted-ui.js';
import { closedPort } from '../support/net.js';
import { useMoto } from '../support/moto.js';
import { run as applyRun } from '../../src/commands/apply.js';
import type { ApplyOptions } from '../../src/cli/program.js';
import type { Context } from '../../src/cli/context.js';
import { ExitError } from '../../src/cli/errors.js';
import { createOutput } from '../../src/io/output.js';
import type { Prompts } from '../../src/wizard/prompts.js';

const REGION = 'eu-west-1';
const SECRET = 'Sx7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn4Pq6Rs8Tu1Vw';
const WRONG_SECRET = 'Wr0ngSecretValue7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk';
const CALLBACK = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback';
const SIGN_OUT = 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback';
const OTHER_CALLBACK = 'https://intranet.acme.com/oauth/callback';
const SCOPES = ['openid', 'email', 'phone', 'profile'];
const DOMAIN = 'acme-login';

const fakes = hostedUiPool();
let dir: string;
let cleanup: () => void;

const aws = useMoto(REGION);

afterAll(async () => {
  await fakes.close();
});
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => {
  fakes.release();
  cleanup();
});

const GOOD: Partial<sdk.CreateUserPoolClientRequest> = {
  RefreshTokenValidity: 7,
  AccessTokenValidity: 2,
  TokenValidityUnits: { RefreshToken: 'days', AccessToken: 'hours' },
  ReadAttributes: ['email', 'phone_number'],
  CallbackURLs: [OTHER_CALLBACK, CALLBACK],
  LogoutURLs: [SIGN_OUT],
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: SCOPES,
  AllowedOAuthFlowsUserPoolClient: true,
  SupportedIdentityProviders: ['COGNITO'],
};

/** A pool (with the prefix domain unless told otherwise) and a client with a custom secret (moto's own are UUIDs). */
async function setup(client: Partial<sdk.CreateUserPoolClientRequest> = {}, o: { domain?: boolean; secret?: boolean } = {}) {
  const pool = await aws.admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'acme' }));
  const userPoolId = pool.UserPool!.Id!;
  if (o.domain !== false) await aws.admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: DOMAIN }));
  const created = await aws.admin.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'creatio',
      ...(o.secret === false ? {} : { GenerateSecret: true, ClientSecret: SECRET }),
      ...GOOD,
      ...client,
    } as sdk.CreateUserPoolClientRequest),
  );
  return { userPoolId, clientId: created.UserPoolClient!.ClientId! };
}

function writeConfig(userPoolId: string, clientId?: string): string {
  const file = path.join(dir, 'creatio-sso.yaml');
  writeFileSync(
    file,
    `# the team's SSO set-up
version: 1
creatio:
  url: https://acme.creatio.com # site root
  deployment: cloud
cognito:
  userPoolId: ${userPoolId}
  region: ${REGION}
  domain: ${DOMAIN}
${clientId ? `  clientId: ${clientId} # from the console\n` : ''}  clientSecret: \${env:COGNITO_CLIENT_SECRET}
provider:
  displayName: Cognito AWS
jit:
  employees: true
  claims:
    phone_number: Contact:MobilePhone
`,
  );
  return file;
}

/**
 * No Creatio here: plan and apply leave that half out explicitly (§13: a half without credentials is
 * otherwise a usage error). moto has no hosted UI: apply's final live look (discovery and probes) is left
 * out too, as --skip hosted-ui says. A test that passes --skip itself says everything it leaves out.
 */
const SKIPPED: Record<string, string> = { plan: 'creatio', apply: 'creatio,hosted-ui' };
const run = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> =>
  runCli(SKIPPED[args[0]!] && !args.includes('--skip') ? [...args, '--skip', SKIPPED[args[0]!]!] : args, {
    cwd: dir,
    env: { ...aws.moto.env, COGNITO_CLIENT_SECRET: SECRET, ...env },
  });

/** doctor with discovery on a loopback fake that serves moto's pool; the hosted UI probes are left out unless asked. */
async function doctor(userPoolId: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const f: FakeHostedUi = await fakes.take({
    clients: [],
    discovery: { userPoolId, region: REGION, domainHost: `${DOMAIN}.auth.${REGION}.amazoncognito.com` },
  });
  return run(['doctor', '--format', 'json', '--skip', 'hosted-ui', ...args], {
    CREATIO_SSO_COGNITO_IDP_URL: f.url,
    CREATIO_SSO_HOSTED_UI_URL: f.url,
    ...env,
  });
}

interface DoctorJson {
  checks: { name: string; status: string; summary: string }[];
  files: { findings: { code: string; severity: string; message: string }[] }[];
}
interface PlanJson {
  ok: boolean;
  summary: { create: number; update: number; unchanged: number; manual: number };
  halves: Record<
    'cognito' | 'creatio',
    {
      status: string;
      reason?: string;
      resources: {
        resource: { type: string; id: string };
        action: string;
        fields: { field: string; action: string; to?: unknown; applied?: boolean }[];
      }[];
    }
  >;
  findings: { code: string; severity: string; message: string }[];
}
/** The fields of one resource of a plan's half, by type. */
const fieldsOf = (doc: PlanJson, type: string) =>
  doc.halves.cognito.resources.filter((r) => r.resource.type === type).flatMap((r) => r.fields);
const parse = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;
const awsCodes = (r: CliResult) =>
  parse<DoctorJson>(r)
    .files[0]!.findings.map((f) => f.code)
    .filter((c) => c.startsWith('aws/'));
const awsCheck = (r: CliResult) => parse<DoctorJson>(r).checks.find((c) => c.name === 'aws');
const describe_ = (userPoolId: string, clientId: string) =>
  aws.admin.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId })).then((a) => a.UserPoolClient!);

describe('doctor: the app client through the AWS API', () => {
  it('a correct client: the aws check passes, no aws finding', async () => {
    const { userPoolId, clientId } = await setup();
    writeConfig(userPoolId, clientId);
    const r = await doctor(userPoolId);
    expect(awsCheck(r)).toMatchObject({ status: 'pass', summary: expect.stringContaining('Cognito app client (AWS API)') });
    expect(awsCodes(r)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a client missing the callback, sign-out URL, a scope and the code flow: each finding, exit 1', async () => {
    const { userPoolId, clientId } = await setup({
      CallbackURLs: [OTHER_CALLBACK],
      LogoutURLs: [],
      AllowedOAuthFlows: ['implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
    });
    writeConfig(userPoolId, clientId);
    const r = await doctor(userPoolId);
    expect(awsCodes(r).sort()).toEqual(['aws/callback-missing', 'aws/flow-missing', 'aws/logout-missing', 'aws/scope-missing']);
    expect(awsCheck(r)?.status).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('text output names the section', async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] });
    writeConfig(userPoolId, clientId);
    const f = await fakes.take({
      clients: [],
      discovery: { userPoolId, region: REGION, domainHost: `${DOMAIN}.auth.${REGION}.amazoncognito.com` },
    });
    const r = await run(['doctor', '--skip', 'hosted-ui'], { CREATIO_SSO_COGNITO_IDP_URL: f.url });
    expect(r.stdout).toMatch(/aws: Cognito app client \(AWS API\): aws\/logout-missing/);
    expect(r.stdout).toContain('aws/logout-missing');
    expect(r.code).toBe(1);
  });

  it('no secret on the client: aws/no-secret', async () => {
    const { userPoolId, clientId } = await setup({}, { secret: false });
    writeConfig(userPoolId, clientId);
    const r = await doctor(userPoolId);
    expect(awsCodes(r)).toContain('aws/no-secret');
    expect(r.code).toBe(1);
  });

  it('a wrong secret: aws/secret-mismatch, and neither secret in the output', async () => {
    const { userPoolId, clientId } = await setup();
    writeConfig(userPoolId, clientId);
    const r = await doctor(userPoolId, [], { COGNITO_CLIENT_SECRET: WRONG_SECRET });
    expect(awsCodes(r)).toEqual(['aws/secret-mismatch']);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain(WRONG_SECRET);
    expect(r.code).toBe(1);
  });

  it('a client that does not exist: aws/client-not-found', async () => {
    const { userPoolId } = await setup();
    writeConfig(userPoolId, '1h57kf5cpq17m0eml12eqe3alr');
    const r = await doctor(userPoolId);
    expect(awsCodes(r)).toEqual(['aws/client-not-found']);
    expect(r.code).toBe(1);
  });

  it('no credentials: skipped with how to enable it (exit 0); with --aws exit 2', async () => {
    const { userPoolId, clientId } = await setup();
    writeConfig(userPoolId, clientId);
    const none = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    const skipped = await doctor(userPoolId, [], none);
    expect(awsCheck(skipped)).toMatchObject({ status: 'skip', summary: expect.stringContaining('--aws-profile') });
    expect(skipped.code).toBe(0);
    const explicit = await doctor(userPoolId, ['--aws'], none);
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toMatch(/No AWS credentials/);
  });

  it('--skip aws leaves the audit out and says so', async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] });
    writeConfig(userPoolId, clientId);
    const r = await doctor(userPoolId, ['--skip', 'aws,hosted-ui']);
    expect(awsCheck(r)).toMatchObject({ status: 'skip', summary: expect.stringContaining('--skip aws') });
    expect(awsCodes(r)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('plan', () => {
  it('a correct client: every field unchanged, --exit-code 0', async () => {
    const { userPoolId, clientId } = await setup();
    writeConfig(userPoolId, clientId);
    const r = await run(['plan', '--exit-code']);
    expect(r.code).toBe(0);
    // Each resource under a heading that says which one; unchanged fields only with --verbose.
    expect(r.stdout).toContain(`Cognito app client ${clientId} (pool ${userPoolId})  = no changes\n`);
    expect(r.stdout).toContain(`Cognito domain ${DOMAIN}  = no changes\n`);
    expect(r.stdout).not.toContain('AllowedOAuthFlows');
    expect(r.stdout).toContain('Creatio  - not checked: --skip creatio\n');
    expect(r.stdout).not.toMatch(/^ {2}[+~] /m);
    expect(r.stdout).toContain('No changes. Cognito matches the config. Creatio not checked (--skip creatio).\n');
    const verbose = await run(['plan', '--verbose']);
    expect(verbose.stdout).toContain('  = AllowedOAuthFlows  code');
  });

  it('a drifted client: lists the changes, --exit-code 4; apply --yes fixes them, keeping the rest; then nothing is pending', async () => {
    const { userPoolId, clientId } = await setup({
      CallbackURLs: [OTHER_CALLBACK],
      LogoutURLs: [],
      AllowedOAuthFlows: ['implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
    });
    writeConfig(userPoolId, clientId);
    const text = await run(['plan', '--exit-code']);
    expect(text.code).toBe(4);
    expect(text.stdout).toContain(`Cognito app client ${clientId} (pool ${userPoolId})  ~ update in place\n`);
    expect(text.stdout).toContain(`  + CallbackURLs  ${CALLBACK}`);
    expect(text.stdout).toContain(`  + LogoutURLs  ${SIGN_OUT}`);
    expect(text.stdout).toContain('  + AllowedOAuthFlows  code');
    expect(text.stdout).toContain('  + AllowedOAuthScopes  phone');
    expect(text.stdout).toContain('  (2 unchanged fields; --verbose shows them)');
    // One summary line on stdout counting resources, not fields; the findings that restate the lines are not repeated.
    expect(text.stdout).toContain('Plan: 0 to create, 1 to update, 1 unchanged. Creatio not checked (--skip creatio).\n');
    expect(text.stdout + text.stderr).not.toContain('aws/callback-missing');
    expect(text.stdout + text.stderr).not.toMatch(/run apply/);

    const json = await run(['plan', '--format', 'json']);
    // Drift apply fixes is the plan's "why" (info), not a failure: without --exit-code the plan exits 0.
    expect(json.code).toBe(0);
    const doc = parse<PlanJson>(json);
    expect(Object.keys(doc)).toEqual(['ok', 'summary', 'halves', 'findings']);
    expect(doc.ok).toBe(true);
    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'aws/callback-missing', severity: 'info' }));
    // The "why" names the resource the plan changes; it does not tell the reader to run apply.
    const why = doc.findings.find((f) => f.code === 'aws/callback-missing')!.message;
    expect(why).toContain(`the plan changes this (Cognito app client ${clientId} (pool ${userPoolId}))`);
    expect(doc.findings.filter((f) => f.severity === 'info').map((f) => f.message)).not.toContainEqual(expect.stringMatching(/run apply/));
    expect(doc.summary).toEqual({ create: 0, update: 1, unchanged: 1, manual: 0 });
    expect(doc.halves.cognito.status).toBe('checked');
    expect(doc.halves.creatio).toEqual({ status: 'skipped', reason: '--skip creatio', resources: [] });
    const client = doc.halves.cognito.resources.find((r) => r.resource.type === 'cognito-app-client');
    expect(client).toMatchObject({ resource: { type: 'cognito-app-client', id: clientId }, action: 'update' });
    expect(client?.fields).toContainEqual({ field: 'CallbackURLs', action: 'add', to: CALLBACK });

    const applied = await run(['apply', '--yes']);
    expect(applied.stdout).toContain('Apply complete: 0 created, 1 updated.');
    expect(applied.stdout + applied.stderr).not.toMatch(/Applied \d+ changes/);
    expect(applied.code).toBe(0);
    const after = await describe_(userPoolId, clientId);
    expect(after.CallbackURLs).toEqual([OTHER_CALLBACK, CALLBACK]);
    expect(after.LogoutURLs).toEqual([SIGN_OUT]);
    expect(after.AllowedOAuthFlows).toEqual(expect.arrayContaining(['implicit', 'code']));
    expect(after.AllowedOAuthScopes).toEqual(expect.arrayContaining(SCOPES));
    expect(after.RefreshTokenValidity).toBe(7);
    expect(after.AccessTokenValidity).toBe(2);

    expect((await run(['plan', '--exit-code'])).code).toBe(0);
    const again = await run(['apply', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
  });

  it('a pool without a domain: a warning that names the fix; apply creates the domain', async () => {
    const { userPoolId, clientId } = await setup({}, { domain: false });
    writeConfig(userPoolId, clientId);
    const r = await run(['plan', '--format', 'json']);
    const doc = parse<PlanJson>(r);
    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'discovery/no-hosted-ui-domain', severity: 'warning' }));
    expect(doc.findings.find((f) => f.code === 'discovery/no-hosted-ui-domain')?.message).toMatch(/apply creates/);
    expect(doc.halves.cognito.resources).toContainEqual({
      resource: { type: 'cognito-domain', id: DOMAIN },
      action: 'create',
      fields: [{ field: 'Domain', action: 'add', to: DOMAIN }],
    });
    expect(r.code).toBe(0);
    const applied = await run(['apply', '--yes']);
    expect(applied.code).toBe(0);
    const pool = await aws.admin.send(new sdk.DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    expect(pool.UserPool?.Domain).toBe(DOMAIN);
  });

  it('a client that does not exist: aws/client-not-found, exit 1', async () => {
    const { userPoolId } = await setup();
    writeConfig(userPoolId, '1h57kf5cpq17m0eml12eqe3alr');
    const r = await run(['plan', '--format', 'json']);
    expect(parse<PlanJson>(r).findings.map((f) => f.code)).toContain('aws/client-not-found');
    expect(r.code).toBe(1);
  });

  it('no AWS credentials: exit 2 naming what to set, also with --exit-code; --skip cognito says so, and skipping both is exit 2', async () => {
    const { userPoolId, clientId } = await setup();
    writeConfig(userPoolId, clientId);
    const none = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    // A scheduled drift check without credentials must not pass by reading nothing (§13: fail closed).
    for (const args of [['plan'], ['plan', '--exit-code'], ['plan', '--format', 'json'], ['apply', '--yes']]) {
      const r = await runCli([...args, '--skip', 'creatio'], { cwd: dir, env: { COGNITO_CLIENT_SECRET: SECRET } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Cognito: no AWS credentials in the environment: pass --aws-profile <name>');
      expect(r.stderr).toContain('--skip cognito');
      expect(r.stdout).toBe('');
    }
    // Both halves without credentials: both named at once.
    const both = await runCli(['plan'], { cwd: dir, env: { COGNITO_CLIENT_SECRET: SECRET } });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Cognito: no AWS credentials[\s\S]*Creatio: no Creatio credentials: set CREATIO_SSO_CREATIO_USERNAME/);
    const skipped = await run(['plan', '--format', 'json', '--skip', 'creatio,cognito'], none);
    expect(skipped.code).toBe(2);
    expect(skipped.stderr).toContain('Both halves were skipped');
    // --require is gone: requiring both halves is the default.
    const required = await run(['plan', '--require', 'cognito'], none);
    expect(required.code).toBe(2);
    expect(required.stderr).toContain("unknown option '--require'");
    expect((await run(['plan', '--aws'], none)).code).toBe(2);
  });

  it('a config with errors: its findings and exit 1, before anything about credentials', async () => {
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), 'version: 1\ncreatio:\n  url: not a url\n');
    for (const args of [['plan'], ['plan', '--exit-code'], ['apply', '--yes']]) {
      const r = await runCli(args, { cwd: dir, env: {} });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toMatch(/error/);
      expect(r.stdout + r.stderr).not.toMatch(/credentials|--skip/);
    }
  });
});

describe('apply', () => {
  it('without --yes and without a terminal: exit 2, nothing changed', async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] });
    writeConfig(userPoolId, clientId);
    const r = await run(['apply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect((await describe_(userPoolId, clientId)).LogoutURLs ?? []).toEqual([]);
  });

  it('--create-client: a new client with a secret; its ID into the config (comments kept), its secret only into the 0600 record', async () => {
    const { userPoolId } = await setup();
    const config = writeConfig(userPoolId);
    const plan = await run(['plan', '--create-client', '--format', 'json']);
    const doc = parse<PlanJson>(plan);
    expect(fieldsOf(doc, 'cognito-app-client')).toContainEqual({ field: 'ClientSecret', action: 'add', to: '(set)' });
    expect(doc.halves.cognito.resources.find((r) => r.resource.type === 'cognito-app-client')?.action).toBe('create');

    const r = await run(['apply', '--create-client', '--yes']);
    expect(r.code).toBe(0);
    const text = readFileSync(config, 'utf8');
    const id = /clientId: (\S+)/.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(text).toContain("# the team's SSO set-up");
    const recordPath = path.join(dir, 'creatio-sso', 'creatio-sso-record.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { SsoOpenIdProvider: { ClientID: string; ClientSecret: string } };
    expect(statSync(recordPath).mode & 0o777).toBe(0o600);
    expect(record.SsoOpenIdProvider.ClientID).toBe(id);
    const client = await describe_(userPoolId, id!);
    expect(record.SsoOpenIdProvider.ClientSecret).toBe(client.ClientSecret);
    expect(r.stdout + r.stderr).not.toContain(client.ClientSecret!);
    expect(r.stderr).toMatch(/Store the secret in the variable COGNITO_CLIENT_SECRET/);
    expect(client.CallbackURLs).toEqual([CALLBACK]);

    // The config now names a client that exists: --create-client again is a usage error; the record stays.
    const again = await run(['apply', '--create-client', '--yes']);
    expect(again.code).toBe(2);
    expect(existsSync(recordPath)).toBe(true);
  });
});

describe("apply's final checks", () => {
  it("after the changes, runs doctor's live look: with nothing answering for discovery the run is inconclusive (exit 3)", async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] });
    writeConfig(userPoolId, clientId);
    const port = await closedPort();
    // --skip login (not hosted-ui): the discovery check and the probes run after the change.
    const r = await run(['apply', '--yes', '--skip', 'login,creatio'], {
      CREATIO_SSO_COGNITO_IDP_URL: `http://127.0.0.1:${port}`,
    });
    expect((await describe_(userPoolId, clientId)).LogoutURLs).toEqual([SIGN_OUT]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('discovery/unreachable');
    // The ending agrees with the exit code: never "complete" when a check did not pass.
    expect(r.stdout).toContain('Applied 1 change, but 2 checks could not be completed (see above).');
    expect(r.stdout + r.stderr).not.toContain('Apply complete');
  });
});

describe('apply at a terminal', () => {
  /** A context as cli.ts makes it for a person at a terminal, with the output kept. */
  function terminal() {
    let text = '';
    const stream = Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), { isTTY: false });
    const env = { ...aws.moto.env, COGNITO_CLIENT_SECRET: SECRET };
    const ctx: Context = {
      output: createOutput({ color: false, verbose: false, stdout: stream, stderr: stream, env }),
      env,
      cwd: dir,
      stdin: Object.assign(new PassThrough(), { isTTY: true }),
      stdout: stream,
      stderr: stream,
      interactive: true,
      timeoutMs: 5000,
      verbose: false,
      signal: new AbortController().signal,
    };
    return { ctx, text: () => text };
  }
  /** Prompts that answer the one question apply asks, and record it. */
  const answering = (yes: boolean, asked: string[]): Prompts => ({
    text: () => Promise.reject(new Error('unexpected question')),
    secret: () => Promise.reject(new Error('unexpected question')),
    choice: () => Promise.reject(new Error('unexpected question')),
    yesNo: async (q) => {
      asked.push(q.message);
      return yes;
    },
  });
  // moto has no hosted UI: the final live look is left out, as --skip hosted-ui does.
  const opts = { format: 'text', outDir: 'creatio-sso', skip: new Set(['hosted-ui', 'creatio']) } as ApplyOptions;

  it('asks once "Apply these changes to 1 resource?" (the prompt adds its own (y/N)); No is a cancel (130), yes applies', async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] });
    writeConfig(userPoolId, clientId);
    const asked: string[] = [];
    const declined = await applyRun(opts, terminal().ctx, { prompts: answering(false, asked) }).catch((e: unknown) => e);
    expect(asked).toEqual(['Apply these changes to 1 resource?']);
    expect(declined).toBeInstanceOf(ExitError);
    expect((declined as ExitError).exitCode).toBe(130);
    expect((declined as ExitError).message).toBe('Apply cancelled: nothing was changed.');
    expect((await describe_(userPoolId, clientId)).LogoutURLs ?? []).toEqual([]);

    const t = terminal();
    await applyRun(opts, t.ctx, { prompts: answering(true, asked) });
    expect(asked).toHaveLength(2);
    expect((await describe_(userPoolId, clientId)).LogoutURLs).toEqual([SIGN_OUT]);
    expect(t.text()).toContain('(applied)');
  });
});

/**
 * moto behind a loopback forwarder: a request for `action` is answered by `onAction` (which may leave it
 * unanswered), every other one is passed to moto.
 */
async function forwarder(action: string, onAction: (res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (String(req.headers['x-amz-target']).endsWith(`.${action}`)) return onAction(res);
      const { port } = new URL(aws.moto.endpoint);
      const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** moto behind a forwarder that refuses one action, as IAM would. */
const refusing = (action: string) =>
  forwarder(action, (res) => {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: 'AccessDeniedException', message: `not allowed to ${action}` }));
  });

describe('apply stops at the first failure', () => {
  it('the client update is denied: exit 1, says what was applied (the domain) and what not (the client)', async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] }, { domain: false });
    writeConfig(userPoolId, clientId);
    const proxy = await refusing('UpdateUserPoolClient');
    try {
      const r = await run(['apply', '--yes'], { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.url });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/Applied: UserPoolDomain; not applied: UserPoolClient/);
      expect(r.stdout).toContain('cognito-idp:UpdateUserPoolClient');
      expect(r.stdout).toMatch(/Domain {2}acme-login \(applied\)/);
      expect(r.stdout).toMatch(/LogoutURLs {2}\S+ \(not applied\)/);
      expect(r.stdout).toContain('Stopped at the first failure: 1 of 2 changes applied (see above).');
      expect(r.stdout).not.toContain('Apply complete');
    } finally {
      await proxy.close();
    }
    expect((await describe_(userPoolId, clientId)).LogoutURLs ?? []).toEqual([]);
    const pool = await aws.admin.send(new sdk.DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    expect(pool.UserPool?.Domain).toBe(DOMAIN);
  });
});

/** moto behind a forwarder that leaves one action's requests unanswered; `arrived` resolves at the first. */
async function holding(action: string): Promise<{ url: string; arrived: Promise<void>; close: () => Promise<void> }> {
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  return { ...(await forwarder(action, () => arrive())), arrived };
}

describe('apply stopped while it changes the live side', () => {
  it('SIGTERM while the client update is out (the domain already created): exit 143, and it says changes may have been made', async () => {
    const { userPoolId, clientId } = await setup({ LogoutURLs: [] }, { domain: false });
    writeConfig(userPoolId, clientId);
    const proxy = await holding('UpdateUserPoolClient');
    const signals = new EventEmitter();
    try {
      const running = runCli(['apply', '--yes', '--skip', 'hosted-ui,creatio'], {
        cwd: dir,
        env: { ...aws.moto.env, COGNITO_CLIENT_SECRET: SECRET, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.url },
        signals,
      });
      await proxy.arrived;
      signals.emit('SIGTERM');
      const r = await running;
      expect(r.code).toBe(143);
      expect(r.stderr).toContain(
        'Stopped by SIGTERM while applying the changes: some may have been made, and a change already sent to AWS or Creatio stays (it is not undone).',
      );
      // What was sent (the domain, confirmed by its half), what may have been (the client update in flight), and what to run.
      expect(r.stderr).toContain('Sent: Cognito UserPoolDomain.Domain.');
      expect(r.stderr).toMatch(/Possibly sent: .*Cognito UserPoolClient\.LogoutURLs/);
      expect(r.stderr).toContain('Run creatio-sso plan to see what is still pending.');
      expect(r.stderr).not.toContain('nothing was written');
    } finally {
      await proxy.close();
    }
    // The domain was created before the stop: plan shows it and the client change still pending.
    const pool = await aws.admin.send(new sdk.DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    expect(pool.UserPool?.Domain).toBe(DOMAIN);
  });
});

describe('a side that cannot be read', () => {
  it('DescribeUserPoolClient denied: the Cognito half is stopped with aws/access-denied naming the action, exit 1', async () => {
    const { userPoolId, clientId } = await setup();
    writeConfig(userPoolId, clientId);
    const proxy = await refusing('DescribeUserPoolClient');
    try {
      const r = await run(['plan', '--format', 'json', '--exit-code'], { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.url });
      const doc = parse<PlanJson>(r);
      expect(doc.halves.cognito).toMatchObject({
        status: 'stopped',
        reason: expect.stringContaining('cognito-idp:DescribeUserPoolClient'),
      });
      expect(doc.findings.map((f) => f.code)).toContain('aws/access-denied');
      expect(doc.ok).toBe(false);
      expect(r.code).toBe(1);
      const applied = await run(['apply', '--yes'], { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: proxy.url });
      expect(applied.code).toBe(1);
      expect(applied.stdout).toContain('Nothing was changed.');
    } finally {
      await proxy.close();
    }
  });
});
