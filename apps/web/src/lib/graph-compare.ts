import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { canonicalJson } from '@dharma/db/graph-canonical';
import { formToGraph, graphToForm, type TGraphForm } from './graph-form';

// Graphs are compared in the canonical form the services hash (`canonicalJson`): two graphs with the same canonical
// JSON get the same hash there, so a save of one over the other would change nothing.

/**
 * The loaded graph as the form would send it back untouched: read through the same text form and schema, so defaults
 * the schema fills in (empty properties, trimmed names) never count as an edit.
 */
export function loadedGraphJson(graph: TBlueprintGraph): string {
  return canonicalJson(formToGraph(graphToForm(graph)).graph ?? graph);
}

/**
 * True when the form's graph would save as the same design as `loadedJson`. A form that does not parse (half-typed
 * JSON, a missing id) counts as changed, so Save stays available and reports what to fix.
 */
export function formMatchesGraph(form: TGraphForm, loadedJson: string): boolean {
  const { graph } = formToGraph(form);
  return graph !== null && canonicalJson(graph) === loadedJson;
}
