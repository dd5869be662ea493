import {
  FEATURE_RESOURCE,
  MOBILE_SETTING,
  PROVIDER_FIELDS,
  PROVIDER_RESOURCE,
  SYS_SETTINGS_RESOURCE,
  type CreatioPlan,
  type DesiredCreatio,
  type PlanItem,
} from '../core/creatio/provider.js';
import { AFTER_APPLY_NOTE, FEATURE_CODE } from '../core/creatio/provider.js';
import type { Finding } from '../core/findings.js';
import { CreatioFailure, DataValueType, type ColumnValue, type CreatioClient } from './client.js';
import { MANUAL } from './read.js';

/**
 * The Creatio half of `apply` (§13), in order: the feature (on-site) and a best-effort cache clear, the
 * provider (insert or update), IsDefault, MobileUseSSO. JIT stays a manual step. It stops at the first
 * unexpected answer; the result says exactly which items were applied.
 */
export interface CreatioApplyResult {
  ok: boolean;
  /** The plan's items; each pending one carries `applied`. */
  items: PlanItem[];
  /** The failure that stopped the half (names the request, the manual step and what was applied). */
  findings: Finding[];
  /** Lines for the user: the provider.code to add to the config, a cache that could not be cleared. Never a secret. */
  notes: string[];
  /** The code of a record this run inserted. */
  insertedCode?: string;
}

const isPending = (i: PlanItem): boolean => i.action === 'add' || i.action === 'change';

/**
 * Carry out `plan` (from planCreatio on a state read in this run). `clientSecret` is written on insert,
 * and on update when the plan says so (`desired.writeSecret`); it goes only to the client's pinned site.
 */
export async function applyCreatio(
  client: CreatioClient,
  desired: DesiredCreatio,
  plan: CreatioPlan,
  clientSecret: string,
  /** Each change the moment Creatio confirmed it: a stop can then say exactly what was sent (§10). */
  onApplied?: (item: PlanItem) => void,
): Promise<CreatioApplyResult> {
  const items = plan.items.map((i) => (isPending(i) ? { ...i, applied: false } : { ...i }));
  const notes = plan.notes.filter((n) => !n.includes(AFTER_APPLY_NOTE));
  const result: CreatioApplyResult = { ok: true, items, findings: [], notes };
  if (plan.provider.kind === 'stopped') return { ...result, ok: false, findings: [...plan.findings] };

  const pending = (resource: string, field?: string) =>
    items.filter((i) => i.applied === false && i.resource === resource && (field === undefined || i.field === field));
  const done = (list: PlanItem[]) =>
    list.forEach((i) => {
      i.applied = true;
      onApplied?.(i);
    });

  try {
    const feature = pending(FEATURE_RESOURCE, FEATURE_CODE);
    if (feature.length) {
      await client.setFeatureStateForAllUsers(FEATURE_CODE, 1, MANUAL.feature);
      done(feature);
      if (!(await client.clearFeaturesCacheForAllUsers())) {
        notes.push('Creatio did not clear its features cache: the feature takes effect after the cache expires or the site restarts.');
      }
    }

    const provider = plan.provider;
    const providerItems = pending(PROVIDER_RESOURCE);
    if (provider.kind === 'insert' && providerItems.length) {
      const values: Record<string, ColumnValue> = { Code: { type: DataValueType.text, value: provider.code } };
      for (const f of PROVIDER_FIELDS) values[f] = fieldValue(f, desired.fields[f]);
      values.ClientSecret = { type: DataValueType.secureText, value: clientSecret };
      values.IsDefault = { type: DataValueType.boolean, value: desired.isDefault };
      await client.insert(PROVIDER_RESOURCE, values, MANUAL.provider);
      done(providerItems);
      result.insertedCode = provider.code;
    } else if (provider.kind === 'update') {
      const byId = [{ column: 'Id', type: DataValueType.guid, value: provider.id }];
      const fields = providerItems.filter((i) => i.field !== 'IsDefault');
      if (fields.length) {
        const values: Record<string, ColumnValue> = {};
        for (const i of fields) {
          values[i.field] =
            i.field === 'ClientSecret'
              ? { type: DataValueType.secureText, value: clientSecret }
              : fieldValue(i.field as (typeof PROVIDER_FIELDS)[number], desired.fields[i.field as (typeof PROVIDER_FIELDS)[number]]);
        }
        await client.update(PROVIDER_RESOURCE, values, byId, MANUAL.provider);
        done(fields);
      }
      const isDefault = providerItems.filter((i) => i.field === 'IsDefault');
      if (isDefault.length) {
        await client.update(
          PROVIDER_RESOURCE,
          { IsDefault: { type: DataValueType.boolean, value: desired.isDefault } },
          byId,
          MANUAL.provider,
        );
        done(isDefault);
      }
    }

    const mobile = pending(SYS_SETTINGS_RESOURCE, MOBILE_SETTING);
    if (mobile.length) {
      await client.postSysSettingsValues({ [MOBILE_SETTING]: desired.mobileUseSso }, MANUAL.mobile);
      done(mobile);
    }
  } catch (e) {
    if (!(e instanceof CreatioFailure)) throw e;
    const applied = items.filter((i) => i.applied === true).map(label);
    const notApplied = items.filter((i) => i.applied === false).map(label);
    // What to do stays last, so that clipping a long message (§10) takes the lists, never the advice.
    const fix = e.fix !== undefined && e.finding.message.endsWith(e.fix) ? e.fix : '';
    const message =
      `${e.finding.message.slice(0, e.finding.message.length - fix.length).trimEnd()} Applied before it: ${applied.length ? applied.join(', ') : 'nothing'}.` +
      (notApplied.length ? ` Not applied: ${notApplied.join(', ')}.` : '') +
      (fix ? ` ${fix}` : '');
    return { ...result, ok: false, findings: [{ ...e.finding, message }] };
  }
  return result;
}

const label = (i: PlanItem): string => `${i.resource}.${i.field}`;

function fieldValue(field: (typeof PROVIDER_FIELDS)[number], value: string): ColumnValue {
  return field === 'SsoSettingsTemplate' ? { type: DataValueType.lookup, value } : { type: DataValueType.text, value };
}
