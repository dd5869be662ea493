import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colorLevel, createOutput, loadChalkFor } from '../src/io/output.js';
import { runCli, TEST_SECRET } from './support/cli.js';

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
    o.out(`value=${TEST_SECRET}\n`);
    o.err(`oops ${TEST_SECRET} and again ${TEST_SECRET}\n`);
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
