// Renders every --help text once at build time into dist/help.json, so that bin/creatio-sso.js can
// answer `--help` without loading commander or the CLI (start-up is most of what --help costs).
// A test checks that the prebuilt texts equal what the CLI itself prints.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const env = { PATH: process.env.PATH, LANG: 'C.UTF-8' };
const render = (args) => execFileSync(process.execPath, [main, ...args, '--help'], { env, encoding: 'utf8' });
export const COMMANDS = ['init', 'generate', 'urls', 'validate', 'doctor'];

const help = { '': render([]) };
for (const c of COMMANDS) help[c] = render([c]);
writeFileSync(new URL('../dist/help.json', import.meta.url), `${JSON.stringify(help)}\n`);
