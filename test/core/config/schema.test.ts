import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FINDING_CODES } from '../../../src/core/findings.js';
import { configJsonSchema, ConfigSchema } from '../../../src/core/config/schema.js';
import { EXAMPLE_YAML, ROOT } from '../../support/cli.js';
import { parse } from 'yaml';

it('the shipped JSON Schema is the one the zod schema generates (run npm run build && npm run schema)', () => {
  const shipped = JSON.parse(readFileSync(`${ROOT}schema/creatio-sso.schema.json`, 'utf8'));
  expect(shipped).toEqual(configJsonSchema());
});

it('the JSON Schema rejects unknown keys and requires the keys the zod schema requires', () => {
  const schema = configJsonSchema() as {
    additionalProperties: boolean;
    required: string[];
    properties: Record<string, { required?: string[] }>;
  };
  expect(schema.additionalProperties).toBe(false);
  expect(schema.required.sort()).toEqual(['cognito', 'creatio', 'version']);
  // cognito.clientId may wait for apply --create-client (validate warns: client-id/missing).
  expect(schema.properties.cognito!.required!.sort()).toEqual(['clientSecret', 'domain', 'userPoolId']);
});

it('the §4 example matches the schema', () => {
  expect(ConfigSchema.safeParse(parse(EXAMPLE_YAML)).success).toBe(true);
});

// The reference lives in docs/: the finding codes in docs/findings.md, every flag, variable and exit code in
// docs/commands.md (the one page a user looks them up in). The README links to both.
it('the docs list every finding code, exit code, flag and environment variable', async () => {
  const findings = readFileSync(`${ROOT}docs/findings.md`, 'utf8');
  const commands = readFileSync(`${ROOT}docs/commands.md`, 'utf8');
  const { INPUTS, SECRET_ENV } = await import('../../../src/settings/inputs.js');
  const missingFindings = Object.keys(FINDING_CODES)
    .map((c) => `\`${c}\``)
    .filter((s) => !findings.includes(s));
  const missing = [
    ...INPUTS.flatMap((i) => [`\`${i.flag}`, `\`${i.env}\``]),
    `\`${SECRET_ENV}\``,
    '`--client-secret-stdin`',
    '`--client-secret-env',
    '`CREATIO_SSO_COGNITO_IDP_URL`',
    '`CREATIO_SSO_HOSTED_UI_URL`',
    '`NO_COLOR`',
    '`--timeout',
    '`--non-interactive`',
    '`--out-dir',
    '`--force`',
    '`--dry-run`',
    '`--strict`',
    '`--offline`',
    '`--online`',
    '`--format',
    ...['0', '1', '2', '3', '4', '130', '143'].map((code) => `| \`${code}\``),
    '/ `129`',
  ].filter((s) => !commands.includes(s));
  expect(missingFindings).toEqual([]);
  expect(missing).toEqual([]);
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  expect(readme).toContain('](docs/findings.md)');
  expect(readme).toContain('](docs/commands.md)');
});

it('the docs findings table is the one the catalogue generates (run npm run schema)', async () => {
  // @ts-expect-error plain ESM script without types
  const { findingsTable } = await import('../../../scripts/findings-table.mjs');
  const findings = readFileSync(`${ROOT}docs/findings.md`, 'utf8');
  expect(findings).toContain(`<!-- findings-table -->\n${await findingsTable()}<!-- /findings-table -->`);
});
