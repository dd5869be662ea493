import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { colorLevel, createOutput, loadChalkFor } from '../../src/io/output.js';
import { clip, jsonVisible, MAX_MESSAGE_LENGTH, visible, visibleStream, type Shown } from '../../src/core/text.js';

/** Text handed to the writer as is: these tests try its last line of defence, past the composing layer. */
const raw = (text: string) => text as Shown;
import { runCli, TEST_SECRET } from '../support/cli.js';

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, text: () => text };
};

describe('output', () => {
  it.each([
    [{ isTTY: true }, true, {}, 2],
    [{ isTTY: false }, true, {}, 0],
    [{ isTTY: true }, false, {}, 0],
    [{ isTTY: true }, true, { NO_COLOR: '1' }, 0],
    [{ isTTY: true }, true, { NO_COLOR: '' }, 2],
    [{ isTTY: false }, true, { FORCE_COLOR: '1' }, 1],
    [{ isTTY: true }, true, { FORCE_COLOR: '1', NO_COLOR: '1' }, 0],
    [{ isTTY: true }, true, { TERM: 'dumb' }, 0],
  ])('colour level for %j, wanted %s, env %j → %i', (stream, wanted, env, level) => {
    expect(colorLevel(stream, wanted, env)).toBe(level);
  });

  it('masks a registered secret in everything it writes, on both streams', () => {
    const out = capture();
    const err = capture();
    const o = createOutput({ color: false, verbose: false, stdout: out.stream, stderr: err.stream, env: {} });
    o.addSecret(TEST_SECRET);
    o.out(raw(`value=${TEST_SECRET}\n`));
    o.err(raw(`oops ${TEST_SECRET} and again ${TEST_SECRET}\n`));
    expect(out.text()).toBe('value=********\n');
    expect(err.text()).toBe('oops ******** and again ********\n');
  });

  it('without colour, styles are the identity and chain; the stand-in is not a thenable', async () => {
    const o = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: new PassThrough(), env: {} });
    expect(o.color.red('x')).toBe('x');
    expect(o.color.bold.underline('y')).toBe('y');
    expect(await Promise.resolve(o.color)).toBe(o.color);
  });

  it('loads chalk only when a stream gets colour', async () => {
    const plainOpts = await loadChalkFor({
      color: true,
      verbose: false,
      stdout: { isTTY: false } as never,
      stderr: { isTTY: false } as never,
      env: {},
    });
    expect(plainOpts.Chalk).toBeUndefined();
    const coloured = await loadChalkFor({
      color: true,
      verbose: false,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: { FORCE_COLOR: '1' },
    });
    expect(coloured.Chalk).toBeTypeOf('function');
    const o = createOutput({ ...coloured, stdout: new PassThrough(), stderr: new PassThrough() });
    expect(o.color.red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('the CLI colours with FORCE_COLOR, and never with NO_COLOR or --no-color', async () => {
    const args = ['urls', '--user-pool-id', 'eu-west-1_AbCdEf123', '--domain', 'acme-login'];
    expect((await runCli(args, { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[1m');
    expect((await runCli(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli([...args, '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });
});

describe('masking (§10)', () => {
  const CLIENT_ID = '1h57kf5cpq17m0eml12eqe3alr';
  const PLUS_SECRET = 'AbC+dEf123+GhI456jKl789mNo0pQr';
  const written = (secret: string, text: string) => {
    const out = capture();
    const o = createOutput({ color: false, verbose: false, stdout: out.stream, stderr: new PassThrough(), env: {} });
    o.addSecret(secret);
    o.out(raw(text));
    return out.text();
  };

  it.each([
    ['raw', (s: string) => s],
    ['base64(secret)', (s: string) => Buffer.from(s).toString('base64')],
    ['base64url(secret)', (s: string) => Buffer.from(s).toString('base64url')],
    ['HTTP Basic base64(clientId:secret)', (s: string) => `Basic ${Buffer.from(`${CLIENT_ID}:${s}`).toString('base64')}`],
    ['base64(anyone:secret) without padding', (s: string) => Buffer.from(`someone-else:${s}`).toString('base64').replace(/=+$/, '')],
    ['URL-encoded', (s: string) => encodeURIComponent(s)],
    ['URL-encoded, lower-case hex', (s: string) => encodeURIComponent(s).replace(/%2B/g, '%2b')],
    ['form-encoded', (s: string) => new URLSearchParams({ client_secret: s }).toString()],
  ])('masks the %s form', (_name, form) => {
    for (const secret of [TEST_SECRET, PLUS_SECRET]) {
      const text = written(secret, `before ${form(secret)} after\n`);
      expect(text).toContain('before ');
      expect(text).toContain('********');
      expect(text).not.toContain(
        form(secret)
          .replace(/^Basic /, '')
          .replace(/^client_secret=/, ''),
      );
      expect(text).not.toContain(secret.slice(0, 10));
    }
  });

  it.each([
    ['https://user:pass@host.example/x', 'https://***@host.example/x'],
    ['HTTPS_PROXY=http://proxyuser:s3cret@proxy.corp:3128 failed', 'HTTPS_PROXY=http://***@proxy.corp:3128 failed'],
    ['override https://admin@idp.example.test', 'override https://***@idp.example.test'],
    ['no credentials https://host.example/a@b', 'no credentials https://host.example/a@b'],
  ])('masks credentials inside URLs: %s', (text, expected) => {
    expect(written(TEST_SECRET, text)).toBe(expected);
    // Without any registered secret too.
    const out = capture();
    createOutput({ color: false, verbose: false, stdout: out.stream, stderr: new PassThrough(), env: {} }).out(raw(text));
    expect(out.text()).toBe(expected);
  });
});

describe('the output boundary (§10)', () => {
  it('keeps line breaks and its own colours, makes every other control character visible', () => {
    const out = capture();
    const o = createOutput({ color: false, verbose: false, stdout: out.stream, stderr: new PassThrough(), env: {} });
    o.out(raw('line\u001b[2J\u001b]0;title\u0007\rforged\u009b\u007f\r\nnext\n'));
    expect(out.text()).toBe('line\\u001b[2J\\u001b]0;title\\u0007\\u000dforged\\u009b\\u007f\r\nnext\n');
    expect(visibleStream('\u001b[31mred\u001b[39m', true)).toBe('\u001b[31mred\u001b[39m');
    expect(visibleStream('\u001b[31mred\u001b[39m', false)).toBe('\\u001b[31mred\\u001b[39m');
  });

  it('visible() leaves no control character in any string, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const v = visible(s);
        expect(v).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(v.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))).toBe(
          s.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('clip() keeps any message within 500 characters, both ends kept', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (s) => {
        const c = clip(s);
        expect(c.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        if (s.length <= MAX_MESSAGE_LENGTH) expect(c).toBe(s);
        else {
          expect(c.startsWith(s.slice(0, 100))).toBe(true);
          expect(c.endsWith(s.slice(-100))).toBe(true);
          expect(c).toMatch(/characters left out/);
        }
      }),
    );
  });

  it('jsonVisible() escapes DEL and C1 and keeps the document equal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = jsonVisible(JSON.stringify(v));
        expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
