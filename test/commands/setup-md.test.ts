import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_YAML, runCli, TEST_SECRET, tempDir } from '../support/cli.js';

/** SETUP.md is followed by a person in a shell: its commands must run as written, from the config's folder. */
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function setupFor(configFile: string, outDir: string, yaml = EXAMPLE_YAML): Promise<string> {
  mkdirSync(path.dirname(path.join(dir, configFile)), { recursive: true });
  writeFileSync(path.join(dir, configFile), yaml);
  const r = await runCli(['generate', '--offline', '--config', configFile, '--out-dir', outDir], {
    cwd: dir,
    env: { COGNITO_CLIENT_SECRET: TEST_SECRET },
  });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(path.join(dir, outDir, 'SETUP.md'), 'utf8');
}

/** The lines of every ```sh block. */
const shellLines = (md: string) => [...md.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').filter(Boolean));

describe('SETUP.md', () => {
  it('runs every command from the folder of the config, with paths that exist there', async () => {
    const setup = await setupFor('envs/prod.yaml', 'out/prod');
    expect(setup).toContain('Run every command below in the folder that holds `prod.yaml`.');
    const configFolder = path.join(dir, 'envs');
    const fileRefs = [...setup.matchAll(/file:\/\/(\S+)/g)].map((m) => m[1]!);
    expect(fileRefs).toEqual(['../out/prod/cognito-app-client.json']);
    for (const ref of fileRefs) expect(existsSync(path.join(configFolder, ref)), ref).toBe(true);
    for (const ref of [...setup.matchAll(/--config ([^\s`]+)/g)].map((m) => m[1]!))
      expect(existsSync(path.join(configFolder, ref)), ref).toBe(true);
    expect(setup).toContain('`../out/prod/creatio-sso-record.json`');
  });

  it('uses npx creatio-sso and exports the secret variable before the first command that needs it', async () => {
    const lines = shellLines(await setupFor('creatio-sso.yaml', 'creatio-sso'));
    const tool = lines.filter((l) => /\bcreatio-sso (doctor|generate|apply)\b/.test(l));
    expect(tool.length).toBeGreaterThan(0);
    for (const l of tool) expect(l).toMatch(/^npx creatio-sso /);
    const firstExport = lines.findIndex((l) => l.startsWith('export COGNITO_CLIENT_SECRET=…'));
    expect(firstExport).toBeGreaterThanOrEqual(0);
    expect(firstExport).toBeLessThan(lines.findIndex((l) => l.startsWith('npx creatio-sso doctor')));
  });

  it('asks for no export when the config holds the secret literally', async () => {
    const setup = await setupFor('creatio-sso.yaml', 'creatio-sso', EXAMPLE_YAML.replace('${env:COGNITO_CLIENT_SECRET}', TEST_SECRET));
    // No variable for the secret to export (the Creatio credentials of the apply route are another matter).
    expect(setup).not.toMatch(/^export (?!CREATIO_SSO_CREATIO_)/m);
    expect(setup).not.toContain(TEST_SECRET);
  });

  it('says the record is a reference with no import in Creatio, and names apply as the automated route', async () => {
    const setup = await setupFor('creatio-sso.yaml', 'creatio-sso');
    expect(setup).toContain('`creatio-sso/creatio-sso-record.json` is a reference');
    expect(setup).toContain('Creatio has\nno button to import it');
    expect(setup).toContain('`npx creatio-sso apply --config creatio-sso.yaml`');
  });

  it("draws the sign-in round trip with this set-up's URLs", async () => {
    const setup = await setupFor('creatio-sso.yaml', 'creatio-sso');
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(setup)![1]!;
    expect(diagram).toMatch(/^sequenceDiagram\n/);
    for (const url of [
      'https://acme.creatio.com',
      'https://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
      'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
      'https://acme-login.auth.eu-west-1.amazoncognito.com/oauth2/token',
    ])
      expect(diagram).toContain(url);
    // Order of the round trip: browser → Creatio → authorize → callback → token.
    const at = (s: string) => diagram.indexOf(s);
    expect(at('/oauth2/authorize')).toBeLessThan(at('OpenIdCallback'));
    expect(at('OpenIdCallback')).toBeLessThan(at('/oauth2/token'));
    expect(diagram).not.toMatch(/[;#]/);
  });
});
