import { describe, expect, it } from 'vitest';
import { ExitCode, ExitError, type ExitCodeValue } from '../../src/cli/errors.js';
import { endingError, exitFor, resultOf, type VerdictCommand } from '../../src/report/verdict.js';

/** What exitFor throws for a verdict, as the one place that turns an error into output sees it. */
function ending(code: ExitCodeValue, command: VerdictCommand, quiet = false) {
  try {
    exitFor(code, command, { quiet });
    return 'returned';
  } catch (e) {
    if (!(e instanceof ExitError)) throw e;
    return { code: e.exitCode, said: e.silent ? '' : e.message };
  }
}

describe('one exit rule: exitFor(verdict, command)', () => {
  it.each([
    // command, verdict, exit code, what is said last (empty: the findings and summary above said it)
    ['validate', ExitCode.ok, 'returned'],
    ['validate', ExitCode.failed, { code: 1, said: '' }],
    ['validate', ExitCode.inconclusive, { code: 3, said: expect.stringMatching(/^Inconclusive: .*raise --timeout\.$/) }],
    ['validate', ExitCode.usage, { code: 2, said: '' }],
    ['doctor', ExitCode.inconclusive, { code: 3, said: '' }],
    ['doctor', ExitCode.failed, { code: 1, said: '' }],
    ['plan', ExitCode.changesPending, { code: 4, said: '' }],
    ['plan', ExitCode.inconclusive, { code: 3, said: '' }],
    ['apply', ExitCode.failed, { code: 1, said: '' }],
    ['generate', ExitCode.failed, { code: 1, said: 'Nothing was written: fix the findings above.' }],
    [
      'generate',
      ExitCode.inconclusive,
      { code: 3, said: expect.stringMatching(/^Nothing was written: the live checks could not be completed/) },
    ],
    // A usage finding (trust/unpinned-host) is exit 2 in every command, generate included (§3's precedence).
    ['generate', ExitCode.usage, { code: 2, said: 'Nothing was written: fix the findings above.' }],
  ] as const)('%s with verdict %i', (command, code, expected) => {
    expect(ending(code, command)).toEqual(expected);
  });

  it('says nothing more when the output is a JSON document', () => {
    expect(ending(ExitCode.failed, 'generate', true)).toEqual({ code: 1, said: '' });
    expect(ending(ExitCode.inconclusive, 'validate', true)).toEqual({ code: 3, said: '' });
  });

  it('endingError never ends a failed run with 0', () => {
    expect(endingError(ExitCode.ok, 'generate').exitCode).toBe(ExitCode.failed);
  });

  it('names each verdict in the job summary', () => {
    expect([0, 1, 2, 3, 4].map(resultOf)).toEqual(['✅ passed', '❌ failed', '❌ failed', '❔ inconclusive', '🟡 changes pending']);
  });
});

describe('the exit rule over many configs (§17)', () => {
  it.each([
    [ExitCode.failed, 1, 'plan found problems in 2 of 5 configs; see above.'],
    [ExitCode.inconclusive, 3, 'Inconclusive: 2 of 5 configs could not be checked completely; see above.'],
    [ExitCode.changesPending, 4, 'Changes are pending in 2 of 5 configs (--exit-code).'],
    [ExitCode.usage, 2, 'plan found problems in 2 of 5 configs; see above.'],
  ] as const)('verdict %i: exit %i, "%s"', (code, exit, message) => {
    const e = endingError(code, 'plan', { configs: { failing: 2, of: 5 } });
    expect({ exit: e.exitCode, message: e.message, silent: e.silent }).toEqual({ exit, message, silent: true });
  });
});
