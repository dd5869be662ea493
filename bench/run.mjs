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
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'creatio-sso.js');
const RSS = path.join(ROOT, 'bench', 'rss.mjs');
const quick = process.argv.includes('--quick');
const compareAt = process.argv.indexOf('--compare');
const OTHER = compareAt > 0 ? path.resolve(process.argv[compareAt + 1]) : undefined;
const RUNS = quick ? 3 : 9;
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

const rows = [];
const fmt = (n, d = 0) => n.toFixed(d);
const row = (r, ratio = '', goal = '') => [r.label, fmt(r.ms), r.cpuMs === undefined ? '–' : fmt(r.cpuMs), fmt(r.rssMb), ratio, goal];
const loadBefore = loadavg();
try {
  // Start-up, in turns.
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

  // Offline validation.
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
    rows.push(row(v10, `${fmt(v10.ms / v1.ms, 1)}× the 1,000-file time; ${fmt(marginal, 2)} ms per extra file`, 'at most linear (≤ 10×)'));
  }

  // Online: 200 files over 20 pools, and doctor of one config; 100 ms per answer.
  const { server, counts, url } = await cognitoServer(100);
  try {
    const d2 = mkdtempSync(path.join(work, 'online-'));
    const f2 = writeConfigs(d2, 200, 20);
    const online = await measure(
      'validate --online, 200 files / 20 pools, 100 ms answers',
      [BIN, 'validate', '--online', '--format', 'json', ...f2],
      { CREATIO_SSO_COGNITO_IDP_URL: url },
      RUNS,
    );
    const runsMade = RUNS + 2; // warm-up + timed + memory
    const perPool = [...counts.values()].every((n) => n === runsMade) && counts.size === 40;
    rows.push(
      row(
        online,
        `${fmt(online.ms / 1500, 2)}× goal; ${perPool ? 'one discovery + one JWKS request per pool' : `requests: ${JSON.stringify([...counts])}`}`,
        '≤ 1500 ms',
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
} finally {
  rmSync(work, { recursive: true, force: true });
}
