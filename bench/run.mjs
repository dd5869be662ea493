#!/usr/bin/env node
// npm run bench: start-up, offline validation, online validation and doctor, measured side by side in
// one run on this machine, on the Node this script runs on (`node bench/run.mjs`; npm run bench uses the
// first node on PATH). Prints medians of wall time, the mean CPU time (user + system) of the measured
// process, peak memory, the ratio to each goal and the load. Nothing here contacts AWS: the online cases
// talk to a loopback server that answers like Cognito and its hosted UI after a fixed latency.
//
// Node's compile cache (module.enableCompileCache, in the bin) is warm for the goals: the bench keeps its
// own cache folder (NODE_COMPILE_CACHE), filled by a first run. The cold rows run with a fresh, empty
// folder each time: a user's very first run after an install (or after a Node upgrade).
// `--compare <bin>` measures another build's bin (the branch's base, built beside) in the same turns.
// `--only <part>` runs one part: `startup`, `offline`, `online` (validate --online and doctor) or `many`
// (plan over 200 configs against moto behind the rate-limit stand-in, real time: needs moto_server).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'creatio-sso.js');
const RSS = path.join(ROOT, 'bench', 'rss.mjs');
const quick = process.argv.includes('--quick');
const compareAt = process.argv.indexOf('--compare');
const OTHER = compareAt > 0 ? path.resolve(process.argv[compareAt + 1]) : undefined;
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
const part = (name) => ONLY === undefined || ONLY === name;
const RUNS = quick ? 3 : 9;
// `--limits 15/5,10/3` (the default): the stand-in's limits for the `many` rows, a second per category / pool × operation.
const limitsAt = process.argv.indexOf('--limits');
const LIMITS = (limitsAt > 0 ? process.argv[limitsAt + 1] : '15/5,10/3').split(',').map((l) => l.split('/').map(Number));
// The start-up cases are short and noisy: more runs, in turns (measureTogether).
const STARTUP_RUNS = quick ? 9 : 31;
const work = mkdtempSync(path.join(tmpdir(), 'creatio-sso-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  LANG: 'C.UTF-8',
  COGNITO_CLIENT_SECRET: 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w',
  // The bench's own compile cache: warm after each case's first run.
  NODE_COMPILE_CACHE: path.join(work, 'compile-cache'),
};
let coldCaches = 0;
/** A fresh, empty compile cache folder: the run compiles everything, as a user's first run does. */
const cold = () => ({ NODE_COMPILE_CACHE: path.join(work, `cold-cache-${coldCaches++}`) });

/**
 * CPU time (user + system, ms) of this process's finished children, from /proc/self/stat (cutime and
 * cstime, in clock ticks of 10 ms); undefined where there is no /proc.
 */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function run(args, extraEnv = {}, { memory = false } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
    const nodeArgs = memory ? ['--import', RSS, ...args] : args;
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, nodeArgs, {
      env: { ...env, ...(typeof extraEnv === 'function' ? extraEnv() : extraEnv), CREATIO_SSO_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const cpuAfter = childrenCpuMs();
      const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
      const rssKb = memory && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
      resolve({ ms, cpuMs, code, rssKb, stderr });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, args, extraEnv = {}, runs = RUNS, okCodes = [0]) {
  await run(args, extraEnv); // warm the file system cache and the compile cache
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(args, extraEnv);
    if (!okCodes.includes(r.code)) throw new Error(`${label}: exit ${r.code}\n${r.stderr}`);
    times.push(r.ms);
    if (r.cpuMs !== undefined) cpu.push(r.cpuMs);
  }
  const mem = await run(args, extraEnv, { memory: true });
  // CPU is counted in 10 ms ticks: the mean of many runs is finer than any one of them.
  const cpuMs = cpu.length === runs ? cpu.reduce((a, b) => a + b, 0) / runs : undefined;
  const result = { label, ms: median(times), cpuMs, rssMb: mem.rssKb / 1024 };
  return result;
}

/**
 * Several short cases measured in turns (one run of each, then the next round), so that a slower or
 * faster stretch of the machine falls on all of them alike: their ratios to `node -e 0` are what the
 * goals are about.
 */
async function measureTogether(cases, runs) {
  for (const c of cases) await run(c.args, c.env); // warm the file system cache and the compile cache
  const times = cases.map(() => []);
  const cpu = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cases.entries()) {
      const r = await run(c.args, c.env);
      if (r.code !== 0) throw new Error(`${c.label}: exit ${r.code}\n${r.stderr}`);
      times[k].push(r.ms);
      if (r.cpuMs !== undefined) cpu[k].push(r.cpuMs);
    }
  }
  const results = [];
  for (const [k, c] of cases.entries()) {
    const mem = await run(c.args, c.env, { memory: true });
    const cpuMs = cpu[k].length === runs ? cpu[k].reduce((a, b) => a + b, 0) / runs : undefined;
    results.push({ label: c.label, ms: median(times[k]), cpuMs, rssMb: mem.rssKb / 1024 });
  }
  return results;
}

function configYaml(i, pool, domain) {
  return `version: 1
creatio:
  url: https://site${i}.creatio.com
cognito:
  userPoolId: ${pool}
  domain: ${domain}
  clientId: ${`1h57kf5cpq17m0eml12eqe${i}`.padEnd(26, 'a').slice(0, 26)}
  clientSecret: \${env:COGNITO_CLIENT_SECRET}
jit:
  employees: true
  claims:
    phone_number: Contact:MobilePhone
`;
}

const poolOf = (p) => `eu-west-1_Bench${String(p).padStart(4, '0')}`;
const prefixOf = (p) => `bench-${p}`;

function writeConfigs(dir, count, pools) {
  const files = [];
  for (let i = 0; i < count; i++) {
    const p = i % pools;
    const file = path.join(dir, `env-${i}.yaml`);
    writeFileSync(file, configYaml(i, poolOf(p), prefixOf(p)));
    files.push(file);
  }
  return files;
}

/**
 * A loopback stand-in for cognito-idp (discovery and JWKS per pool) and the hosted UI (authorize,
 * token, logout, as Cognito answers a registered client with a wrong code), each answer after `latencyMs`.
 */
function cognitoServer(latencyMs) {
  const counts = new Map();
  const key = { kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB', n: 'x'.repeat(342) };
  const server = createServer((req, res) => {
    counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
    const m = /^\/([^/]+)\/\.well-known\/(openid-configuration|jwks\.json)$/.exec(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://stand-in');
    req.resume();
    setTimeout(() => {
      if (u.pathname === '/oauth2/authorize') return res.writeHead(302, { location: `/login${u.search}` }).end();
      if (u.pathname === '/logout') return res.writeHead(302, { location: u.searchParams.get('logout_uri') ?? '/login' }).end();
      if (u.pathname === '/oauth2/token') {
        return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      }
      if (!m) return res.writeHead(404).end();
      const [, pool, what] = m;
      const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`;
      const host = `https://${prefixOf(Number(pool.slice(-4)))}.auth.eu-west-1.amazoncognito.com`;
      const body =
        what === 'jwks.json'
          ? {
              keys: [
                { ...key, kid: 'a'.repeat(43) + '=' },
                { ...key, kid: 'b'.repeat(43) + '=' },
              ],
            }
          : {
              authorization_endpoint: `${host}/oauth2/authorize`,
              end_session_endpoint: `${host}/logout`,
              id_token_signing_alg_values_supported: ['RS256'],
              issuer,
              jwks_uri: `${issuer}/.well-known/jwks.json`,
              response_types_supported: ['code', 'token'],
              revocation_endpoint: `${host}/oauth2/revoke`,
              scopes_supported: ['openid', 'email', 'phone', 'profile'],
              subject_types_supported: ['public'],
              token_endpoint: `${host}/oauth2/token`,
              token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
              userinfo_endpoint: `${host}/oauth2/userInfo`,
            };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, latencyMs);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, counts, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

const charts = [];

/**
 * §17's bench: `plan --skip creatio` of 200 configs over 10 pools in one account, against moto behind the
 * rate-limit stand-in (test/support, bundled here by rolldown) in real time: Cognito's limits (15 a second per
 * category, 5 per pool × operation), then limits the client cannot know (10 and 3). One run each (a run is
 * half a minute or more). "Achieved rate": successful answers a second in the busiest category over the
 * middle 80 % of the run (§17); the chart shows that category's successful answers second by second.
 */
async function manyConfigs() {
  const { rolldown } = await import('rolldown');
  // Inside the project (node_modules/.cache), so the bundle's imports of the AWS SDK resolve; each module's
  // import.meta.url stays its own file's (moto.ts finds moto-server.py beside it).
  const support = path.join(ROOT, 'node_modules', '.cache', `bench-support-${process.pid}.mjs`);
  const entry = path.join(ROOT, 'bench-support.ts');
  const bundle = await rolldown({
    input: entry,
    platform: 'node',
    external: (id) => id !== entry && !id.startsWith('.') && !path.isAbsolute(id),
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    plugins: [
      {
        name: 'bench-support',
        resolveId: (source) => (source === entry ? entry : null),
        load: (id) => (id === entry ? "export * from './test/support/moto.ts'; export * from './test/support/moto-throttle.ts';" : null),
        transform: (code, id) =>
          code.includes('import.meta.url') ? code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(id).href)) : null,
      },
    ],
    logLevel: 'silent',
  });
  await bundle.write({ file: support, format: 'esm' });
  const { startMoto, motoAdmin, startThrottle } = await import(support);
  rmSync(support);
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  const moto = await startMoto();
  const admin = motoAdmin(moto, 'eu-west-1');
  const SECRET = env.COGNITO_CLIENT_SECRET;
  const CALLBACK = (i) => `https://site${i}.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback`;
  const SIGN_OUT = (i) => `https://site${i}.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback`;
  try {
    const POOLS = 10;
    const CONFIGS = 200;
    const dir = mkdtempSync(path.join(work, 'many-'));
    const pools = [];
    for (let p = 0; p < POOLS; p++) {
      const created = await admin.send(new sdk.CreateUserPoolCommand({ PoolName: `bench-${p}` }));
      const userPoolId = created.UserPool.Id;
      await admin.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefixOf(p) }));
      const sites = [...Array(CONFIGS).keys()].filter((i) => i % POOLS === p);
      const client = await admin.send(
        new sdk.CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: 'creatio',
          GenerateSecret: true,
          ClientSecret: SECRET,
          ReadAttributes: ['email', 'phone_number'],
          CallbackURLs: sites.map(CALLBACK),
          LogoutURLs: sites.map(SIGN_OUT),
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
          AllowedOAuthFlowsUserPoolClient: true,
          SupportedIdentityProviders: ['COGNITO'],
        }),
      );
      pools.push({ userPoolId, clientId: client.UserPoolClient.ClientId });
    }
    const files = [];
    for (let i = 0; i < CONFIGS; i++) {
      const p = pools[i % POOLS];
      const file = path.join(dir, `env-${String(i).padStart(3, '0')}.yaml`);
      writeFileSync(file, configYaml(i, p.userPoolId, prefixOf(i % POOLS)).replace(/clientId: .*/, `clientId: ${p.clientId}`));
      files.push(file);
    }
    for (const [perCategory, perPoolOperation] of LIMITS) {
      const throttle = await startThrottle(moto.endpoint, { perCategory, perPoolOperation });
      const outFile = path.join(work, `many-${perCategory}.json`);
      const r = await runTo(
        [BIN, 'plan', '--skip', 'creatio', '--format', 'json', ...files],
        { ...moto.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: throttle.url },
        outFile,
      );
      await throttle.close();
      const doc = JSON.parse(readFileSync(outFile, 'utf8'));
      const failed = doc.configs.filter((c) => !c.ok).length;
      const throttledFindings = doc.configs.filter((c) => (c.findings ?? []).some((f) => f.code === 'aws/throttled')).length;
      const { rate, category, perSecond } = achievedRate(throttle.log);
      const label = `plan --skip creatio, ${CONFIGS} configs / ${POOLS} pools, limits ${perCategory}/${perPoolOperation}`;
      rows.push([
        label,
        fmt(r.ms),
        r.cpuMs === undefined ? '–' : fmt(r.cpuMs),
        fmt(r.rssKb / 1024),
        `exit ${r.code}; ${failed} failed configs (${throttledFindings} aws/throttled); ${fmt(rate, 1)}/s achieved in ${category} = ${fmt((rate / perCategory) * 100)} % of ${perCategory}/s; ${throttle.throttledCount()} of ${throttle.log.length} calls refused`,
        perCategory === 15 ? '0 failed; ≥ 80 % of the limit; ≤ 150 MB' : '0 failed',
      ]);
      charts.push(`${label}: ${category} answers a second, second by second (max ${Math.max(...perSecond)}):\n${sparkline(perSecond)}`);
    }
  } finally {
    admin.destroy();
    await moto.stop();
  }
}

/** Run the CLI once, stdout to a file (a 200-config JSON document), with wall time, CPU and peak memory. */
function runTo(args, extraEnv, outFile) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    const out = openSync(outFile, 'w');
    const child = spawn(process.execPath, ['--import', RSS, ...args], {
      env: {
        ...env,
        ...extraEnv,
        CREATIO_SSO_BENCH_RSS_FILE: rssFile,
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      },
      stdio: ['ignore', out, 'ignore'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(out);
      const cpuAfter = childrenCpuMs();
      resolve({
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
        code,
        rssKb: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN,
      });
    });
  });
}

/** §17: successful answers a second in the busiest category over the middle 80 % of the run; and that category's answers per second. */
function achievedRate(log) {
  const ok = log.filter((l) => l.category && !l.throttled);
  const first = Math.min(...log.map((l) => l.at));
  const last = Math.max(...log.map((l) => l.at));
  const from = first + (last - first) * 0.1;
  const to = last - (last - first) * 0.1;
  const byCategory = new Map();
  for (const l of ok) if (l.at >= from && l.at <= to) byCategory.set(l.category, (byCategory.get(l.category) ?? 0) + 1);
  const [category, count] = [...byCategory].sort((a, b) => b[1] - a[1])[0];
  const perSecond = Array.from({ length: Math.ceil((last - first) / 1000) + 1 }, () => 0);
  for (const l of ok) if (l.category === category) perSecond[Math.floor((l.at - first) / 1000)]++;
  return { rate: count / ((to - from) / 1000), category, perSecond };
}

const sparkline = (xs) => {
  const max = Math.max(...xs, 1);
  return xs.map((x) => '▁▂▃▄▅▆▇█'[Math.min(7, Math.round((x / max) * 7))]).join('');
};

const rows = [];
const fmt = (n, d = 0) => n.toFixed(d);
const row = (r, ratio = '', goal = '') => [r.label, fmt(r.ms), r.cpuMs === undefined ? '–' : fmt(r.cpuMs), fmt(r.rssMb), ratio, goal];
const loadBefore = loadavg();
try {
  // Start-up, in turns.
  if (part('startup')) {
    const d0 = mkdtempSync(path.join(work, 'v1-'));
    const [one] = writeConfigs(d0, 1, 1);
    const URLS = ['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login', '--creatio-url', 'https://acme.creatio.com'];
    const startup = [
      { label: 'node -e 0', args: ['-e', '0'] },
      { label: 'creatio-sso --version', args: [BIN, '--version'], goal: 1.1 },
      { label: 'creatio-sso --version, cold', args: [BIN, '--version'], env: cold },
      { label: 'creatio-sso --help', args: [BIN, '--help'] },
      { label: 'creatio-sso urls', args: [BIN, ...URLS] },
      { label: 'validate 1 file', args: [BIN, 'validate', one], goal: 1.5 },
      { label: 'validate 1 file, cold', args: [BIN, 'validate', one], env: cold },
      ...(OTHER
        ? [
            { label: 'compared: --version', args: [OTHER, '--version'] },
            { label: 'compared: urls', args: [OTHER, ...URLS] },
            { label: 'compared: validate 1 file', args: [OTHER, 'validate', one] },
          ]
        : []),
    ];
    const results = await measureTogether(startup, STARTUP_RUNS);
    const [base] = results;
    const vsNode = (r) => `${fmt(r.ms / base.ms, 2)}× node (CPU ${r.cpuMs === undefined ? '–' : fmt(r.cpuMs / base.cpuMs, 2)}×)`;
    rows.push(row(base));
    for (const [k, r] of results.entries()) if (k > 0) rows.push(row(r, vsNode(r), startup[k].goal ? `≤ ${startup[k].goal}×` : ''));
  }

  // Offline validation.
  if (part('offline')) {
    const d1 = mkdtempSync(path.join(work, 'v1k-'));
    const f1 = writeConfigs(d1, 1000, 50);
    const v1 = await measure('validate 1,000 files', [BIN, 'validate', '--format', 'json', ...f1], {}, RUNS);
    rows.push(row(v1, `${fmt(v1.ms / 1500, 2)}× goal`, '≤ 1500 ms'));
    if (!quick) {
      const d10 = mkdtempSync(path.join(work, 'v10k-'));
      const f10 = writeConfigs(d10, 10000, 50);
      const v10 = await measure('validate 10,000 files', [BIN, 'validate', '--format', 'json', ...f10], {}, 3);
      // Linear means a constant cost per file: compare what each extra file costs past the first 1,000.
      const marginal = (v10.ms - v1.ms) / 9000;
      rows.push(
        row(v10, `${fmt(v10.ms / v1.ms, 1)}× the 1,000-file time; ${fmt(marginal, 2)} ms per extra file`, 'at most linear (≤ 10×)'),
      );
    }
  }

  // Online: 200 files over 20 pools, and doctor of one config; 100 ms per answer.
  if (part('online')) {
    const { server, counts, url } = await cognitoServer(100);
    try {
      const d2 = mkdtempSync(path.join(work, 'online-'));
      const f2 = writeConfigs(d2, 200, 20);
      const onlineArgs = ['validate', '--online', '--format', 'json', ...f2];
      const onlineEnv = { CREATIO_SSO_COGNITO_IDP_URL: url };
      // With --compare, the base build in the same turns: "no slower than before", on the same Node and load.
      const onlineCases = [
        { label: 'validate --online, 200 files / 20 pools, 100 ms answers', args: [BIN, ...onlineArgs], env: onlineEnv },
        ...(OTHER ? [{ label: 'compared: validate --online, 200 files', args: [OTHER, ...onlineArgs], env: onlineEnv }] : []),
      ];
      const onlines = await measureTogether(onlineCases, RUNS);
      const runsMade = (RUNS + 2) * onlineCases.length; // warm-up + timed + memory, per case
      const perPool = [...counts.values()].every((n) => n === runsMade) && counts.size === 40;
      for (const [k, online] of onlines.entries())
        rows.push(
          row(
            online,
            k === 0
              ? `${fmt(online.ms / 1500, 2)}× goal; ${perPool ? 'one discovery + one JWKS request per pool' : `requests: ${JSON.stringify([...counts])}`}`
              : `after / before: ${fmt(onlines[0].ms / online.ms, 2)}× (CPU ${fmt(onlines[0].cpuMs / online.cpuMs, 2)}×)`,
            k === 0 ? '≤ 1500 ms' : 'after ≤ before',
          ),
        );
      const d3 = mkdtempSync(path.join(work, 'doctor-'));
      const [config] = writeConfigs(d3, 1, 1);
      const doctorEnv = { CREATIO_SSO_COGNITO_IDP_URL: url, CREATIO_SSO_HOSTED_UI_URL: url };
      const doctorCases = [
        { label: 'doctor, 1 config, 100 ms answers', args: [BIN, 'doctor', '--config', config], env: doctorEnv },
        { label: 'doctor, cold', args: [BIN, 'doctor', '--config', config], env: () => ({ ...doctorEnv, ...cold() }) },
        ...(OTHER ? [{ label: 'compared: doctor', args: [OTHER, 'doctor', '--config', config], env: doctorEnv }] : []),
      ];
      const doctors = await measureTogether(doctorCases, RUNS * 2);
      for (const [k, r] of doctors.entries()) rows.push(row(r, `${fmt(r.ms / 400, 2)}× goal`, k === 0 ? '≤ 400 ms' : ''));
    } finally {
      server.close();
    }
  }

  if (part('many')) await manyConfigs();

  const head = ['case', 'median ms', 'CPU ms', 'peak MB', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `Node ${process.version} (the Node this bench runs on, and runs the CLI with)${OTHER ? `; compared: ${OTHER}` : ''}\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; medians of ${RUNS} runs (start-up ${STARTUP_RUNS}, in turns; doctor ${RUNS * 2}, in turns); CPU: mean user + system of the measured process\nLoad average (1, 5, 15 min) before: ${loadBefore.map((l) => fmt(l, 2)).join(', ')}; after: ${loadavg()
      .map((l) => fmt(l, 2))
      .join(', ')}\n`,
  );
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  for (const chart of charts) console.log(`\n${chart}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
