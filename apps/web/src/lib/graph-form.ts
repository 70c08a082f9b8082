import { ZBlueprintGraph, type TBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import type { TFieldIssue } from './errors';

/**
 * The graph editor edits text (ids, names, JSON boxes), not the graph itself: a half-typed JSON object must be
 * representable. `formToGraph` turns the text back into a graph and reports what does not parse, with the same
 * field keys the services use (`graph.components[2].properties`), so local and server errors land in one place.
 */
export interface TComponentRow {
  key: string;
  id: string;
  kind: string;
  name: string;
  cloud: string;
  region: string;
  properties: string;
  tags: string;
  /** Canvas layout is not edited here, but it is kept so a save does not drop it. */
  position?: { x: number; y: number };
}

export interface TRelationRow {
  key: string;
  from: string;
  to: string;
  type: string;
  properties: string;
}

export interface TGraphForm {
  components: TComponentRow[];
  relations: TRelationRow[];
}

/**
 * Row keys end up in the markup (React keys, input ids), so a row rendered on the server must get the same key when
 * the browser hydrates it: rows read from a graph take keys derived from the graph; only rows added in the browser
 * take a counter value, and those are never rendered on the server.
 */
let added = 0;
export const addedRowKey = () => `new-${++added}`;
const componentKey = (id: string) => `c:${id}`;
const relationKey = (i: number, r: { from: string; to: string; type: string }) => `r${i}:${r.from}>${r.to}:${r.type}`;

const pretty = (v: unknown) => JSON.stringify(v ?? {}, null, 2);
const compact = (v: Record<string, unknown> | undefined) => (v && Object.keys(v).length > 0 ? JSON.stringify(v) : '{}');

export function graphToForm(graph: TBlueprintGraph | TBlueprintGraphInput): TGraphForm {
  return {
    components: graph.components.map((c) => ({
      key: componentKey(c.id),
      id: c.id,
      kind: c.kind,
      name: c.name,
      cloud: c.cloud,
      region: c.region,
      properties: pretty(c.properties),
      tags: pretty(c.tags),
      ...(c.position ? { position: c.position } : {}),
    })),
    relations: (graph.relations ?? []).map((r, i) => ({ key: relationKey(i, r), from: r.from, to: r.to, type: r.type, properties: compact(r.properties) })),
  };
}

export const emptyGraphForm = (): TGraphForm => ({ components: [], relations: [] });

export function newComponentRow(defaults: { cloud: string; region?: string; kind?: string }): TComponentRow {
  return { key: addedRowKey(), id: '', kind: defaults.kind ?? 'vm', name: '', cloud: defaults.cloud, region: defaults.region ?? '', properties: '{}', tags: '{}' };
}

export function newRelationRow(from = '', to = ''): TRelationRow {
  return { key: addedRowKey(), from, to, type: 'depends_on', properties: '{}' };
}

/** `['graph', 'relations', 2, 'to']` → `graph.relations[2].to`: the services' format for issue fields. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

function parseObject(text: string, field: string, issues: TFieldIssue[]): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    issues.push({ field, message: 'must be a JSON object, for example {"key": "value"}' });
  } catch (error) {
    issues.push({ field, message: `invalid JSON: ${(error as Error).message}` });
  }
  return {};
}

/** Parses the JSON boxes, then validates the whole graph with the schema the services use. */
export function formToGraph(form: TGraphForm): { graph: TBlueprintGraph | null; issues: TFieldIssue[] } {
  const issues: TFieldIssue[] = [];
  const candidate: TBlueprintGraphInput = {
    components: form.components.map((c, i) => ({
      id: c.id.trim(),
      kind: c.kind as TBlueprintGraphInput['components'][number]['kind'],
      name: c.name,
      cloud: c.cloud as TBlueprintGraphInput['components'][number]['cloud'],
      region: c.region,
      properties: parseObject(c.properties, `graph.components[${i}].properties`, issues),
      tags: parseObject(c.tags, `graph.components[${i}].tags`, issues) as Record<string, string>,
      ...(c.position ? { position: c.position } : {}),
    })),
    relations: form.relations.map((r, i) => ({
      from: r.from,
      to: r.to,
      type: r.type as 'depends_on',
      properties: parseObject(r.properties, `graph.relations[${i}].properties`, issues),
    })),
  };
  const parsed = ZBlueprintGraph.safeParse(candidate);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ field: fieldPath(['graph', ...i.path]) || 'graph', message: i.message });
  }
  return { graph: parsed.success && issues.length === 0 ? parsed.data : null, issues };
}

/** Issues for one input: its own key, or anything nested under it (`…properties.size` shows on the properties box). */
export function issuesAt(issues: readonly TFieldIssue[], key: string, nested = true): string[] {
  return issues
    .filter((i) => i.field === key || (nested && (i.field.startsWith(`${key}.`) || i.field.startsWith(`${key}[`))))
    .map((i) => (i.field === key ? i.message : `${i.field.slice(key.length).replace(/^\./, '')}: ${i.message}`));
}

/** When a component id is renamed, relations that pointed at the old id follow it (unless it was ambiguous). */
export function renameComponent(form: TGraphForm, index: number, id: string): TGraphForm {
  const old = form.components[index]?.id ?? '';
  const components = form.components.map((c, i) => (i === index ? { ...c, id } : c));
  const unique = old !== '' && form.components.filter((c) => c.id === old).length === 1;
  const relations = unique
    ? form.relations.map((r) => ({ ...r, from: r.from === old ? id : r.from, to: r.to === old ? id : r.to }))
    : form.relations;
  return { components, relations };
}
