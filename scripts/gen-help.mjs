// Renders every --help text once at build time into dist/help.json, so that bin/creatio-sso.js can
// answer `--help` without loading commander or the CLI (start-up is most of what --help costs).
// A test checks that the prebuilt texts equal what the CLI itself prints. Run after tsc:
// the texts come from the CLI itself, through main(io) (dist/cli/run.js, the source of the bundle).
import { writeFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../dist/cli/run.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const COMMANDS = ['init', 'generate', 'urls', 'validate', 'doctor'];

async function render(args) {
  let text = '';
  const stdout = new Writable({
    write: (chunk, _encoding, done) => {
      text += chunk;
      done();
    },
  });
  const stdin = new PassThrough();
  stdin.end();
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const code = await main({
    argv: [process.execPath, 'creatio-sso', ...args, '--help'],
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    cwd: root,
    stdin,
    stdout,
    stderr: sink,
  });
  if (code !== 0) throw new Error(`creatio-sso ${args.join(' ')} --help exited ${code}`);
  return text;
}

const help = { '': await render([]) };
for (const c of COMMANDS) help[c] = await render([c]);
writeFileSync(new URL('../dist/help.json', import.meta.url), `${JSON.stringify(help)}\n`);
