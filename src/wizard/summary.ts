import type { ResolvedConfig } from '../core/config/checks.js';
import { isKnownRegion } from '../core/cognito/identifiers.js';
import { joinShown, SECRET_MASK, shown, type Shown } from '../core/text.js';
import { wrapProse, type Paint } from '../io/output.js';
import { shellQuote, type InitAnswers } from './answers.js';

/** The texts `init` shows around writing: the summary before, the next steps after. Pure. */

/** Whether the domain was checked against the pool's discovery document. */
export type DomainCheck = 'live' | 'offline' | 'unreachable' | 'no-domain';

const DOMAIN_CHECK: Record<DomainCheck, string> = {
  live: 'checked live: the pool uses it',
  offline: 'not checked: --offline',
  unreachable: 'not checked: Cognito could not be reached',
  'no-domain': 'the pool has no domain yet: npx creatio-sso apply creates it, or add it in Cognito (Branding → Domain)',
};

export interface FileRole {
  /** As shown to the user (relative to the current folder). */
  path: string;
  role: string;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/**
 * Rows of label and value, each a line of its own (a value is escaped: it cannot start a line). With
 * `columns`, a row too long for the terminal continues under its value, never at the line's start.
 */
function table(rows: [string, Shown | string][], c: Paint, columns?: number): Shown {
  const width = Math.max(...rows.map(([k]) => k.length));
  // The value starts past the label: wrapProse's indent is that column, for its first row and the rest.
  const wrapped = (v: Shown | string): Shown | string => (columns === undefined ? v : wrapProse(shown`${v}`, columns, width + 4));
  return joinShown(
    rows.map(([k, v]) => shown`  ${c.bold(k.padEnd(width))}  ${wrapped(v)}`),
    '\n',
  );
}

export function formatSummary(
  a: InitAnswers,
  r: ResolvedConfig,
  files: readonly FileRole[],
  domainCheck: DomainCheck,
  c: Paint,
  columns?: number,
): Shown {
  const values = table(
    [
      ['Creatio site', shown`${r.creatioUrl} (${r.deployment})`],
      ['Callback URL', r.urls.callbackUrl],
      ['Sign-out URL', r.urls.signOutUrl],
      // A region no Cognito pool lives in is most likely a typo (eu-wset-1): marked where it is confirmed.
      [
        'User pool',
        shown`${r.userPoolId} in ${r.region}${isKnownRegion(r.region) ? '' : c.yellow(' (not a region with Cognito user pools)')}`,
      ],
      ['Hosted UI domain', shown`${r.domain.host} ${c.dim(`(${DOMAIN_CHECK[domainCheck]})`)}`],
      ['App client ID', r.clientId],
      ['Client secret', shown`${SECRET_MASK} ${c.dim(shown`(config refers to \${env:${a.clientSecretEnv}})`)}`],
      ['Login button', r.displayName],
      ['Just-In-Time users', `employees: ${yesNo(r.jit.employees)}, external users: ${yesNo(r.jit.externalUsers)}`],
      ['Mobile app SSO', yesNo(r.mobileUseSso)],
    ],
    c,
    columns,
  );
  return shown`\n${c.bold('Summary')}\n${values}\n\n${c.bold('Files')}\n${table(
    files.map((f) => [f.path, f.role]),
    c,
    columns,
  )}\n`;
}

export interface NextSteps {
  configFile: string;
  setupFile: string;
  recordFile: string;
  clientSecretEnv: string;
  /** The non-interactive command, shown after a wizard run. */
  command?: string;
}

export function formatNextSteps(n: NextSteps, c: Paint, columns?: number): Shown {
  // A step continues under its text; a command is never wrapped: it stays one line to copy.
  const step = (text: Shown): Shown => (columns === undefined ? text : wrapProse(text, columns, 3));
  const lines = [
    shown``,
    c.bold('Next steps'),
    step(shown`  1. Follow ${n.setupFile}: the Cognito app client first, then Creatio.`),
    step(shown`  2. Commit ${n.configFile}. Keep ${n.recordFile} out of version control: it holds the client secret.`),
    step(shown`  3. Keep the secret in the environment variable ${n.clientSecretEnv}, then check the live set-up:`),
    shown`       ${n.clientSecretEnv}=… npx creatio-sso doctor --config ${shellQuote(n.configFile)}`,
  ];
  if (n.command) {
    lines.push(
      shown``,
      shown`${c.bold('The same set-up without questions')}${c.dim(' (add --force to replace these files):')}`,
      shown`  ${n.command}`,
    );
  }
  return shown`${joinShown(lines, '\n')}\n`;
}

/**
 * After Cancel at the summary: the command that gives the same set-up without questions. "Nothing was
 * written" is said once, by the cancel that follows (CancelledError), as the last line.
 */
export function formatCancelled(command: string, c: Paint): Shown {
  return shown`\n${c.bold('The same set-up without questions:')}\n  ${command}\n`;
}
