import { describe, expect, it } from 'vitest';
import { clip, clipValue, MAX_MESSAGE_LENGTH, messageVisible, quote } from '../../src/core/text.js';
import { unreachable, type HostedUiTarget } from '../../src/core/cognito/hosted-ui.js';
import { describeFailure } from '../../src/net/failures.js';
import { createReporter } from '../../src/report/findings.js';
import { createOutput } from '../../src/io/output.js';
import { PassThrough } from 'node:stream';

/**
 * SPEC §10 "Clipping keeps the advice": a message longer than 500 characters loses part of the outside
 * value inside it (`…(N characters left out)…`), never the tool's own words — least of all the fix.
 */

const ADVICE = 'Check the site URL in creatio.url, then run again with --verbose to see the whole answer.';
const LEFT_OUT = /…\(\d[\d,]* characters left out\)…/;

describe('clip: the outside value is shortened, the advice kept whole', () => {
  it('a long quoted value in the middle: shortened, the advice after it whole, at most 500 characters', () => {
    const message = `Creatio answered ${quote('x'.repeat(2000), 5000)}. ${ADVICE}`;
    const shown = clip(message);
    expect(shown.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(shown.startsWith('Creatio answered "xxxx')).toBe(true);
    expect(shown.endsWith(`". ${ADVICE}`)).toBe(true);
    expect(shown).toMatch(LEFT_OUT);
  });

  it('a long URL (a run without spaces) is shortened the same way', () => {
    const url = `https://acme.creatio.com/${'segment/'.repeat(120)}end`;
    const shown = clip(`The site ${url} did not answer. ${ADVICE}`);
    expect(shown.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(shown).toMatch(/^The site https:\/\/acme\.creatio\.com\/segment/);
    expect(shown.endsWith(` did not answer. ${ADVICE}`)).toBe(true);
  });

  it('a quoted value is shortened before a link of the tool’s own advice', () => {
    const console = `https://eu-west-1.console.aws.amazon.com/cognito/v2/idp/user-pools/eu-west-1_AbCdEf123/app-integration/clients/${'c'.repeat(26)}`;
    const shown = clip(`Cognito answered ${quote('z'.repeat(900), 1000)}. Open ${console} and check the app client.`);
    expect(shown.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(shown).toContain(` Open ${console} and check the app client.`);
    expect(shown).toMatch(/"z+…\(\d+ characters left out\)…z+"/);
  });

  it('clipValue keeps both ends of a value and says how much went', () => {
    const v = clipValue(`start-${'m'.repeat(500)}-end`, 60);
    expect(v.length).toBeLessThanOrEqual(60);
    expect(v).toMatch(/^start-m+…\(\d+ characters left out\)…m+-end$/);
  });

  it('a message of only the tool’s own words still fits (its middle goes, as before)', () => {
    const shown = clip('word '.repeat(200));
    expect(shown.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  });
});

describe('the timeout case: the fix is printed whole', () => {
  const longHost = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example.com`;
  const T: HostedUiTarget = {
    providerUrl: `https://${longHost}`,
    userPoolId: 'eu-west-1_AbCdEf123',
    clientId: '1h57kf5cpq17m0eml12eqe3alr',
    callbackUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdCallback',
    signOutUrl: 'https://acme.creatio.com/ServiceModel/AuthService.svc/OpenIdLogoutCallback',
  };
  const authorize = `${T.providerUrl}/oauth2/authorize?response_type=code&client_id=${T.clientId}&redirect_uri=${encodeURIComponent(T.callbackUrl)}&scope=openid+email+phone+profile&state=${'s'.repeat(40)}`;
  const timeout = describeFailure(new Error('aborted'), {
    url: authorize,
    target: `http://127.0.0.1:9/oauth2/authorize?response_type=code&client_id=${T.clientId}&state=${'s'.repeat(40)}`,
    timedOut: true,
    limitMs: 10000,
    byDeadline: false,
  });

  it('hosted-ui/unreachable keeps "raise --timeout" and "Also check that cognito.domain …" whole', () => {
    const [f] = unreachable('authorize', T, timeout.message).findings;
    expect(f!.message.length).toBeGreaterThan(MAX_MESSAGE_LENGTH);
    const shown = messageVisible(f!.message);
    expect(shown.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(shown).toContain('Check the network, or raise --timeout.');
    expect(shown).toContain(
      'Also check that cognito.domain is the domain on the Domain page of the user pool eu-west-1_AbCdEf123 in the Cognito console.',
    );
    expect(shown).toMatch(LEFT_OUT);
  });

  it.each(['text', 'github', 'json'] as const)('%s: the printed finding ends with the fix', (format) => {
    const [f] = unreachable('authorize', T, timeout.message).findings;
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const o = createOutput({ color: false, verbose: false, stdout: out, stderr: new PassThrough(), env: {} });
    const reporter = createReporter(format, { color: o.color, strict: false, write: (t) => o.out(t), redact: o.redact });
    reporter.add({ file: 'creatio-sso.yaml', findings: [f!] });
    reporter.end();
    const message =
      format === 'json' ? (JSON.parse(text) as { files: { findings: { message: string }[] }[] }).files[0]!.findings[0]!.message : text;
    expect(message).toContain('or raise --timeout.');
    expect(message).toContain('in the Cognito console.');
  });
});
