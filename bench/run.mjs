#!/usr/bin/env node
// npm run bench: start-up, offline validation and online validation, measured side by side in one run
// on this machine. Prints medians, peak memory and the ratio to each goal. Nothing here contacts AWS:
// the online case talks to a loopback server that answers like Cognito after a fixed latency.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'creatio-sso.js');
const RSS = path.join(ROOT, 'bench', 'rss.mjs');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 9;
const work = mkdtempSync(path.join(tmpdir(), 'creatio-sso-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  LANG: 'C.UTF-8',
  COGNITO_CLIENT_SECRET: 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w',
};

function run(args, extraEnv = {}, { memory = false } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
    const nodeArgs = memory ? ['--import', RSS, ...args] : args;
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, nodeArgs, {
      env: { ...env, ...extraEnv, CREATIO_SSO_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      let rssKb;
      if (memory) rssKb = Number(readFileSync(rssFile, 'utf8'));
      resolve({ ms, code, rssKb, stderr });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, args, extraEnv = {}, runs = RUNS, okCodes = [0]) {
  await run(args, extraEnv); // warm the compile cache and the file system cache
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(args, extraEnv);
    if (!okCodes.includes(r.code)) throw new Error(`${label}: exit ${r.code}\n${r.stderr}`);
    times.push(r.ms);
  }
  const mem = await run(args, extraEnv, { memory: true });
  return { label, ms: median(times), rssMb: mem.rssKb / 1024 };
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

/** A loopback stand-in for cognito-idp: discovery and JWKS per pool, each answer after `latencyMs`. */
function cognitoServer(latencyMs) {
  const counts = new Map();
  const key = { kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB', n: 'x'.repeat(342) };
  const server = createServer((req, res) => {
    counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
    const m = /^\/([^/]+)\/\.well-known\/(openid-configuration|jwks\.json)$/.exec(req.url ?? '');
    setTimeout(() => {
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
try {
  // Start-up.
  const base = await measure('node -e 0', ['-e', '0'], {}, RUNS * 2);
  const version = await measure('creatio-sso --version', [BIN, '--version'], {}, RUNS * 2);
  const help = await measure('creatio-sso --help', [BIN, '--help'], {}, RUNS * 2);
  rows.push([base.label, fmt(base.ms), fmt(base.rssMb), '', '']);
  for (const r of [version, help]) rows.push([r.label, fmt(r.ms), fmt(r.rssMb), `${fmt(r.ms / base.ms, 2)}× node`, '≤ 1.5×']);

  // Offline validation.
  const d1 = mkdtempSync(path.join(work, 'v1k-'));
  const f1 = writeConfigs(d1, 1000, 50);
  const v1 = await measure('validate 1,000 files', [BIN, 'validate', '--format', 'json', ...f1], {}, RUNS);
  rows.push([v1.label, fmt(v1.ms), fmt(v1.rssMb), `${fmt(v1.ms / 1500, 2)}× goal`, '≤ 1500 ms']);
  if (!quick) {
    const d10 = mkdtempSync(path.join(work, 'v10k-'));
    const f10 = writeConfigs(d10, 10000, 50);
    const v10 = await measure('validate 10,000 files', [BIN, 'validate', '--format', 'json', ...f10], {}, 3);
    // Linear means a constant cost per file: compare what each extra file costs past the first 1,000.
    const marginal = (v10.ms - v1.ms) / 9000;
    rows.push([
      v10.label,
      fmt(v10.ms),
      fmt(v10.rssMb),
      `${fmt(v10.ms / v1.ms, 1)}× the 1,000-file time; ${fmt(marginal, 2)} ms per extra file`,
      'at most linear (≤ 10×)',
    ]);
  }

  // Online validation: 200 files over 20 pools, 100 ms per answer.
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
    rows.push([
      online.label,
      fmt(online.ms),
      fmt(online.rssMb),
      `${fmt(online.ms / 1500, 2)}× goal; ${perPool ? 'one discovery + one JWKS request per pool' : `requests: ${JSON.stringify([...counts])}`}`,
      '≤ 1500 ms',
    ]);
  } finally {
    server.close();
  }

  const head = ['case', 'median ms', 'peak MB', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; medians of ${RUNS} runs (start-up ${RUNS * 2})\n`,
  );
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
} finally {
  rmSync(work, { recursive: true, force: true });
}
