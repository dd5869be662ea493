/**
 * The plan as a reader sees it (§9, §13), pure: the halves' field-by-field items grouped into
 * **resources** (which app client, which domain, which provider), each with one action, and the
 * summary that counts resources, not fields.
 */
import { RESOURCE, type PlanItem } from '../cognito/plan.js';
import { FEATURE_RESOURCE, JIT_RESOURCE, PROVIDER_RESOURCE, SYS_SETTINGS_RESOURCE } from '../creatio/provider.js';

export type ResourceType =
  'cognito-app-client' | 'cognito-domain' | 'cognito-branding' | 'creatio-provider' | 'creatio-feature' | 'creatio-setting';

/** §9's R. */
export interface PlanResource {
  resource: { type: ResourceType; id: string };
  action: 'create' | 'update' | 'none' | 'manual';
  fields: Omit<PlanItem, 'resource'>[];
}

/** §9's summary: resources to create, to update, unchanged; manual steps (which are never pending). */
export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  manual: number;
}

/** Which one each resource is: the names the halves know (client ID, domain, provider code). */
export interface ResourceIds {
  clientId?: string | undefined;
  providerCode?: string | undefined;
}

const TYPE_OF: Record<string, ResourceType> = {
  [RESOURCE.client]: 'cognito-app-client',
  [RESOURCE.domain]: 'cognito-domain',
  [RESOURCE.branding]: 'cognito-branding',
  [PROVIDER_RESOURCE]: 'creatio-provider',
  // The JIT switches live on the provider's settings page: one resource with it.
  [JIT_RESOURCE]: 'creatio-provider',
  [FEATURE_RESOURCE]: 'creatio-feature',
  [SYS_SETTINGS_RESOURCE]: 'creatio-setting',
};

/** The field whose `add` means the resource itself is created. */
const IDENTITY_FIELD: Partial<Record<ResourceType, string>> = {
  'cognito-app-client': 'ClientName',
  'cognito-domain': 'Domain',
  'cognito-branding': 'UseCognitoProvidedValues',
  'creatio-provider': 'Code',
};

export const isPending = (i: { action: string }): boolean => i.action === 'add' || i.action === 'change';

function idOf(type: ResourceType, item: PlanItem, ids: ResourceIds): string {
  switch (type) {
    case 'cognito-app-client':
    case 'cognito-branding':
      return ids.clientId ?? '(new)';
    case 'cognito-domain':
      return String(item.to ?? '');
    case 'creatio-provider':
      return ids.providerCode ?? '(new)';
    case 'creatio-feature':
    case 'creatio-setting':
      return item.field;
  }
}

/** The items grouped by resource, in the order they first appear (apply's order). */
export function resourcesOf(items: readonly PlanItem[], ids: ResourceIds): PlanResource[] {
  const out: PlanResource[] = [];
  for (const item of items) {
    const type = TYPE_OF[item.resource] ?? 'creatio-setting';
    const id = idOf(type, item, ids);
    let r = out.find((x) => x.resource.type === type && x.resource.id === id);
    if (!r) {
      r = { resource: { type, id }, action: 'none', fields: [] };
      out.push(r);
    }
    const { resource: _resource, ...field } = item;
    r.fields.push(field);
  }
  for (const r of out) r.action = actionOf(r);
  return out;
}

function actionOf(r: PlanResource): PlanResource['action'] {
  const identity = IDENTITY_FIELD[r.resource.type];
  if (r.fields.some((f) => f.action === 'add' && f.field === identity)) return 'create';
  if (r.fields.some(isPending)) return 'update';
  if (r.fields.length > 0 && r.fields.every((f) => f.action === 'manual')) return 'manual';
  return 'none';
}

export function summaryOf(resources: readonly PlanResource[]): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, unchanged: 0, manual: 0 };
  for (const r of resources) {
    if (r.action === 'create') s.create++;
    else if (r.action === 'update') s.update++;
    else if (r.action === 'none') s.unchanged++;
    s.manual += r.fields.filter((f) => f.action === 'manual').length;
  }
  return s;
}

export const addSummaries = (a: PlanSummary, b: PlanSummary): PlanSummary => ({
  create: a.create + b.create,
  update: a.update + b.update,
  unchanged: a.unchanged + b.unchanged,
  manual: a.manual + b.manual,
});

/** Resources that would change (create or update): what `apply` asks about and counts. */
export const pendingResources = (s: PlanSummary): number => s.create + s.update;

/** What a resource is and which one (§13's headings). */
export function headingOf(r: PlanResource, where: { userPoolId: string; creatioUrl: string }): string {
  const { id } = r.resource;
  switch (r.resource.type) {
    case 'cognito-app-client':
      return `Cognito app client ${id} (pool ${where.userPoolId})`;
    case 'cognito-domain':
      return `Cognito domain ${id}`;
    case 'cognito-branding':
      return `Cognito managed-login branding (client ${id})`;
    case 'creatio-provider':
      return `Creatio provider ${id} (${where.creatioUrl})`;
    case 'creatio-feature':
      return `Creatio feature ${id}`;
    case 'creatio-setting':
      return `Creatio setting ${id}`;
  }
}

/** The mark after a heading. */
export const ACTION_MARK: Record<PlanResource['action'], string> = {
  create: '+ create',
  update: '~ update in place',
  none: '= no changes',
  manual: '! manual step',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `Plan: 1 to create, 2 to update, 3 unchanged; 1 manual step.` (without the manual part when there is none). */
export function countsLine(s: PlanSummary): string {
  const manual = s.manual ? `; ${plural(s.manual, 'manual step')}` : '';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged${manual}.`;
}

/** Where the values of a plan line that does not fit continue: under the field name, past the mark. */
export const PLAN_VALUE_INDENT = '      ';

/**
 * A plan line as rows for a terminal `columns` wide (§13, §10). A line that fits is itself. Otherwise the
 * field stands alone (`  ~ Name`) and its values follow, one per row, each whole: a list element, the old
 * value after `- ` and the new after `+ `. A value is never broken at its own spaces; one longer than a row
 * stands on a row of its own. A manual step's text is the tool's own: it is wrapped by `wrap`.
 */
export function planRows(
  line: string,
  item: Pick<PlanItem, 'action' | 'field' | 'from' | 'to' | 'how'>,
  columns: number,
  wrap: (text: string, width: number) => string,
): string[] {
  if (line.length <= columns) return [line];
  const head = line.slice(0, 4) + item.field;
  const values = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
  const under = (prefix: string, v: unknown) => values(v).map((x) => `${PLAN_VALUE_INDENT}${prefix}${x}`);
  // The tool's own words (a hint, a manual step's UI path): wrapped, a quoted value inside kept whole.
  const prose = (text: string) =>
    wrap(text, Math.max(20, columns - PLAN_VALUE_INDENT.length))
      .split('\n')
      .map((r) => PLAN_VALUE_INDENT + r);
  switch (item.action) {
    case 'add':
      return [head, ...under('', item.to)];
    case 'same':
      return [head, ...under('', item.to), ...(item.how ? prose(`(${item.how})`) : [])];
    case 'change':
      return [head, ...under('- ', item.from), ...under('+ ', item.to)];
    case 'manual':
      return [head, ...prose(item.how ?? '')];
  }
}
