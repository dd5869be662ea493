import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/file.js';
import { positionMap } from '../../../src/core/config/positions.js';
import { finding } from '../../../src/core/findings.js';
import { validateConfigText } from '../../../src/core/config/validate.js';
import { EXAMPLE_YAML } from '../../support/cli.js';

const where = (text: string) => validateConfigText(text).findings.map((f) => [f.code, f.path, f.line, f.column]);

describe('parseConfigText', () => {
  it('reads the §4 example without findings', () => {
    const r = validateConfigText(EXAMPLE_YAML);
    expect(r.findings).toEqual([]);
    expect(r.config!.jit.claims).toEqual({ phone_number: 'Contact:MobilePhone' });
  });

  it('places value findings at the value', () => {
    const text = EXAMPLE_YAML.replace('region: eu-west-1 ', 'region: us-east-1 ');
    expect(where(text)).toEqual([['region/mismatch', 'cognito.region', 8, 11]]);
  });

  it('places an unknown key at the key', () => {
    const text = EXAMPLE_YAML.replace('  isDefault: false\n', '  isDefault: false\n  colour: blue\n');
    expect(where(text)).toEqual([['config/schema', 'provider.colour', 15, 3]]);
  });

  it('places a missing key at its parent', () => {
    const text = EXAMPLE_YAML.replace('  clientId: 1h57kf5cpq17m0eml12eqe3alr\n', '');
    expect(where(text)).toEqual([['config/schema', 'cognito.clientId', 7, 3]]);
  });

  it('places a wrong type at the value and names both types', () => {
    const text = EXAMPLE_YAML.replace('isDefault: false', 'isDefault: "no"');
    const r = validateConfigText(text);
    expect(r.findings.map((f) => [f.code, f.path, f.line, f.column])).toEqual([['config/schema', 'provider.isDefault', 14, 14]]);
    expect(r.findings[0]!.message).toBe('provider.isDefault must be true or false, not text.');
  });

  it('places a syntax error at its line', () => {
    const text = 'version: 1\ncreatio:\n  url: [unclosed\n';
    const [f] = validateConfigText(text).findings;
    expect(f!.code).toBe('config/parse');
    expect(f!.line).toBeGreaterThanOrEqual(3);
  });

  it('reads JSON, with a $schema key, and places findings by line', () => {
    const json = JSON.stringify(
      {
        $schema: './node_modules/creatio-sso/schema/creatio-sso.schema.json',
        version: 1,
        creatio: { url: 'https://acme.creatio.com' },
        cognito: {
          userPoolId: 'eu-west-1_AbCdEf123',
          domain: 'eu-west-1_AbCdEf123',
          clientId: '1h57kf5cpq17m0eml12eqe3alr',
          clientSecret: '${env:S}',
        },
      },
      null,
      2,
    );
    const lines = json.split('\n');
    const domainLine = lines.findIndex((l) => l.includes('"domain"')) + 1;
    expect(where(json)).toEqual([['domain/is-user-pool-id', 'cognito.domain', domainLine, lines[domainLine - 1]!.indexOf('"eu-west') + 1]]);
  });

  it('keeps a client ID YAML would read as a number as written', () => {
    const text = EXAMPLE_YAML.replace('clientId: 1h57kf5cpq17m0eml12eqe3alr', 'clientId: 1234567890123e4567890123456');
    const r = validateConfigText(text);
    expect(r.config!.cognito.clientId).toBe('1234567890123e4567890123456');
  });

  it('rejects duplicate keys', () => {
    const text = EXAMPLE_YAML.replace('  deployment: cloud', '  deployment: cloud\n  deployment: on-site');
    expect(validateConfigText(text).findings.map((f) => f.code)).toEqual(['config/parse']);
  });

  it('accepts a BOM and CRLF line ends', () => {
    expect(validateConfigText(`\ufeff${EXAMPLE_YAML.replace(/\n/g, '\r\n')}`).findings).toEqual([]);
  });

  it('applies flag/env overrides over the file and names their source', () => {
    const r = parseConfigText(EXAMPLE_YAML, [{ path: ['cognito', 'clientId'], value: 'bad id', from: '--client-id' }]);
    expect(r.config!.cognito.clientId).toBe('bad id');
    const v = validateConfigText(EXAMPLE_YAML, [{ path: ['cognito', 'clientId'], value: 'bad id', from: '--client-id' }]);
    expect(v.findings).toHaveLength(1);
    expect(v.findings[0]!.message).toContain('(from --client-id)');
    expect(v.findings[0]!.line).toBeUndefined();
  });

  it("advice about a flag's value is in the flag's words, not the file's key", () => {
    const v = validateConfigText(EXAMPLE_YAML, [{ path: ['cognito', 'region'], value: 'eu-central-1', from: '--region' }]);
    const mismatch = v.findings.find((f) => f.code === 'region/mismatch')!;
    expect(mismatch.message).toContain('Remove --region');
    expect(mismatch.message).not.toContain('cognito.region');
    expect(mismatch.message).not.toContain('(from --region)');
  });
});

describe('a file that breaks the schema still gets its values checked', () => {
  it('reports an unknown key and every wrong value in one run, in file order', () => {
    const text = EXAMPLE_YAML.replace('region: eu-west-1 ', 'region: us-east-1 ')
      .replace('domain: acme-login', 'domain: eu-west-1_AbCdEf123')
      .replace('mobile:', 'mobil:');
    expect(where(text)).toEqual([
      ['region/mismatch', 'cognito.region', 8, 11],
      ['domain/is-user-pool-id', 'cognito.domain', 9, 11],
      ['config/schema', 'mobil', 20, 1],
    ]);
  });

  it('checks the values that are there when a required key is missing', () => {
    const text = EXAMPLE_YAML.replace('  clientId: 1h57kf5cpq17m0eml12eqe3alr\n', '').replace(
      'url: https://acme.creatio.com',
      'url: http://acme.creatio.com',
    );
    expect(where(text).map(([code]) => code)).toEqual(['creatio-url/insecure', 'config/schema']);
  });

  it('does not report a value twice when its type is wrong', () => {
    const text = EXAMPLE_YAML.replace('clientId: 1h57kf5cpq17m0eml12eqe3alr', 'clientId: [a, b]');
    expect(where(text).map(([code, path]) => `${code} ${path}`)).toEqual(['config/schema cognito.clientId']);
  });
});

describe('unknown keys name the key that was meant', () => {
  it.each([
    ['  userPoolId: eu-west-1_AbCdEf123', '  user_pool_id: eu-west-1_AbCdEf123', 'cognito.user_pool_id', 'Did you mean "userPoolId"?'],
    ['  clientId: 1h57kf5cpq17m0eml12eqe3alr', '  clientID: 1h57kf5cpq17m0eml12eqe3alr', 'cognito.clientID', 'Did you mean "clientId"?'],
    ['  deployment: cloud', '  deploymnt: cloud', 'creatio.deploymnt', 'Did you mean "deployment"?'],
    ['  isDefault: false', '  default: false', 'provider.default', 'Did you mean "isDefault"?'],
    [
      '  isDefault: false',
      '  isDefault: false\n  colour: blue',
      'provider.colour',
      'Remove it; provider takes displayName, code, isDefault.',
    ],
  ])('%s → %s', (from, to, path, hint) => {
    const findings = validateConfigText(EXAMPLE_YAML.replace(from, to)).findings.filter((f) => f.code === 'config/schema');
    // One typo, one finding: the "did you mean" says the required key is missing too.
    expect(findings.map((f) => f.path)).toEqual([path]);
    expect(findings[0]!.message).toContain(hint);
  });
});

describe('positionMap', () => {
  it('places a later finding at its path, or its nearest ancestor, after the syntax tree is gone', () => {
    const v = validateConfigText(
      'version: 1\ncreatio:\n  url: https://acme.creatio.com\ncognito:\n  userPoolId: eu-west-1_AbCdEf123\n  domain: acme-login\n  clientId: 1h57kf5cpq17m0eml12eqe3alr\n  clientSecret: ${env:S}\n',
    );
    const place = positionMap(v);
    const at = (path: string) => {
      const f = place(finding('discovery/domain-mismatch', path, 'x'));
      return [f.line, f.column];
    };
    expect(at('cognito.domain')).toEqual([6, 11]);
    expect(at('cognito.domain.nothing.below')).toEqual([6, 11]);
    expect(at('provider.displayName')).toEqual([1, 1]);
    expect(at('')).toEqual([1, 1]);
    expect(place({ ...finding('discovery/invalid', 'cognito', 'x'), line: 9, column: 9 })).toMatchObject({ line: 9, column: 9 });
  });
});
