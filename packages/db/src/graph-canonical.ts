// The canonical form of a graph, with no Node built-ins, so the console compares designs exactly as the services hash
// them (graph-hash.ts adds the sha-256, which needs node:crypto).
import type { TBlueprintGraph, TRelation } from './blueprint-graph';

function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalValue(v);
    }
    return out;
  }
  return value;
}

/**
 * The canonical form: components ordered by id, relations by (from, to, type), object keys sorted. The order in
 * which a client lists things is not part of the design, so it does not change the hash.
 */
export function canonicalGraph(graph: TBlueprintGraph): TBlueprintGraph {
  const components = [...graph.components].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const relKey = (r: TRelation) => `${r.from}\u0000${r.to}\u0000${r.type}`;
  const relations = [...graph.relations].sort((a, b) => (relKey(a) < relKey(b) ? -1 : relKey(a) > relKey(b) ? 1 : 0));
  return canonicalValue({ components, relations }) as TBlueprintGraph;
}

export function canonicalJson(graph: TBlueprintGraph): string {
  return JSON.stringify(canonicalGraph(graph));
}
