/**
 * Secret rotation (§16), the pure part: from the live facts (the client's secrets, whether Cognito still
 * shows the original, which known values the token endpoint accepts) and the mode, the steps to take or
 * the reason to stop. No I/O: src/commands/rotate.ts gathers the facts and carries the steps out.
 *
 * Nothing here holds a secret value: a known value is described by where it came from and what the live
 * systems said about it.
 */

export type RotateMode = 'rotate' | 'finish' | 'abort';

/** Where a known value came from: `--new-secret-stdin`, the secret file (record file or `--secret-out`), the config. */
export type ValueSource = 'stdin' | 'file' | 'configured';

/** One entry of ListUserPoolClientSecrets (never a value). */
export interface SecretEntry {
  id: string;
  /** ClientSecretCreateDate, ISO 8601. */
  created: string;
}

/** One distinct known value (equal values from several sources are one), and what the live systems said of it. */
export interface KnownValue {
  sources: readonly ValueSource[];
  /** The token endpoint answered invalid_grant for it (the secret was accepted). */
  accepted: boolean;
  /** It equals DescribeUserPoolClient's ClientSecret; undefined when Cognito shows none (the original was deleted). */
  isOriginal?: boolean;
  /** The secret file was last written at or after the newer secret's creation (a file written before cannot hold it). */
  writtenAfterNewer?: boolean;
}

export interface RotateFacts {
  /** ListUserPoolClientSecrets. */
  secrets: readonly SecretEntry[];
  /** DescribeUserPoolClient shows a ClientSecret: the client's original secret is still one of them. */
  originalShown: boolean;
  known: readonly KnownValue[];
  /** The clock, ISO 8601. */
  now: string;
}

export interface RotateRequest {
  mode: RotateMode;
  /** `--grace` in milliseconds (`--finish` only). */
  graceMs?: number;
}

export type StepName = 'read' | 'add' | 'store' | 'prove' | 'creatio' | 'retire';
export type StepStatus = 'done' | 'planned' | 'skipped' | 'waiting' | 'failed' | 'stopped';

/** A step still to take. `value` says which known value it works with (by its index in `facts.known`), or the new one. */
export type PlannedStep =
  | { step: 'add' }
  | { step: 'store'; value: 'new' | number }
  | { step: 'prove'; value: 'new' | number }
  | { step: 'creatio'; value: 'new' | number }
  | { step: 'retire'; id: string; keeps: 'new' | number };

export type RotateDecision =
  | { kind: 'steps'; steps: PlannedStep[]; detail: string }
  /** Nothing to do; exit 0. */
  | { kind: 'done'; detail: string }
  /** `--finish --grace`: the newer secret is too young; run again at `until`. */
  | { kind: 'waiting'; until: string; detail: string }
  | { kind: 'refuse'; code: 'rotate/public-client' | 'rotate/two-secrets'; detail: string };

const PREFERENCE: readonly ValueSource[] = ['stdin', 'file', 'configured'];
const rank = (k: KnownValue) => Math.min(...k.sources.map((s) => PREFERENCE.indexOf(s)));

/** The client's secrets oldest first (by ClientSecretCreateDate). */
export const byAge = (secrets: readonly SecretEntry[]): SecretEntry[] =>
  [...secrets].sort((a, b) => Date.parse(a.created) - Date.parse(b.created));

/**
 * Which known value is the newer of two secrets (§16 step 1), by its index in `known`. A value counts when
 * the token endpoint accepts it and it is not the original. When Cognito no longer shows the original,
 * both secrets were added later and the configured value alone cannot tell which it is: only a value the
 * operator gives (`--new-secret-stdin`) or the secret file written after the newer secret was created counts.
 */
export function newerValueOf(f: RotateFacts): number | undefined {
  if (f.secrets.length !== 2) return undefined;
  const candidates = f.known
    .map((k, i) => ({ k, i }))
    .filter(({ k }) => k.accepted && k.isOriginal !== true)
    .filter(({ k }) => f.originalShown || k.sources.includes('stdin') || (k.sources.includes('file') && k.writtenAfterNewer === true))
    .sort((a, b) => rank(a.k) - rank(b.k));
  return candidates[0]?.i;
}

/**
 * The older value for `--abort`: the configured secret, accepted, and provably the older one: the original
 * while Cognito shows it, else a value other than the known newer one.
 */
export function olderValueOf(f: RotateFacts, newer: number | undefined): number | undefined {
  const i = f.known.findIndex((k) => k.sources.includes('configured'));
  const k = f.known[i];
  if (!k || !k.accepted) return undefined;
  if (f.originalShown) return k.isOriginal === true ? i : undefined;
  return newer !== undefined && newer !== i ? i : undefined;
}

const FINISH_ABORT = 'run creatio-sso rotate --finish (keep the newer secret) or --abort (keep the older one)';

/** The decision of §16 for one run. */
export function planRotation(f: RotateFacts, r: RotateRequest): RotateDecision {
  const secrets = byAge(f.secrets);
  if (secrets.length === 0) {
    return {
      kind: 'refuse',
      code: 'rotate/public-client',
      detail: 'the app client has no client secret (a public client), so there is nothing to rotate',
    };
  }
  if (secrets.length === 1) {
    if (r.mode === 'rotate') return { kind: 'steps', steps: rotateSteps('new'), detail: 'one secret: a new one is added' };
    return { kind: 'done', detail: `the app client has one secret (${secrets[0]!.id}): nothing to ${r.mode}` };
  }

  const [older, newer] = [secrets[0]!, secrets[secrets.length - 1]!];
  const newerValue = newerValueOf(f);
  if (r.mode === 'abort') {
    const olderValue = olderValueOf(f, newerValue);
    if (olderValue === undefined) {
      return {
        kind: 'refuse',
        code: 'rotate/two-secrets',
        detail: f.originalShown
          ? `--abort keeps the older secret (${older.id}), which must be the configured one: the token endpoint did not accept the configured secret as the original. Give the older secret as cognito.clientSecret`
          : `--abort keeps the older secret (${older.id}): Cognito no longer shows the original secret, so the configured secret can be told from the newer one only when the newer one is known too (the secret file, or --new-secret-stdin)`,
      };
    }
    return {
      kind: 'steps',
      steps: keepOnly(olderValue, newer.id),
      detail: `keeps ${older.id}, deletes the newer ${newer.id}`,
    };
  }

  if (newerValue === undefined) {
    return {
      kind: 'refuse',
      code: 'rotate/two-secrets',
      detail: `the app client has two secrets (${older.id}, ${newer.id}), a rotation left half-way, and the newer secret's value is not known here (not in the secret file, not --new-secret-stdin, and the configured secret is not provably the newer one): ${FINISH_ABORT}, giving the newer secret with --new-secret-stdin for --finish`,
    };
  }
  const known = f.known[newerValue]!;
  if (r.mode === 'rotate') {
    const steps: PlannedStep[] = [
      ...(known.sources.includes('file') ? [] : [{ step: 'store' as const, value: newerValue }]),
      { step: 'prove', value: newerValue },
      { step: 'creatio', value: newerValue },
    ];
    return { kind: 'steps', steps, detail: `two secrets, the newer (${newer.id}) known: the rotation continues` };
  }
  // --finish
  if (r.graceMs !== undefined) {
    const until = Date.parse(newer.created) + r.graceMs;
    if (until > Date.parse(f.now)) {
      return {
        kind: 'waiting',
        until: new Date(until).toISOString(),
        detail: `the newer secret ${newer.id} is younger than --grace: nothing was deleted; run this again after ${new Date(until).toISOString()}`,
      };
    }
  }
  return {
    kind: 'steps',
    steps: keepOnly(newerValue, older.id),
    detail: `keeps the newer ${newer.id}, deletes ${older.id}`,
  };
}

/**
 * --finish and --abort end the same way: Creatio gets the secret that stays, the token endpoint proves it,
 * then the other one is deleted — in that order, so Creatio never holds a deleted secret (§16 step 6).
 */
const keepOnly = (value: 'new' | number, deleteId: string): PlannedStep[] => [
  { step: 'creatio', value },
  { step: 'prove', value },
  { step: 'retire', id: deleteId, keeps: value },
];

const rotateSteps = (value: 'new'): PlannedStep[] => [
  { step: 'add' },
  { step: 'store', value },
  { step: 'prove', value },
  { step: 'creatio', value },
];

/** `--grace`: `90s`, `30m`, `12h`, `7d`, or combined (`1d12h`). Milliseconds, or undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (!/^(\d+[smhd])+$/.test(t)) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  let ms = 0;
  for (const [, n, u] of t.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * unit[u as keyof typeof unit];
  return ms;
}

/** A secret `--new-secret-stdin` may give (§16 step 2): 24–64 characters of `[\w+]`. */
export const NEW_SECRET_SHAPE = /^[\w+]{24,64}$/;
