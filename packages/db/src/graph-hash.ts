import { createHash } from 'node:crypto';
import type { TBlueprintGraph } from './blueprint-graph';
import { canonicalGraph } from './graph-canonical';

/** A graph as it is stored: its canonical JSON (what is written and hashed), the sha-256 of that JSON, and its counts. */
export function storedGraph(graph: TBlueprintGraph): { json: string; hash: string; components: number; relations: number } {
  const canonical = canonicalGraph(graph);
  const json = JSON.stringify(canonical);
  return { json, hash: createHash('sha256').update(json).digest('hex'), components: canonical.components.length, relations: canonical.relations.length };
}

export function graphHash(graph: TBlueprintGraph): string {
  return storedGraph(graph).hash;
}
