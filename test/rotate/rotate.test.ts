/**
 * `rotate` (§16) end to end, in process: the CLI against moto behind the client-secret stand-in, the
 * hosted-UI stand-in's token endpoint (which accepts exactly the client's current secrets) and the Creatio
 * stand-in (which stores the ClientSecret it is given). After every run, and after every stop, the
 * invariant: the token endpoint accepts the value Creatio's stand-in holds.
 */
import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RotateOptions } from '../../src/cli/program.js';
import { run as rotateRun } from '../../src/commands/rotate.js';
import type { Context } from '../../src/cli/context.js';
import { ExitError } from '../../src/cli/errors.js';
import type { ProofTiming } from '../../src/rotate/prove.js';
import { createOutput } from '../../src/io/output.js';
import { cleanEnv, runCli, tempDir, type CliResult } from '../support/cli.js';
import { exampleProvider, startFakeCreatio, type FakeCreatio, type FakeCreatioOptions } from '../support/fake-creatio.js';
import { startFakeHostedUi, type FakeHostedUi, type RecordedRequest } from '../support/fake-hosted-ui.js';
import { addConfirmedUser } from '../support/moto-login.js';
import { useMoto } from '../support/moto.js';

const REGION = 'eu-west-1';
const DOMAIN = 'acme-login';
const ORIGINAL = 'Or1ginalSecret7Kq2Lm9Np4Rt6Vw8Yz1Ab3Cd5Ef7Gh9Jk2Mn';
const PASSWORD = 'Supervisor!1-not-a-real-one';
const CODE = 'cognito-rotate';
/** The --login test user (§14) and the password it signs in with. */
const TEST_USER = { username: 'ada', password: 'Test-Passw0rd!rotate', attributes: { email: 'ada@example.com', email_verified: 'true' } };

let dir: string;
let cleanup: () => void;
const closers: Array<() => Promise<void>> = [];

const emulator = useMoto(REGION);

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('creatio-sso-rotate-'));
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  cleanup();
});

/**
 * A forwarder in front of a stand-in: passes everything on; once `arm`ed, the first request `when` picks
 * is answered and then `then` runs (the test's stop signal), and every later request is held.
 */
interface Tap {
  url: string;
  /** `before`: `then` runs as the answer arrives, before it is passed on (the stop lands while the request is in flight). */
  arm(when: (req: IncomingMessage) => boolean, then: () => void, before?: boolean): void;
  /** Pass everything on again (after the stopped run). */
  release(): void;
  /** Every request passed on: its X-Amz-Target (if any) and body. */
  seen: { target: string; body: string }[];
}
async function tap(target: string): Promise<Tap> {
  const t = new URL(target);
  let trigger: { when: (req: IncomingMessage) => boolean; then: () => void; before: boolean } | undefined;
  let holding = false;
  const seen: Tap['seen'] = [];
  const server: Server = createServer((req, res) => {
    if (holding) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ target: String(req.headers['x-amz-target'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      const hit = trigger?.when(req) === true;
      const up = httpRequest(
        { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, host: t.host } },
        (answer) => {
          if (hit && trigger?.before) {
            trigger.then();
            trigger = undefined;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            if (hit && trigger) {
              const then = trigger.then;
              trigger = undefined;
              holding = true;
              setTimeout(then, 20);
            }
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    arm: (when, then, before = false) => {
      holding = false;
      trigger = { when, then, before };
    },
    release: () => {
      holding = false;
      trigger = undefined;
    },
  };
}

interface World {
  userPoolId: string;
  clientId: string;
  site: FakeCreatio;
  hosted: FakeHostedUi;
  aws: Tap;
  creatio: Tap;
  env: Record<string, string | undefined>;
  /** What the client's secrets are now (values), oldest first. */
  secrets(): string[];
  /** What Creatio's stand-in holds. */
  creatioHolds(): string | undefined;
  /** The token endpoint's answer for a secret: accepted or not. */
  accepted(secret: string): Promise<boolean>;
  /** §16's invariant. */
  invariant(): Promise<void>;
  /** Every tap passes everything again, the hosted UI answers as at the start. */
  release(): void;
  run(args: string[], extra?: { env?: Record<string, string | undefined>; signals?: EventEmitter; input?: string }): Promise<CliResult>;
}

/**
 * CREATIO_SSO_COGNITO_IDP_URL for a --login world: the pool's JWKS from moto (which signs the ID tokens),
 * everything else (discovery) from the hosted-UI stand-in.
 */
async function idpRouter(hosted: string, jwks: string): Promise<string> {
  const server: Server = createServer((req, res) => {
    const to = new URL(req.method === 'GET' && /\/\.well-known\/jwks\.json$/.test(req.url ?? '') ? jwks : hosted);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function world(
  o: { secret?: boolean; domain?: string; creatio?: FakeCreatioOptions; newSecretDelayMs?: number; login?: boolean } = {},
): Promise<World> {
  const pool = await emulator.admin.send(new sdk.CreateUserPoolCommand({ PoolName: 'acme' }));
  const userPoolId = pool.UserPool!.Id!;
  await emulator.admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: DOMAIN }));
  const created = await emulator.admin.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'creatio',
      ...(o.secret === false ? {} : { GenerateSecret: true, ClientSecret: ORIGINAL }),
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      ...(o.login ? { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ReadAttributes: ['email'] } : {}),
    } as sdk.CreateUserPoolClientRequest),
  );
  const clientId = created.UserPoolClient!.ClientId!;
  if (o.login) await addConfirmedUser(emulator.admin, userPoolId, TEST_USER);
  const current = () => emulator.moto.secrets.secretsOf(clientId)?.map((s) => s.value) ?? (o.secret === false ? [] : [ORIGINAL]);
  const hostedOptions = {
    clients: [{ clientId, secrets: current, callbackUrls: [], logoutUrls: [], scopes: [] }],
    discovery: { userPoolId, region: REGION, domainHost: `${DOMAIN}.auth.${REGION}.amazoncognito.com` },
    ...(o.newSecretDelayMs !== undefined ? { newSecretDelayMs: o.newSecretDelayMs } : {}),
  };
  const hosted = await startFakeHostedUi(hostedOptions);
  closers.push(() => hosted.close());
  const creatioOptions: FakeCreatioOptions = {
    users: { Supervisor: PASSWORD },
    features: { EnableOpenIDAuth: 1 },
    providers: [
      exampleProvider({
        Code: CODE,
        ClientID: clientId,
        ClientSecret: o.secret === false ? '' : ORIGINAL,
        Url: `https://${DOMAIN}.auth.${REGION}.amazoncognito.com`,
      }),
    ],
    ...o.creatio,
  };
  const site = await startFakeCreatio(creatioOptions);
  closers.push(() => site.close());
  const creatio = await tap(site.url);
  // Creatio builds its callback from the root it believes it has: the one the config names.
  creatioOptions.publicUrl = creatio.url;
  const aws = await tap(emulator.moto.endpoint);
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    `version: 1
creatio:
  url: ${creatio.url}
  deployment: on-site
cognito:
  userPoolId: ${userPoolId}
  region: ${REGION}
  domain: ${o.domain ?? DOMAIN}
  clientId: ${clientId}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
provider:
  code: ${CODE}
`,
  );
  const env = {
    ...emulator.moto.env,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: aws.url,
    COGNITO_CLIENT_SECRET: ORIGINAL,
    CREATIO_SSO_CREATIO_URL: creatio.url,
    // The operator pins the pool: Creatio relays the secret to the pool's token endpoint (§10, creatio-relay).
    CREATIO_SSO_USER_POOL_ID: userPoolId,
    CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
    CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
    CREATIO_SSO_COGNITO_IDP_URL: o.login ? await idpRouter(hosted.url, emulator.moto.endpoint) : hosted.url,
    ...(o.login ? { CREATIO_SSO_TEST_PASSWORD: TEST_USER.password } : {}),
    ...(o.domain ? {} : { CREATIO_SSO_HOSTED_UI_URL: hosted.url }),
  };
  const ask = (secret: string) =>
    fetch(`${hosted.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=authorization_code&code=never-issued&redirect_uri=x',
    });
  const accepted = async (secret: string) => {
    // release() resets the stand-in, which cuts its open connections: a pooled one may be gone (Node 22's
    // fetch then fails with "other side closed"), so a failed connection is asked once more on a new one.
    const res = await ask(secret).catch(() => ask(secret));
    return ((await res.json()) as { error?: string }).error === 'invalid_grant';
  };
  const w: World = {
    userPoolId,
    clientId,
    site,
    hosted,
    aws,
    creatio,
    env,
    secrets: current,
    creatioHolds: () => site.providers[0]?.ClientSecret,
    release: () => {
      aws.release();
      creatio.release();
      hosted.reset({ ...hostedOptions });
    },
    accepted,
    invariant: async () => {
      const held = w.creatioHolds();
      expect(held, 'Creatio holds a secret').toBeTruthy();
      expect(await accepted(held!), 'the token endpoint accepts the secret Creatio holds').toBe(true);
    },
    run: (args, extra = {}) =>
      runCli(['rotate', '--config', 'creatio-sso.yaml', ...args], {
        cwd: dir,
        env: { ...env, ...extra.env },
        ...(extra.signals ? { signals: extra.signals } : {}),
        ...(extra.input !== undefined ? { input: extra.input } : {}),
        timeoutMs: 60_000,
      }),
  };
  return w;
}

const RECORD = () => path.join(dir, 'creatio-sso', 'creatio-sso-record.json');
const recordSecret = () =>
  (JSON.parse(readFileSync(RECORD(), 'utf8')) as { SsoOpenIdProvider: { ClientSecret: string } }).SsoOpenIdProvider.ClientSecret;
const noSecretIn = (r: CliResult, ...secrets: string[]) => {
  for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
};

/**
 * rotate's run() in this process with the proof's timing given (the CLI's PROOF_TIMING waits in seconds):
 * what it threw (undefined when it succeeded) and everything it wrote.
 */
async function rotateInProcess(w: World, proof: ProofTiming): Promise<{ error: unknown; text: string }> {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      out.push(chunk.toString());
      done();
    },
  });
  const env = cleanEnv(w.env);
  const ctx: Context = {
    output: createOutput({ color: false, verbose: false, stdout: stream, stderr: stream, env }),
    env,
    cwd: dir,
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    stdout: stream,
    stderr: stream,
    interactive: false,
    timeoutMs: 10_000,
    verbose: false,
    signal: new AbortController().signal,
  };
  const opts = { config: 'creatio-sso.yaml', format: 'text', outDir: 'creatio-sso' } as RotateOptions;
  const error = await rotateRun(opts, ctx, { proof }).then(
    () => undefined,
    (x: unknown) => x,
  );
  return { error, text: out.join('') };
}

describe('rotate: the happy path', () => {
  it('rotate adds, stores, proves and gives the new secret to Creatio; --finish leaves one secret, the new one', async () => {
    const w = await world();
    await w.invariant();
    const r = await w.run([]);
    expect(r.stderr).toContain('run: creatio-sso rotate --finish');
    expect(r.code).toBe(0);
    const [, fresh] = w.secrets();
    expect(w.secrets()).toHaveLength(2);
    expect(fresh).toBeDefined();
    noSecretIn(r, ORIGINAL, fresh!);
    expect(r.stdout).toMatch(/^✔ read: 1 secret/m);
    expect(r.stdout).toMatch(/^✔ add: a second secret \S+--\d+/m);
    expect(r.stdout).toMatch(/^✔ store: .*creatio-sso-record\.json \(0600\)/m);
    expect(r.stdout).toMatch(/^✔ prove: /m);
    expect(r.stdout).toMatch(/^✔ creatio: provider cognito-rotate holds it/m);
    expect(recordSecret()).toBe(fresh);
    expect(statSync(RECORD()).mode & 0o777).toBe(0o600);
    expect(w.creatioHolds()).toBe(fresh);
    await w.invariant();
    // The old secret still works for everyone else until --finish.
    expect(await w.accepted(ORIGINAL)).toBe(true);

    const f = await w.run(['--finish', '--format', 'json']);
    expect(f.code).toBe(0);
    noSecretIn(f, ORIGINAL, fresh!);
    const doc = JSON.parse(f.stdout) as { steps: { step: string; status: string }[]; findings: unknown[] };
    expect(doc.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['read:done', 'creatio:done', 'prove:done', 'retire:done']);
    expect(w.secrets()).toEqual([fresh]);
    expect(w.creatioHolds()).toBe(fresh);
    await w.invariant();
    expect(await w.accepted(ORIGINAL)).toBe(false);

    // A second --finish has nothing to do.
    const again = await w.run(['--finish']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to finish/);
  });

  it('--secret-out - pipes the new secret alone on stdout; the step lines go to stderr', async () => {
    const w = await world();
    const r = await w.run(['--secret-out', '-']);
    expect(r.code).toBe(0);
    const fresh = w.secrets()[1]!;
    expect(r.stdout).toBe(`${fresh}\n`);
    expect(r.stderr).not.toContain(fresh);
    expect(r.stderr).toMatch(/✔ store: the new secret went to stdout/);
    expect(existsSync(RECORD())).toBe(false);
    await w.invariant();
    // --finish with the piped value given back on stdin (the operator's secret store has it now).
    const f = await w.run(['--finish', '--new-secret-stdin'], { input: fresh });
    expect(f.code).toBe(0);
    expect(w.secrets()).toEqual([fresh]);
    await w.invariant();
  });

  it('a new secret accepted only after a moment: the proof asks again until it is', async () => {
    // The proof's timing shortened (PROOF_TIMING asks every second for 30 s): accepted after 400 ms.
    const w = await world({ newSecretDelayMs: 400 });
    const r = await rotateInProcess(w, { windowMs: 10_000, intervalMs: 100 });
    expect(r.error).toBeUndefined();
    expect(r.text).toContain('run: creatio-sso rotate --finish');
    const tokens = w.hosted.requests.filter((q: RecordedRequest) => q.path === '/oauth2/token');
    expect(tokens.length).toBeGreaterThan(2);
    await w.invariant();
  });

  it('--dry-run prints the steps and changes nothing', async () => {
    const w = await world();
    const r = await w.run(['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/• add: /);
    expect(r.stdout).toMatch(/• creatio: /);
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.site.writes()).toEqual([]);
  });

  it('--finish --grace: too young, nothing deleted, exit 0 with the time to run again', async () => {
    const w = await world();
    expect((await w.run([])).code).toBe(0);
    const r = await w.run(['--finish', '--grace', '1d', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { steps: { step: string; status: string; detail: string }[] };
    expect(doc.steps.at(-1)).toMatchObject({ step: 'retire', status: 'waiting' });
    expect(doc.steps.at(-1)!.detail).toMatch(/run this again after \d{4}-/);
    expect(w.secrets()).toHaveLength(2);
    await w.invariant();
  });
});

type StopAt = 'add' | 'prove' | 'creatio';
const STOPS: Record<StopAt, (w: World, signals: EventEmitter) => void> = {
  add: (w, s) =>
    w.aws.arm(
      (req) => String(req.headers['x-amz-target']).endsWith('.AddUserPoolClientSecret'),
      () => s.emit('SIGTERM'),
      true,
    ),
  prove: (w, s) => {
    const original = Buffer.from(`${w.clientId}:${ORIGINAL}`).toString('base64');
    w.hosted.reset({
      clients: [{ clientId: w.clientId, secrets: () => w.secrets(), callbackUrls: [], logoutUrls: [], scopes: [] }],
      discovery: { userPoolId: w.userPoolId, region: REGION, domainHost: `${DOMAIN}.auth.${REGION}.amazoncognito.com` },
      answer: (req) => {
        if (req.path === '/oauth2/token' && !String(req.headers.authorization).endsWith(original)) s.emit('SIGTERM');
        return undefined;
      },
    });
  },
  creatio: (w, s) =>
    w.creatio.arm(
      (req) => /UpdateQuery$/.test(req.url ?? ''),
      () => s.emit('SIGTERM'),
    ),
};

describe('rotate: a stop after each step, then the run that continues', () => {
  it.each([
    ['add', 'rotate'],
    ['add', 'abort'],
    ['prove', 'rotate'],
    ['prove', 'abort'],
    ['creatio', 'rotate'],
    ['creatio', 'abort'],
  ] as const)('SIGTERM at %s, then %s', async (at, then) => {
    const w = await world();
    const signals = new EventEmitter();
    STOPS[at](w, signals);
    const stopped = await w.run([], { signals });
    w.release();
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/Stopped by SIGTERM at the step \w+: sent AddUserPoolClientSecret/);
    expect(stopped.stderr).toContain('these stay');
    expect(stopped.stderr).toContain('Continue with creatio-sso rotate --config creatio-sso.yaml');
    expect(stopped.stderr.toLowerCase()).not.toContain('nothing was changed');
    const fresh = w.secrets()[1]!;
    noSecretIn(stopped, ORIGINAL, fresh);
    expect(w.secrets()).toHaveLength(2);
    // The new secret was stored before the stop took effect: the stop can always be resumed.
    expect(recordSecret()).toBe(fresh);
    await w.invariant();

    if (then === 'rotate') {
      const resumed = await w.run([]);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).not.toMatch(/add:/);
      expect(w.creatioHolds()).toBe(fresh);
      await w.invariant();
      const finished = await w.run(['--finish']);
      expect(finished.code).toBe(0);
      expect(w.secrets()).toEqual([fresh]);
      expect(w.creatioHolds()).toBe(fresh);
    } else {
      const aborted = await w.run(['--abort']);
      expect(aborted.stderr).toContain('Rotation aborted');
      expect(aborted.code).toBe(0);
      expect(w.secrets()).toEqual([ORIGINAL]);
      expect(w.creatioHolds()).toBe(ORIGINAL);
    }
    await w.invariant();
  });

  it('SIGTERM during --finish after Creatio was given the newer secret: --finish again completes it', async () => {
    const w = await world();
    expect((await w.run([])).code).toBe(0);
    const fresh = w.secrets()[1]!;
    const signals = new EventEmitter();
    STOPS.creatio(w, signals);
    const stopped = await w.run(['--finish'], { signals });
    w.release();
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toContain('Continue with creatio-sso rotate --finish --config creatio-sso.yaml');
    expect(w.secrets()).toHaveLength(2);
    await w.invariant();
    const done = await w.run(['--finish']);
    expect(done.code).toBe(0);
    expect(w.secrets()).toEqual([fresh]);
    await w.invariant();
  });
});

describe('rotate: a stop during --abort and during the delete of --finish, then the run that continues', () => {
  /** SIGTERM as DeleteUserPoolClientSecret's answer arrives (the delete is done at Cognito; the run learns it, or not). */
  const stopAtDelete = (w: World, s: EventEmitter) =>
    w.aws.arm(
      (req) => String(req.headers['x-amz-target']).endsWith('.DeleteUserPoolClientSecret'),
      () => s.emit('SIGTERM'),
      true,
    );

  it.each([
    ['abort', 'creatio', 'abort'],
    ['abort', 'creatio', 'finish'],
    ['abort', 'retire', 'abort'],
    ['abort', 'retire', 'finish'],
    ['finish', 'retire', 'finish'],
    ['finish', 'retire', 'abort'],
  ] as const)('SIGTERM during --%s at %s, then --%s', async (mode, at, then) => {
    const w = await world();
    expect((await w.run([])).code).toBe(0);
    const fresh = w.secrets()[1]!;
    await w.invariant();

    const signals = new EventEmitter();
    if (at === 'creatio') STOPS.creatio(w, signals);
    else stopAtDelete(w, signals);
    const stopped = await w.run([`--${mode}`], { signals });
    w.release();
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(new RegExp(`Stopped by SIGTERM at the step ${at}: sent `));
    expect(stopped.stderr).toContain(`Continue with creatio-sso rotate --${mode} --config creatio-sso.yaml`);
    expect(stopped.stderr.toLowerCase()).not.toContain('nothing was changed');
    if (at === 'retire') {
      // The stop cut the delete's answer off: the run says it may have been done, not that AWS did not answer.
      expect(stopped.stderr).toContain('Possibly sent: DeleteUserPoolClientSecret');
      expect(stopped.stderr).toContain('whether or not the delete went through');
      expect(stopped.stderr).not.toContain('aws/unreachable');
    }
    noSecretIn(stopped, ORIGINAL, fresh);
    // What the stop left: the delete reached Cognito, or (at creatio) nothing was deleted.
    const keeps = mode === 'abort' ? ORIGINAL : fresh;
    expect(w.secrets()).toEqual(at === 'retire' ? [keeps] : [ORIGINAL, fresh]);
    expect(w.creatioHolds()).toBe(keeps);
    await w.invariant();

    const next = await w.run([`--${then}`]);
    expect(next.code, next.stderr).toBe(0);
    noSecretIn(next, ORIGINAL, fresh);
    if (at === 'retire') {
      // One secret left: nothing to finish or abort.
      expect(next.stdout).toMatch(new RegExp(`nothing to ${then}`));
      expect(w.secrets()).toEqual([keeps]);
      expect(w.creatioHolds()).toBe(keeps);
    } else {
      const survivor = then === 'abort' ? ORIGINAL : fresh;
      expect(w.secrets()).toEqual([survivor]);
      expect(w.creatioHolds()).toBe(survivor);
    }
    await w.invariant();
  });
});

describe('rotate --secret-out <file>: the raw format', () => {
  it('stores the new secret alone on a line in a 0600 file, prints it nowhere; --finish reads it back from there', async () => {
    const w = await world();
    const file = path.join(dir, 'secrets', 'cognito-client-secret');
    const r = await w.run(['--secret-out', 'secrets/cognito-client-secret']);
    expect(r.code, r.stderr).toBe(0);
    const fresh = w.secrets()[1]!;
    expect(readFileSync(file, 'utf8')).toBe(`${fresh}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout).toMatch(/^✔ store: the new secret is in secrets\/cognito-client-secret \(0600\)/m);
    expect(r.stderr).toContain('creatio-sso rotate --finish');
    expect(existsSync(RECORD())).toBe(false);
    noSecretIn(r, ORIGINAL, fresh);
    expect(w.creatioHolds()).toBe(fresh);
    await w.invariant();

    const f = await w.run(['--finish', '--secret-out', 'secrets/cognito-client-secret']);
    expect(f.code, f.stderr).toBe(0);
    expect(w.secrets()).toEqual([fresh]);
    expect(w.creatioHolds()).toBe(fresh);
    expect(readFileSync(file, 'utf8')).toBe(`${fresh}\n`);
    noSecretIn(f, ORIGINAL, fresh);
    await w.invariant();
  });
});

describe('rotate: refusals and failures', () => {
  it('the new secret refused: the added secret is deleted again, nothing else changes (exit 1)', async () => {
    const w = await world({ newSecretDelayMs: Infinity });
    const { error: e, text } = await rotateInProcess(w, { windowMs: 600, intervalMs: 150 });
    expect(e).toBeInstanceOf(ExitError);
    expect((e as ExitError).exitCode).toBe(1);
    expect(text).toContain('rotate/new-secret-refused');
    expect(text).toMatch(/was deleted again/);
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.site.writes()).toEqual([]);
    expect(existsSync(RECORD())).toBe(false);
    expect(text).not.toContain(ORIGINAL);
    await w.invariant();
  });

  it('Creatio refuses the update: both secrets stay, sign-in keeps working, and the message says how to resume', async () => {
    const broken: Record<string, 404> = { UpdateQuery: 404 };
    const w = await world({ creatio: { broken } });
    const r = await w.run([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rotate/creatio-not-updated');
    expect(r.stderr).toMatch(/Both secrets stay valid, so sign-in keeps working/);
    expect(r.stderr).toMatch(/then run creatio-sso rotate --config creatio-sso\.yaml/);
    expect(w.secrets()).toHaveLength(2);
    expect(w.creatioHolds()).toBe(ORIGINAL);
    await w.invariant();
    delete broken.UpdateQuery;
    const resumed = await w.run([]);
    expect(resumed.code).toBe(0);
    expect(w.creatioHolds()).toBe(w.secrets()[1]);
    await w.invariant();
  });

  it('a public client: rotate/public-client, exit 2, nothing changed', async () => {
    const w = await world({ secret: false });
    const r = await w.run(['--skip', 'creatio']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rotate/public-client');
  });

  it('no place to store the secret (--secret-out names a folder): exit 2 before any change', async () => {
    const w = await world();
    mkdirSync(path.join(dir, 'a-folder'));
    const r = await w.run(['--secret-out', 'a-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no place to be stored/);
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.site.writes()).toEqual([]);
  });

  it('an unconfirmed custom domain: exit 2 naming CREATIO_SSO_DOMAIN, no secret sent anywhere', async () => {
    const w = await world({ domain: 'auth.acme.com' });
    const r = await w.run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CREATIO_SSO_DOMAIN');
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.hosted.requests.some((q) => q.path === '/oauth2/token')).toBe(false);
  });

  it('a pool only the file names: exit 2 naming CREATIO_SSO_USER_POOL_ID, nothing added, nothing written into Creatio (§10: Creatio relays the secret)', async () => {
    const w = await world();
    const r = await w.run([], { env: { CREATIO_SSO_USER_POOL_ID: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CREATIO_SSO_USER_POOL_ID');
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.site.writes()).toEqual([]);
  });

  it('two secrets and no known newer value: rotate/two-secrets naming --finish and --abort; --abort still works', async () => {
    const w = await world();
    await emulator.admin.send(new sdk.AddUserPoolClientSecretCommand({ UserPoolId: w.userPoolId, ClientId: w.clientId }));
    expect(w.secrets()).toHaveLength(2);
    for (const args of [[], ['--finish']]) {
      const r = await w.run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('rotate/two-secrets');
      expect(r.stderr).toMatch(/--finish .*--abort/);
    }
    expect(w.secrets()).toHaveLength(2);
    expect(w.site.writes()).toEqual([]);
    const a = await w.run(['--abort']);
    expect(a.code).toBe(0);
    expect(w.secrets()).toEqual([ORIGINAL]);
    await w.invariant();
  });

  it('--secret-out - with --format json: exit 2, nothing changed (stdout carries one JSON document)', async () => {
    const w = await world();
    const r = await w.run(['--secret-out', '-', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format json');
    expect(r.stdout).toBe('');
    expect(w.secrets()).toEqual([ORIGINAL]);
  });

  it('--skip creatio with --finish needs --yes (exit 2)', async () => {
    const w = await world();
    const r = await w.run(['--skip', 'creatio', '--finish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
  });
});

/** The SECRET_HASH of the --login user for a secret (§14). */
const hashFor = (clientId: string, secret: string) =>
  createHmac('sha256', secret)
    .update(TEST_USER.username + clientId, 'utf8')
    .digest('base64');
/** The SECRET_HASH of every AdminInitiateAuth the run sent (through the AWS tap). */
const signInHashes = (w: World) =>
  w.aws.seen
    .filter((q) => q.target.endsWith('.AdminInitiateAuth'))
    .map((q) => (JSON.parse(q.body) as { AuthParameters: { SECRET_HASH?: string } }).AuthParameters.SECRET_HASH);

describe('rotate --login: the login proof (§14) with the secret Creatio was given (§16 step 5)', () => {
  it('rotate --login signs the test user in with the new secret; --finish --login with the one that stays', async () => {
    const w = await world({ login: true });
    const r = await w.run(['--login', TEST_USER.username]);
    expect(r.code, r.stderr).toBe(0);
    const fresh = w.secrets()[1]!;
    expect(r.stdout).toMatch(
      /^✔ creatio: provider cognito-rotate holds it; .*ada signed in with it \(AdminInitiateAuth\), ID token verified/m,
    );
    // The proof used the new secret, not the configured one.
    expect(signInHashes(w)).toEqual([hashFor(w.clientId, fresh)]);
    noSecretIn(r, ORIGINAL, fresh, TEST_USER.password, hashFor(w.clientId, fresh));
    await w.invariant();

    w.aws.seen.length = 0;
    const f = await w.run(['--finish', '--login', TEST_USER.username]);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/ada signed in with it/);
    expect(signInHashes(w)).toEqual([hashFor(w.clientId, fresh)]);
    expect(w.secrets()).toEqual([fresh]);
    noSecretIn(f, ORIGINAL, fresh, TEST_USER.password);
    await w.invariant();
  });

  it('a refused sign-in is rotate/creatio-not-updated: both secrets stay valid; the run again with the password on stdin completes it', async () => {
    const w = await world({ login: true });
    const wrong = 'Wrong-Passw0rd!rotate';
    const r = await w.run(['--login', TEST_USER.username], { env: { CREATIO_SSO_TEST_PASSWORD: wrong } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ creatio: login\/bad-credentials/m);
    expect(r.stderr).toContain('rotate/creatio-not-updated');
    expect(r.stderr).toContain('login/bad-credentials');
    expect(r.stderr).toMatch(/was written, but the login proof failed/);
    expect(r.stderr).toMatch(/Both secrets stay valid, so sign-in keeps working/);
    expect(r.stderr).toMatch(/Continue with creatio-sso rotate --config creatio-sso\.yaml/);
    expect(w.secrets()).toHaveLength(2);
    const fresh = w.secrets()[1]!;
    noSecretIn(r, ORIGINAL, fresh, wrong, TEST_USER.password);
    await w.invariant();
    expect(await w.accepted(ORIGINAL)).toBe(true);

    const resumed = await w.run(['--login', TEST_USER.username, '--password-stdin'], {
      env: { CREATIO_SSO_TEST_PASSWORD: undefined },
      input: TEST_USER.password,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).not.toMatch(/add:/);
    expect(resumed.stdout).toMatch(/ada signed in with it/);
    expect(w.creatioHolds()).toBe(fresh);
    noSecretIn(resumed, ORIGINAL, fresh, TEST_USER.password);
    await w.invariant();
  });

  it('a pool only the file names: trust/unpinned-host (exit 2) before any change; the password is never sent', async () => {
    const w = await world({ login: true });
    const r = await w.run(['--login', TEST_USER.username], { env: { CREATIO_SSO_USER_POOL_ID: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('trust/unpinned-host');
    expect(r.stderr).toContain('Not sending the test password');
    expect(r.stderr).toContain('Nothing was changed');
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.site.writes()).toEqual([]);
    expect(signInHashes(w)).toEqual([]);
    noSecretIn(r, ORIGINAL, TEST_USER.password);
  });

  it('usage errors before any change: no password; --login with --skip creatio; --password-stdin without --login', async () => {
    const w = await world({ login: true });
    const cases: [string[], Record<string, string | undefined>, RegExp][] = [
      [
        ['--login', TEST_USER.username],
        { CREATIO_SSO_TEST_PASSWORD: undefined },
        /needs the test user's password: export CREATIO_SSO_TEST_PASSWORD/,
      ],
      [['--login', TEST_USER.username, '--skip', 'creatio'], {}, /--login signs the test user in .* --skip creatio leaves out/],
      [['--password-stdin'], {}, /--password-stdin reads the test user's password for --login/],
    ];
    for (const [args, env, message] of cases) {
      const r = await w.run(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      noSecretIn(r, ORIGINAL, TEST_USER.password);
    }
    expect(w.secrets()).toEqual([ORIGINAL]);
    expect(w.site.writes()).toEqual([]);
  });

  it.each(['finish', 'abort'] as const)('SIGTERM during the sign-in, then --%s --login', async (then) => {
    const w = await world({ login: true });
    const signals = new EventEmitter();
    w.aws.arm(
      (req) => String(req.headers['x-amz-target']).endsWith('.AdminInitiateAuth'),
      () => signals.emit('SIGTERM'),
      true,
    );
    const stopped = await w.run(['--login', TEST_USER.username], { signals });
    w.release();
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/Stopped by SIGTERM at the step creatio: sent AddUserPoolClientSecret .*Creatio's ClientSecret/);
    expect(stopped.stderr).toContain('Continue with creatio-sso rotate --config creatio-sso.yaml');
    const fresh = w.secrets()[1]!;
    noSecretIn(stopped, ORIGINAL, fresh, TEST_USER.password);
    expect(w.creatioHolds()).toBe(fresh);
    await w.invariant();

    const next = await w.run([`--${then}`, '--login', TEST_USER.username]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/ada signed in with it/);
    const survivor = then === 'finish' ? fresh : ORIGINAL;
    expect(w.secrets()).toEqual([survivor]);
    expect(w.creatioHolds()).toBe(survivor);
    noSecretIn(next, ORIGINAL, fresh, TEST_USER.password);
    await w.invariant();
  });

  it('--dry-run --login names the sign-in in the creatio step and sends nothing', async () => {
    const w = await world({ login: true });
    const r = await w.run(['--dry-run', '--login', TEST_USER.username]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/• creatio: UpdateQuery: the provider's ClientSecret; then ada signs in with it \(AdminInitiateAuth\)/);
    expect(signInHashes(w)).toEqual([]);
    expect(w.secrets()).toEqual([ORIGINAL]);
  });
});
