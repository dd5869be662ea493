import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { joinShown, oneLine, quote, shown } from '../../src/core/text.js';
import { createOutput, wrapProse } from '../../src/io/output.js';
import { EXAMPLE_YAML, runCli, TEST_SECRET, tempDir, type CliResult } from '../support/cli.js';
import { exampleProvider, startFakeCreatio, type FakeCreatio, onSiteConfig } from '../support/fake-creatio.js';

/**
 * SPEC §10 "Line breaks are control characters too": an outside value — a config value a pull request
 * wrote, a provider code a Creatio site answered — holding LF, CR, VT, FF, U+0085, U+2028 or U+2029 must
 * not start a line of its own. The attack: a value that forges a GitHub workflow command and a `✔` line
 * on the CI log. Every line the CLI prints, on either stream and in every format, must begin with the
 * tool's own text.
 */

const BREAKS = { LF: '\n', CR: '\r', CRLF: '\r\n', VT: '\u000b', FF: '\u000c', NEL: '\u0085', LS: '\u2028', PS: '\u2029' };
const forged = (br: string) => `${br}::error title=forged::all checks passed${br}✔ token: accepted`;

/** Every line a terminal (or a CI log) would show: split at every line break there is. */
const linesOf = (text: string) => text.split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/);

/** No printed line begins with the attacker's text, and no line break but the tool's own LF is written raw. */
function expectNoForgedLine(r: CliResult): void {
  for (const stream of [r.stdout, r.stderr]) {
    expect(stream).not.toMatch(/[\r\u000b\u000c\u0085\u2028\u2029]/);
    for (const line of linesOf(stream)) {
      expect(line).not.toMatch(/^\s*::error title=forged/);
      expect(line).not.toMatch(/^\s*✔ token: accepted/);
    }
  }
}

let dir: string;
let cleanup: () => void;
const open: FakeCreatio[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
  cleanup();
});

/** The example config with creatio.url holding the attack, as a YAML double-quoted string. */
function writeForgedUrl(br: string): void {
  const value = JSON.stringify(`https://acme.creatio.com${forged(br)}`);
  writeFileSync(path.join(dir, 'creatio-sso.yaml'), EXAMPLE_YAML.replace(/url: https:\/\/acme\.creatio\.com/, `url: ${value}`));
}

const env = (extra: Record<string, string> = {}) => ({
  COGNITO_CLIENT_SECRET: TEST_SECRET,
  CREATIO_SSO_CREATIO_URL: 'https://acme.creatio.com',
  ...extra,
});

describe('the override notice escapes both values (§10 "No silent overrides")', () => {
  it.each(Object.entries(BREAKS))('generate: a creatio.url holding %s cannot forge a line', async (_name, br) => {
    writeForgedUrl(br);
    const r = await runCli(['generate', '--offline', '--dry-run'], { cwd: dir, env: env() });
    expect(r.stderr).toMatch(
      /^Using CREATIO_SSO_CREATIO_URL \("https:\/\/acme\.creatio\.com"\) instead of creatio\.url in creatio-sso\.yaml \("https:\/\/acme\.creatio\.com\\[nrbtfu].*::error title=forged::all checks passed.*✔ token: accepted"\)\.$/m,
    );
    expectNoForgedLine(r);
  });

  it.each([
    ['plan', ['plan']],
    ['doctor (text)', ['doctor']],
    ['doctor --format github', ['doctor', '--format', 'github']],
    ['apply', ['apply', '--yes']],
  ])('%s: the notice is one line, the attack inside its quotes', async (_name, args) => {
    writeForgedUrl('\n');
    const r = await runCli(args, { cwd: dir, env: env() });
    const notice = linesOf(r.stderr).find((l) => l.startsWith('Using CREATIO_SSO_CREATIO_URL'));
    expect(notice).toContain('\\n::error title=forged::all checks passed\\n✔ token: accepted');
    expectNoForgedLine(r);
  });

  it('JSON: the input/overridden finding holds the value escaped, in a document that parses', async () => {
    writeForgedUrl('\u2028');
    const r = await runCli(['generate', '--offline', '--dry-run', '--json'], { cwd: dir, env: env() });
    expectNoForgedLine(r);
    const doc = JSON.parse(r.stdout) as { findings: { code: string; message: string }[] };
    const notice = doc.findings.find((f) => f.code === 'input/overridden')!;
    expect(notice.message).not.toMatch(/[\n\u2028]/);
    expect(notice.message).toContain('\\u2028::error title=forged');
  });
});

describe('a provider code from Creatio cannot forge a line (notes, check summaries)', () => {
  const CLIENT = '1h57kf5cpq17m0eml12eqe3alr';
  const PASSWORD = 'Supervisor!1-not-a-real-one';
  const CODE = `cognito-1h57kf5c${forged('\n')}`;

  async function hostile(): Promise<FakeCreatio> {
    // The provider is found by its client ID under a code the config does not name: it is adopted, and
    // the plan's note and doctor's `creatio:` summary name that code.
    const f = await startFakeCreatio({
      users: { Supervisor: PASSWORD },
      providers: [exampleProvider({ Code: CODE })],
      features: { EnableOpenIDAuth: 1 },
    });
    open.push(f);
    writeFileSync(path.join(dir, 'creatio-sso.yaml'), onSiteConfig(f.url, '', { clientId: CLIENT }));
    return f;
  }
  const signedIn = (f: FakeCreatio) => ({
    COGNITO_CLIENT_SECRET: TEST_SECRET,
    CREATIO_SSO_CREATIO_URL: f.url,
    CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
    CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
  });

  it('plan: the adopted-provider note quotes the code, escaped', async () => {
    const f = await hostile();
    const r = await runCli(['plan', '--skip', 'cognito'], { cwd: dir, env: signedIn(f) });
    const note = linesOf(r.stderr).find((l) => l.startsWith('The provider was found by its client ID'));
    expect(note).toContain('under the code "cognito-1h57kf5c\\n::error title=forged::all checks passed\\n✔ token: accepted"');
    expectNoForgedLine(r);
  });

  it('plan --format json: the document parses and its lines are its own', async () => {
    const f = await hostile();
    const r = await runCli(['plan', '--skip', 'cognito', '--format', 'json'], { cwd: dir, env: signedIn(f) });
    expectNoForgedLine(r);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });

  it.each([['text'], ['github'], ['json']])('doctor --format %s: the creatio check summary is one line', async (format) => {
    const f = await hostile();
    const r = await runCli(['doctor', '--skip', 'hosted-ui', '--format', format], {
      cwd: dir,
      env: { ...signedIn(f), CREATIO_SSO_COGNITO_IDP_URL: 'http://127.0.0.1:9' },
    });
    expectNoForgedLine(r);
    const all = r.stdout + r.stderr;
    if (format === 'json') {
      const doc = JSON.parse(r.stdout) as { checks: { name: string; summary: string }[] };
      expect(doc.checks.find((c) => c.name === 'creatio')!.summary).toContain('"cognito-1h57kf5c\\n::error title=forged');
    } else {
      expect(all).toMatch(/creatio: .*cognito-1h57kf5c\\n::error title=forged/);
    }
  });

  it.each([['text'], ['json']])('plan --format %s: a plan line whose old value holds line breaks stays one line', async (format) => {
    // A provider found by its code whose Name (the login button) Creatio answers with the attack: the plan
    // line `~ SsoOpenIdProvider.Name: "…" → "Cognito AWS"` shows it, and so does the creatio/drift finding.
    const f = await startFakeCreatio({
      users: { Supervisor: PASSWORD },
      providers: [exampleProvider({ Name: `Cognito AWS${forged('\u2028')}${forged('\r')}` })],
      features: { EnableOpenIDAuth: 1 },
    });
    open.push(f);
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      onSiteConfig(
        f.url,
        `provider:
  code: cognito-1h57kf5c
`,
        { clientId: CLIENT },
      ),
    );
    const r = await runCli(['plan', '--skip', 'cognito', '--format', format], { cwd: dir, env: signedIn(f) });
    expectNoForgedLine(r);
    if (format === 'text') expect(r.stdout).toMatch(/Name.*Cognito AWS\\u2028::error title=forged/);
    else expect(JSON.stringify(JSON.parse(r.stdout))).toContain('::error title=forged');
  });

  it.each([['text'], ['github'], ['json']])('doctor --format %s: the drift finding naming that value stays on its line', async (format) => {
    const f = await startFakeCreatio({
      users: { Supervisor: PASSWORD },
      providers: [exampleProvider({ Name: `Cognito AWS${forged('\n')}${forged('\u0085')}${forged('\u2028')}` })],
      features: { EnableOpenIDAuth: 1 },
    });
    open.push(f);
    writeFileSync(
      path.join(dir, 'creatio-sso.yaml'),
      onSiteConfig(
        f.url,
        `provider:
  code: cognito-1h57kf5c
`,
        { clientId: CLIENT },
      ),
    );
    const r = await runCli(['doctor', '--skip', 'hosted-ui', '--format', format], {
      cwd: dir,
      env: { ...signedIn(f), CREATIO_SSO_COGNITO_IDP_URL: 'http://127.0.0.1:9' },
    });
    expectNoForgedLine(r);
    expect(r.stdout + r.stderr).toContain('creatio/drift');
  });
});

describe('one output layer: lines are composed only from escaped values', () => {
  it('the shown tag escapes every interpolated value, and keeps what was already composed', () => {
    const value = `acme${forged('\n')}`;
    const line = shown`Using ${value} here.`;
    expect(line).toBe('Using acme\\u000a::error title=forged::all checks passed\\u000a✔ token: accepted here.');
    const block = joinShown([line, shown`second ${value}`], '\n');
    // The tool's own line break between the two survives being interpolated again; the value's does not.
    expect(shown`${block}\n`.split('\n')).toHaveLength(3);
    expect(oneLine(`a\nb\u2028c`)).toBe('a\\u000ab\\u2028c');
  });

  it('the writer takes composed text only: a raw string is a type error', () => {
    const o = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: new PassThrough(), env: {} });
    // @ts-expect-error a raw value cannot be written: compose it with `shown`
    o.err('raw\n');
    // @ts-expect-error the same for stdout
    o.out('raw\n');
    // The colours escape what they are given: a raw value coloured is still escaped.
    expect(o.errColor.red(`x${forged('\n')}`)).not.toContain('\n');
  });

  it('a usage error quoting an argument keeps the argument on its line (commander)', async () => {
    const r = await runCli(['validate', `--x${forged('\n')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage error: unknown option '--x\\u000a::error title=forged");
    expectNoForgedLine(r);
  });

  it('a message of several lines the tool composed keeps its line breaks (init: every missing input on its own line)', async () => {
    const r = await runCli(['init', '--non-interactive']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\\u000a');
    expect(r.stderr).toMatch(/^ {2}--creatio-url \(or CREATIO_SSO_CREATIO_URL\)$/m);
    expect(r.stderr).toMatch(/^Example:$/m);
  });

  it('wrapping: continuation lines start with the tool’s indent, and a quoted value is never broken at its own spaces', () => {
    const value = 'Acme SSO ::error title=forged::all checks passed ✔ token accepted';
    const message = shown`The login button ${quote(value)} differs from provider.displayName in the config. Set it again, then run plan.`;
    for (const width of [40, 50, 60, 80]) {
      const lines = wrapProse(message, width, 4).split('\n');
      expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
      // The value stays whole on one line, inside its quotes.
      expect(lines.some((l) => l.includes(JSON.stringify(value)))).toBe(true);
      for (const l of lines) expect(l.trimStart()).not.toMatch(/^(::|✔|title=|token)/);
    }
  });
});
