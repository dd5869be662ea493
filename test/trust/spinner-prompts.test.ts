import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { shown } from '../../src/core/text.js';
import { createOutput } from '../../src/io/output.js';
import { startSpinner } from '../../src/io/spinner.js';
import { terminalPrompts } from '../../src/wizard/prompts.js';
import { TEST_SECRET } from '../support/cli.js';

/**
 * SPEC §10: the spinner and the prompts draw on the terminal past Output.err (yocto-spinner and inquirer
 * write to the stream themselves), so their texts must be escaped and masked like every other line. The
 * attack: an AWS `Status` of `CREATING\e]0;…` (a window-title escape) in the spinner's text, redrawn on
 * every frame; a default or a validation message holding a line feed and a workflow command.
 */

/** A terminal-like stream that keeps what is drawn on it. */
function screen() {
  let text = '';
  const stream = Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), {
    isTTY: true,
    columns: 200,
    rows: 40,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, text: () => text };
}

/** What a hostile stand-in may put in an AWS answer: a window-title escape, a bell, a line feed, a forged line. */
const HOSTILE = 'CREATING\u001b]0;pwned\u0007\n::error title=forged::all checks passed';

describe('spinner text', () => {
  it('is escaped and masked on every frame, and stays one line', async () => {
    const s = screen();
    const output = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: s.stream, env: {} });
    output.addSecret(TEST_SECRET);
    expect(output.errIsTTY).toBe(true);
    const controller = new AbortController();
    const spinner = await startSpinner({ output, stderr: s.stream, signal: controller.signal }, `Waiting for the domain (${HOSTILE})…`);
    spinner.update(`Waiting for the domain (${HOSTILE}) ${TEST_SECRET}…`);
    await new Promise((r) => setTimeout(r, 250));
    spinner.stop(shown`Done: ${HOSTILE}`);
    const drawn = s.text();
    // The spinner's own cursor and erase sequences are CSI (ESC [); an OSC (ESC ]) or a BEL is never drawn.
    expect(drawn).not.toMatch(/\u001b\]|\u0007/);
    expect(drawn).toContain('CREATING\\u001b]0;pwned\\u0007\\u000a::error title=forged');
    expect(drawn).not.toContain(TEST_SECRET);
    for (const line of drawn.split(/\r\n|[\n\r]/)) expect(line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).not.toMatch(/^\s*::error/);
  });

  it('without a terminal, only the final line, escaped', async () => {
    const err = new PassThrough();
    let text = '';
    err.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const output = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: err, env: {} });
    const spinner = await startSpinner({ output, stderr: err, signal: new AbortController().signal }, HOSTILE);
    spinner.update(HOSTILE);
    spinner.stop(shown`✖ ${HOSTILE}`);
    expect(text).toBe('✖ CREATING\\u001b]0;pwned\\u0007\\u000a::error title=forged::all checks passed\n');
  });
});

describe('prompts', () => {
  const terminal = (redact?: (t: string) => string) => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    let drawn = '';
    const output = Object.assign(new Writable({ write: (c, _e, cb) => ((drawn += String(c)), cb()) }), { end: () => output });
    const chalk = createOutput({ color: false, verbose: false, stdout: new PassThrough(), stderr: new PassThrough(), env: {} }).errChalk;
    return { input, prompts: terminalPrompts({ input, output, color: chalk, redact }), screen: () => drawn };
  };

  it('a question and its default from outside cannot start a line, nor show a secret', async () => {
    const t = terminal((text) => text.split(TEST_SECRET).join('********'));
    const answer = t.prompts.text({ message: `Creatio URL (${HOSTILE}):`, default: `https://acme.creatio.com${HOSTILE} ${TEST_SECRET}` });
    setTimeout(() => t.input.write('\r'), 50);
    await answer;
    const drawn = t.screen();
    expect(drawn).not.toMatch(/\u001b\]|\u0007/);
    expect(drawn).not.toContain(TEST_SECRET);
    for (const line of drawn.split(/\r\n|[\n\r]/)) expect(line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).not.toMatch(/^\s*::error/);
    expect(drawn).toContain('\\u000a::error title=forged');
  });

  it('a validation message quoting the typed answer is escaped', async () => {
    const t = terminal();
    const answer = t.prompts.text({
      message: 'App client ID:',
      validate: (v) => (v === 'ok' ? true : `Not a client ID: ${v}\n::error title=forged::x`),
    });
    setTimeout(() => t.input.write('bad\r'), 50);
    setTimeout(() => t.input.write('\u0015ok\r'), 200);
    await answer;
    const drawn = t.screen();
    for (const line of drawn.split(/\r\n|[\n\r]/)) expect(line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).not.toMatch(/^\s*::error/);
    expect(drawn).toContain('\\u000a::error title=forged');
  });
});
