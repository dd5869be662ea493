'use strict';
// Writes the V8 code caches of the bundles (dist/*.cjs.v8cache; see bin/load.js). Run by `npm run build`
// after scripts/bundle.mjs, with the Node that will run the CLI: a cache from another Node is refused by
// V8 and costs nothing but its read.
//
// What V8 has compiled when the cache is made is what the next runs need not compile: so the commands a
// person waits for run here first, in this process, through main(io) — validate of the example and of a
// broken file, urls, and doctor against a loopback stand-in that answers every request 404 (enough to
// run undici's request path; nothing leaves the machine). The prompts and jose are only loaded.
const { mkdtempSync, rmSync, writeFileSync, readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { PassThrough, Writable } = require('node:stream');
const { cli, vendorBundle, writeCaches } = require('../bin/load.js');

const root = path.join(__dirname, '..');
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function run(args, env) {
  const stdin = new PassThrough();
  stdin.end();
  return cli().main({
    argv: [process.execPath, 'creatio-sso', ...args],
    env: { PATH: process.env.PATH, ...env },
    cwd: root,
    stdin,
    stdout: sink(),
    stderr: sink(),
  });
}

async function warmUp() {
  const example = path.join(root, 'examples', 'creatio-sso.yaml');
  const secret = { COGNITO_CLIENT_SECRET: 'k9s3vq1m7c2x8b4n6z0l5j3h1g9f7d5s3a1p0o8i6u4y2t0r8e6w' };
  await run(['validate', example], secret);
  await run(['validate', '--format', 'json', example], secret);
  // A file that breaks the schema: zod words the findings (its own bundle).
  const broken = path.join(tmpdir(), `creatio-sso-cache-${process.pid}.yaml`);
  writeFileSync(broken, 'version: 2\ncreatio: {url: 5}\n');
  await run(['validate', broken], {}).finally(() => rmSync(broken, { force: true }));
  await run(['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login', '--creatio-url', 'https://acme.creatio.com'], {});
  // init's wizard loads the prompts before any request: their cache is made without undici's flag too.
  vendorBundle('prompts');
  // The caches so far now, before undici loads and sets its V8 flag (see bin/load.js).
  report(writeCaches());

  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not here"}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(path.join(tmpdir(), 'creatio-sso-cache-'));
  try {
    const config = path.join(dir, 'creatio-sso.yaml');
    writeFileSync(config, readFileSync(example));
    const url = `http://127.0.0.1:${server.address().port}`;
    await run(['doctor', '--config', config, '--timeout', '3000'], {
      ...secret,
      CREATIO_SSO_COGNITO_IDP_URL: url,
      CREATIO_SSO_HOSTED_UI_URL: url,
    });
    // doctor --login verifies the ID token with jose after its requests (undici's flag is set by then).
    vendorBundle('jose');
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(files) {
  for (const file of files) console.log(`wrote dist/${file}.v8cache`);
}

warmUp()
  .catch((e) => console.warn(`code cache: the warm-up run failed (${e.message}); the caches hold what compiled before it`))
  .then(() => report(writeCaches()));
