import type { TBlueprintGraph, TComponent, TRelation } from '@dharma/db/blueprint-graph';

export interface TPropertyChange {
  /** `properties.instanceType`, `tags.Owner`, `region`… */
  path: string;
  before: unknown;
  after: unknown;
}

export interface TComponentChange {
  id: string;
  kind: string;
  name: string;
  changes: TPropertyChange[];
}

export interface TGraphDiff {
  components: { added: TComponent[]; removed: TComponent[]; changed: TComponentChange[]; unchanged: number };
  relations: { added: TRelation[]; removed: TRelation[]; changed: { from: string; to: string; type: string; changes: TPropertyChange[] }[] };
  identical: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf-level differences between two JSON values; arrays compare as whole values (their order is meaningful). */
function diffValues(before: unknown, after: unknown, path: string, out: TPropertyChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      diffValues(before[key], after[key], path ? `${path}.${key}` : key, out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before: before ?? null, after: after ?? null });
}

/** Canvas position is layout, not infrastructure: it is left out of the diff. */
function componentChanges(a: TComponent, b: TComponent): TPropertyChange[] {
  const out: TPropertyChange[] = [];
  for (const field of ['kind', 'name', 'cloud', 'region'] as const) diffValues(a[field], b[field], field, out);
  diffValues(a.properties, b.properties, 'properties', out);
  diffValues(a.tags, b.tags, 'tags', out);
  return out;
}

const relationKey = (r: TRelation) => `${r.from}\u0000${r.to}\u0000${r.type}`;

/** What changed from `before` to `after`: components matched by id, relations by (from, to, type). */
export function diffGraphs(before: TBlueprintGraph, after: TBlueprintGraph): TGraphDiff {
  const oldComponents = new Map(before.components.map((c) => [c.id, c]));
  const newComponents = new Map(after.components.map((c) => [c.id, c]));
  const added = after.components.filter((c) => !oldComponents.has(c.id));
  const removed = before.components.filter((c) => !newComponents.has(c.id));
  const changed: TComponentChange[] = [];
  let unchanged = 0;
  for (const c of after.components) {
    const old = oldComponents.get(c.id);
    if (!old) continue;
    const changes = componentChanges(old, c);
    if (changes.length > 0) changed.push({ id: c.id, kind: c.kind, name: c.name, changes });
    else unchanged += 1;
  }

  const oldRelations = new Map(before.relations.map((r) => [relationKey(r), r]));
  const newRelations = new Map(after.relations.map((r) => [relationKey(r), r]));
  const relChanged: TGraphDiff['relations']['changed'] = [];
  for (const [key, r] of newRelations) {
    const old = oldRelations.get(key);
    if (!old) continue;
    const changes: TPropertyChange[] = [];
    diffValues(old.properties, r.properties, 'properties', changes);
    if (changes.length > 0) relChanged.push({ from: r.from, to: r.to, type: r.type, changes });
  }
  const relations = {
    added: after.relations.filter((r) => !oldRelations.has(relationKey(r))),
    removed: before.relations.filter((r) => !newRelations.has(relationKey(r))),
    changed: relChanged,
  };
  const identical = added.length + removed.length + changed.length + relations.added.length + relations.removed.length + relChanged.length === 0;
  return { components: { added, removed, changed, unchanged }, relations, identical };
}
