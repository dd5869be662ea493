import type { z } from 'zod';

/**
 * The config schema as plain data, so the common case (a valid file) is judged without loading zod
 * (~100 ms of a one-file `validate`). ConfigSchema stays the single source of truth: `describeSchema`
 * turns it into a plan at build time (scripts/gen-validator.mjs writes config-plan.generated.ts; a test
 * fails when that file is stale), and a property test proves `acceptConfig` and zod agree.
 *
 * `acceptConfig` only ever says "valid, and here is exactly what zod would return", or "ask zod": an
 * invalid or unusual value goes to zod, which alone words the findings.
 */
export type Plan =
  | { t: 'object'; strict: boolean; shape: Record<string, Plan> }
  | { t: 'record'; key: Plan; value: Plan }
  | { t: 'string'; min: number }
  | { t: 'boolean' }
  | { t: 'values'; values: readonly (string | number | boolean | null)[] }
  | { t: 'optional'; inner: Plan }
  | { t: 'default'; inner: Plan; value: unknown };

/** Paths of values that are strings in the schema; YAML may read them as numbers (`clientId: 123e4`). */
export const STRING_PATHS: readonly (readonly string[])[] = [
  ['creatio', 'url'],
  ['cognito', 'userPoolId'],
  ['cognito', 'region'],
  ['cognito', 'domain'],
  ['cognito', 'clientId'],
  ['cognito', 'clientSecret'],
  ['provider', 'displayName'],
  ['provider', 'code'],
];

type Def = {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  catchall?: { _zod: { def: Def } };
  keyType?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  checks?: { _zod: { def: { check: string; minimum?: number } } }[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  defaultValue?: unknown;
};

/** The plan of a zod schema; throws on anything the acceptor does not implement, so a schema change cannot pass unnoticed. */
export function describeSchema(schema: z.ZodType): Plan {
  return describe((schema as unknown as { _zod: { def: Def } })._zod.def, '');
}

function describe(def: Def, at: string): Plan {
  const unsupported = (what: string) =>
    new Error(`config-plan: ${what} at "${at}" is not supported by acceptConfig; extend src/core/config/plan.ts`);
  const checks = def.checks ?? [];
  if (def.type !== 'string' && checks.length) throw unsupported(`checks on ${def.type}`);
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall?._zod.def.type;
      if (catchall !== undefined && catchall !== 'never') throw unsupported(`catchall ${catchall}`);
      const shape: Record<string, Plan> = {};
      for (const [k, v] of Object.entries(def.shape ?? {})) shape[k] = describe(v._zod.def, `${at}.${k}`);
      return { t: 'object', strict: catchall === 'never', shape };
    }
    case 'record':
      return { t: 'record', key: describe(def.keyType!._zod.def, `${at}[key]`), value: describe(def.valueType!._zod.def, `${at}[value]`) };
    case 'string': {
      let min = 0;
      for (const c of checks) {
        if (c._zod.def.check !== 'min_length' || typeof c._zod.def.minimum !== 'number') throw unsupported(`check ${c._zod.def.check}`);
        min = Math.max(min, c._zod.def.minimum);
      }
      return { t: 'string', min };
    }
    case 'boolean':
      return { t: 'boolean' };
    case 'literal':
      return { t: 'values', values: def.values as (string | number | boolean | null)[] };
    case 'enum':
      return { t: 'values', values: Object.values(def.entries ?? {}) as string[] };
    case 'optional':
      return { t: 'optional', inner: describe(def.innerType!._zod.def, at) };
    case 'default':
      return { t: 'default', inner: describe(def.innerType!._zod.def, at), value: def.defaultValue };
    default:
      throw unsupported(def.type);
  }
}

const NO = Symbol('no');
type Out = unknown;

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Own keys, when they are all plain enumerable data properties named by strings other than __proto__; else undefined. */
function plainKeys(v: Record<string, unknown>): string[] | undefined {
  const keys = Reflect.ownKeys(v);
  for (const k of keys) {
    if (typeof k !== 'string' || k === '__proto__') return undefined;
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (!d || !d.enumerable || !('value' in d)) return undefined;
  }
  return keys as string[];
}

/** What zod returns for a valid `value`, or NO: invalid, or unusual enough that zod should decide. */
function accept(plan: Plan, value: unknown): Out | typeof NO {
  switch (plan.t) {
    case 'string':
      return typeof value === 'string' && value.length >= plan.min ? value : NO;
    case 'boolean':
      return typeof value === 'boolean' ? value : NO;
    case 'values':
      return plan.values.includes(value as string) ? value : NO;
    case 'optional':
      return value === undefined ? undefined : accept(plan.inner, value);
    case 'default':
      // zod hands out a shallow copy of the default; a deep one is equal and shares nothing.
      return value === undefined ? structuredClone(plan.value) : accept(plan.inner, value);
    case 'record': {
      if (!isPlain(value)) return NO;
      const keys = plainKeys(value);
      if (!keys) return NO;
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        if (accept(plan.key, k) === NO) return NO;
        const v = accept(plan.value, value[k]);
        if (v === NO) return NO;
        out[k] = v;
      }
      return out;
    }
    case 'object': {
      if (!isPlain(value)) return NO;
      const keys = plainKeys(value);
      if (!keys) return NO;
      if (plan.strict && keys.some((k) => !Object.hasOwn(plan.shape, k))) return NO;
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(plan.shape)) {
        const present = Object.hasOwn(value, k);
        const v = accept(p, value[k]);
        if (v === NO) return NO;
        // zod keeps a key given as undefined and leaves an absent optional one out.
        if (v !== undefined || present) out[k] = v;
      }
      return out;
    }
  }
}

/** zod's result for a value it accepts, or undefined when zod must judge it (invalid, or unusual). */
export function acceptWith<T>(plan: Plan, value: unknown): T | undefined {
  const out = accept(plan, value);
  return out === NO ? undefined : (out as T);
}
