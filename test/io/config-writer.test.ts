import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfigText } from '../../src/core/config/validate.js';
import { ConfigError } from '../../src/cli/errors.js';
import { newConfigText, planConfigUpdate, updateConfigText } from '../../src/io/config-writer.js';
import { writeFiles } from '../../src/io/files.js';
import { EXAMPLE_YAML, tempDir } from '../support/cli.js';

const NEW_CLIENT = '7abc1234def5678ghi9012jkl3';

describe('updateConfigText', () => {
  it('changes one key of the §4 example and keeps every comment and every other line', () => {
    const updated = updateConfigText(EXAMPLE_YAML, { 'cognito.clientId': NEW_CLIENT }, 'creatio-sso.yaml');
    expect(updated).toBe(EXAMPLE_YAML.replace('clientId: 1h57kf5cpq17m0eml12eqe3alr', `clientId: ${NEW_CLIENT}`));
    expect(validateConfigText(updated).resolved?.clientId).toBe(NEW_CLIENT);
  });

  it('keeps the comment beside a changed value, adds a missing key in its section, removes one set to undefined', () => {
    const updated = updateConfigText(
      EXAMPLE_YAML,
      { 'cognito.domain': 'auth.acme.com', 'provider.isDefault': true, 'cognito.region': undefined, 'mobile.extra': 'x' },
      'creatio-sso.yaml',
    );
    expect(updated).toContain('  domain: auth.acme.com # prefix, or a custom host such as auth.acme.com');
    expect(updated).toContain('  isDefault: true\n');
    expect(updated).not.toContain('region:');
    expect(updated).toMatch(/mobile:\n {2}useSso: false\n {2}extra: x\n/);
    expect(updated.split('\n')[0]).toBe('# yaml-language-server: $schema=https://unpkg.com/creatio-sso/schema/creatio-sso.schema.json');
  });

  it('writes a long value that needs quotes on its own line, without folding it', () => {
    const name = `Sign in: ${'with Cognito '.repeat(10)}`.trim();
    const updated = updateConfigText(EXAMPLE_YAML, { 'provider.displayName': name }, 'creatio-sso.yaml');
    expect(updated).toContain(`  displayName: ${JSON.stringify(name)}\n  isDefault: false\n`);
    expect(validateConfigText(updated).resolved?.displayName).toBe(name);
  });

  it('updates a JSON config', () => {
    const json = `${JSON.stringify({ version: 1, cognito: { clientId: 'old' } }, null, 2)}\n`;
    expect(
      JSON.parse(updateConfigText(json, { 'cognito.clientId': NEW_CLIENT, 'creatio.url': 'https://a.creatio.com' }, 'c.json')),
    ).toEqual({
      version: 1,
      cognito: { clientId: NEW_CLIENT },
      creatio: { url: 'https://a.creatio.com' },
    });
  });

  it('refuses a file that does not parse, or a key below a value that is not a mapping', () => {
    expect(() => updateConfigText('cognito: [\n', { 'cognito.clientId': 'x' }, 'c.yaml')).toThrow(ConfigError);
    expect(() => updateConfigText('cognito: [\n', { 'cognito.clientId': 'x' }, 'c.yaml')).toThrow(/c\.yaml: it is not valid YAML \(line/);
    expect(() => updateConfigText('cognito: plain\n', { 'cognito.clientId': 'x' }, 'c.yaml')).toThrow(
      'Cannot update cognito.clientId in c.yaml: a value on its way is not a mapping.',
    );
    expect(() => updateConfigText('{"cognito": 1}', { 'cognito.clientId': 'x' }, 'c.json')).toThrow(ConfigError);
  });

  it('makes a new file from the keys alone', () => {
    expect(newConfigText({ version: 1, 'cognito.clientId': NEW_CLIENT }, 'c.yaml')).toBe(
      `version: 1\ncognito:\n  clientId: ${NEW_CLIENT}\n`,
    );
    expect(JSON.parse(newConfigText({ 'cognito.clientId': NEW_CLIENT }, 'c.json'))).toEqual({ cognito: { clientId: NEW_CLIENT } });
  });
});

describe('planConfigUpdate + writeFiles', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('updates an existing config in place without --force, keeping its mode, together with the other files', async () => {
    const file = path.join(dir, 'creatio-sso.yaml');
    writeFileSync(file, EXAMPLE_YAML);
    chmodSync(file, 0o640);
    const plan = await planConfigUpdate(file, { 'cognito.clientId': NEW_CLIENT });
    expect(plan.mode).toBe(0o640);
    const written = await writeFiles(
      [plan, { path: path.join(dir, 'out/x.json'), content: '{}\n', mode: 0o600 }],
      { cwd: dir },
      { force: false },
    );
    expect(written.map((f) => f.mode)).toEqual(['0640', '0600']);
    expect(readFileSync(file, 'utf8')).toContain(`clientId: ${NEW_CLIENT}\n`);
    expect(readFileSync(file, 'utf8')).toContain('# prefix, or a custom host');
  });

  it('plans a new file when there is none', async () => {
    const plan = await planConfigUpdate(path.join(dir, 'new.yaml'), { version: 1 });
    expect(plan).toEqual({ path: path.join(dir, 'new.yaml'), content: 'version: 1\n', mode: 0o644 });
  });
});
