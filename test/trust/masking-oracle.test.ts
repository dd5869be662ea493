import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, TEST_SECRET, tempDir } from '../support/cli.js';
import { startFakeCreatio, type FakeCreatio, onSiteConfig } from '../support/fake-creatio.js';

/**
 * §10 "Masking" meets "a config file is untrusted input": the output layer masks every registered credential
 * wherever it appears, also inside text the config file supplied. So the file's author can put a guess of a
 * credential the CI runner holds (the Creatio password here; the test user's password or Creatio's OAuth
 * secret alike) into a value the run echoes — provider.displayName, which plan prints as `+ Name <value>` —
 * and read in the pull request's CI log whether the guess was right: `********` means it was. One guess per
 * echoed value per push, without ever touching the Creatio site (which may be reachable from CI only);
 * Creatio's shipped default password makes the first guess a good one.
 *
 * Not fixed here: masking must not depend on text the file supplied (that text reveals nothing its author
 * did not write), but the output layer does not know where a piece of text came from. The spec needs to say
 * so (see the report); until then this test is `it.fails`.
 */
const PASSWORD = 'Supervisor!1-not-a-real-one';
const WRONG = 'Welcome2024!-a-wrong-guess';
let site: FakeCreatio;
const { dir, cleanup } = tempDir('creatio-sso-oracle-');
beforeAll(async () => {
  site = await startFakeCreatio({ users: { Supervisor: PASSWORD } });
});
afterAll(async () => {
  await site.close();
  cleanup();
});

/** plan's output for a pull request whose displayName is `guess`, with the guess itself taken out. */
async function planShowing(guess: string): Promise<string> {
  writeFileSync(
    path.join(dir, 'creatio-sso.yaml'),
    onSiteConfig(
      site.url,
      `provider:
  displayName: "${guess}"
`,
    ),
  );
  const run = await runCli(['plan', '--skip', 'cognito'], {
    cwd: dir,
    env: {
      COGNITO_CLIENT_SECRET: TEST_SECRET,
      CREATIO_SSO_CREATIO_USERNAME: 'Supervisor',
      CREATIO_SSO_CREATIO_PASSWORD: PASSWORD,
      CREATIO_SSO_CREATIO_URL: site.url,
    },
  });
  return (run.stdout + run.stderr).split(guess).join('<guess>');
}

describe('the output does not tell a config file whether it guessed a credential', () => {
  it('sanity: plan echoes the display name (the channel exists)', async () => {
    expect(await planShowing(WRONG)).toMatch(/\+ Name\s+<guess>/);
  });

  it.fails('a display name equal to the Creatio password prints as a wrong guess does', async () => {
    // Today the right guess prints `+ Name  ********`, the wrong one `+ Name  <guess>`.
    expect(await planShowing(PASSWORD)).toBe(await planShowing(WRONG));
  });
});
