import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { formToGraph, graphToForm, type TGraphForm } from './graph-form';

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

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * The graph in the order the services hash it (components by id, relations by from, to and type, keys sorted; see
 * packages/db graph-hash, which needs node:crypto and so cannot run here): two graphs with the same canonical JSON
 * get the same hash there, so a save of one over the other would change nothing.
 */
export function canonicalGraphJson(graph: TBlueprintGraph): string {
  const components = [...graph.components].sort(byKey((c) => c.id));
  const relations = [...graph.relations].sort(byKey((r) => `${r.from}\u0000${r.to}\u0000${r.type}`));
  return JSON.stringify(canonicalValue({ components, relations }));
}

/**
 * The loaded graph as the form would send it back untouched: read through the same text form and schema, so defaults
 * the schema fills in (empty properties, trimmed names) never count as an edit.
 */
export function loadedGraphJson(graph: TBlueprintGraph): string {
  return canonicalGraphJson(formToGraph(graphToForm(graph)).graph ?? graph);
}

/**
 * True when the form's graph would save as the same design as `loadedJson`. A form that does not parse (half-typed
 * JSON, a missing id) counts as changed, so Save stays available and reports what to fix.
 */
export function formMatchesGraph(form: TGraphForm, loadedJson: string): boolean {
  const { graph } = formToGraph(form);
  return graph !== null && canonicalGraphJson(graph) === loadedJson;
}
