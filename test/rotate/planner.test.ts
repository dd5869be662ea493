import { describe, expect, it } from 'vitest';
import { parseDuration, planRotation, type KnownValue, type RotateFacts, type RotateMode } from '../../src/core/rotate.js';

/** §16's decisions, one line each: live facts and known values in, the next steps (or the refusal) out. */
const OLD = { id: 'c--1000', created: '2026-01-01T00:00:00.000Z' };
const NEW = { id: 'c--2000', created: '2026-01-02T00:00:00.000Z' };
const NOW = '2026-01-02T01:00:00.000Z';

const v = (sources: KnownValue['sources'], accepted: boolean, more: Partial<KnownValue> = {}): KnownValue => ({
  sources,
  accepted,
  ...more,
});
const facts = (secrets: RotateFacts['secrets'], originalShown: boolean, known: KnownValue[]): RotateFacts => ({
  secrets,
  originalShown,
  known,
  now: NOW,
});
/** The decision in one short string: `steps add,store,prove,creatio`, `refuse rotate/two-secrets`, `done`, `waiting`. */
const decide = (f: RotateFacts, mode: RotateMode, graceMs?: number): string => {
  const d = planRotation(f, { mode, ...(graceMs !== undefined ? { graceMs } : {}) });
  if (d.kind === 'steps')
    return `steps ${d.steps.map((s) => (s.step === 'retire' ? `retire:${s.id}:${s.keeps}` : `${s.step}:${'value' in s ? s.value : ''}`)).join(',')}`;
  if (d.kind === 'refuse') return `refuse ${d.code}`;
  return d.kind;
};

const cfgOriginal = v(['configured'], true, { isOriginal: true });
const fileNew = v(['file'], true, { isOriginal: false });

describe('planRotation', () => {
  it.each<[string, RotateFacts, RotateMode, string]>([
    ['no secret: a public client', facts([], false, []), 'rotate', 'refuse rotate/public-client'],
    ['one secret: a fresh rotation', facts([OLD], true, [cfgOriginal]), 'rotate', 'steps add:,store:new,prove:new,creatio:new'],
    ['one secret, --finish: nothing to do', facts([OLD], true, [cfgOriginal]), 'finish', 'done'],
    ['one secret, --abort: nothing to do', facts([OLD], true, [cfgOriginal]), 'abort', 'done'],
    [
      'two, the newer in the file: continue without adding or storing',
      facts([OLD, NEW], true, [fileNew, cfgOriginal]),
      'rotate',
      'steps prove:0,creatio:0',
    ],
    [
      'two, the newer from stdin: it is stored first',
      facts([OLD, NEW], true, [v(['stdin'], true, { isOriginal: false })]),
      'rotate',
      'steps store:0,prove:0,creatio:0',
    ],
    [
      'two, the operator already switched the config (not the original, accepted)',
      facts([OLD, NEW], true, [v(['configured'], true, { isOriginal: false })]),
      'rotate',
      'steps store:0,prove:0,creatio:0',
    ],
    ['two, nothing but the original known', facts([OLD, NEW], true, [cfgOriginal]), 'rotate', 'refuse rotate/two-secrets'],
    [
      'two, the file value refused',
      facts([OLD, NEW], true, [v(['file'], false, { isOriginal: false }), cfgOriginal]),
      'finish',
      'refuse rotate/two-secrets',
    ],
    [
      'two, the file holds the original (written by generate)',
      facts([OLD, NEW], true, [v(['file', 'configured'], true, { isOriginal: true })]),
      'finish',
      'refuse rotate/two-secrets',
    ],
    [
      'two, no original shown: the configured value alone cannot tell',
      facts([OLD, NEW], false, [v(['configured'], true)]),
      'finish',
      'refuse rotate/two-secrets',
    ],
    [
      'two, no original shown: a file written before the newer secret is stale',
      facts([OLD, NEW], false, [v(['file'], true, { writtenAfterNewer: false })]),
      'finish',
      'refuse rotate/two-secrets',
    ],
    [
      'two, no original shown: the file written after it holds the newer',
      facts([OLD, NEW], false, [v(['file'], true, { writtenAfterNewer: true })]),
      'finish',
      'steps creatio:0,prove:0,retire:c--1000:0',
    ],
    [
      '--finish keeps the newer, deletes the older',
      facts([OLD, NEW], true, [fileNew, cfgOriginal]),
      'finish',
      'steps creatio:0,prove:0,retire:c--1000:0',
    ],
    [
      '--abort keeps the configured original, deletes the newer',
      facts([OLD, NEW], true, [cfgOriginal]),
      'abort',
      'steps creatio:0,prove:0,retire:c--2000:0',
    ],
    [
      '--abort with a configured value that is not the original',
      facts([OLD, NEW], true, [v(['configured'], true, { isOriginal: false })]),
      'abort',
      'refuse rotate/two-secrets',
    ],
    [
      '--abort with the configured value refused',
      facts([OLD, NEW], true, [v(['configured'], false, { isOriginal: true })]),
      'abort',
      'refuse rotate/two-secrets',
    ],
    [
      '--abort, no original shown, the newer known: the other accepted one is the older',
      facts([OLD, NEW], false, [v(['file'], true, { writtenAfterNewer: true }), v(['configured'], true)]),
      'abort',
      'steps creatio:1,prove:1,retire:c--2000:1',
    ],
    [
      '--abort, no original shown, the newer unknown',
      facts([OLD, NEW], false, [v(['configured'], true)]),
      'abort',
      'refuse rotate/two-secrets',
    ],
  ])('%s', (_name, f, mode, expected) => expect(decide(f, mode)).toBe(expected));

  it('orders the two secrets by ClientSecretCreateDate, whatever order the list has', () => {
    expect(decide(facts([NEW, OLD], true, [fileNew, cfgOriginal]), 'finish')).toBe('steps creatio:0,prove:0,retire:c--1000:0');
  });

  it('--grace: waits while the newer secret is younger, deletes once it is old enough', () => {
    const f = facts([OLD, NEW], true, [fileNew, cfgOriginal]);
    expect(decide(f, 'finish', 2 * 3_600_000)).toBe('waiting');
    const d = planRotation(f, { mode: 'finish', graceMs: 2 * 3_600_000 });
    expect(d.kind === 'waiting' && d.until).toBe('2026-01-02T02:00:00.000Z');
    expect(decide(f, 'finish', 30 * 60_000)).toBe('steps creatio:0,prove:0,retire:c--1000:0');
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['1d12h', 129_600_000],
    ['', undefined],
    ['10', undefined],
    ['1w', undefined],
    ['-5m', undefined],
  ])('%s → %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
});
