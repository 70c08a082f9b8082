import { describe, expect, it } from 'vitest';
import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { formMatchesGraph, loadedGraphJson } from './graph-compare';
import { graphToForm } from './graph-form';

const graph: TBlueprintGraph = {
  components: [
    { id: 'web', kind: 'vm', name: 'web', cloud: 'aws', region: 'eu-west-1', properties: { size: 'm', n: 2 }, tags: {} },
    { id: 'db', kind: 'database', name: 'db', cloud: 'aws', region: 'eu-west-1', properties: {}, tags: {} },
  ],
  relations: [{ from: 'web', to: 'db', type: 'connects_to', properties: {} }],
};

describe('formMatchesGraph', () => {
  const loaded = loadedGraphJson(graph);

  it('sees an untouched form, reordered rows and reformatted JSON as the same design', () => {
    const form = graphToForm(graph);
    expect(formMatchesGraph(form, loaded)).toBe(true);
    form.components.reverse();
    form.components[1]!.properties = '{"n":2,   "size":"m"}';
    expect(formMatchesGraph(form, loaded)).toBe(true);
  });

  it('sees a changed value, or a form that does not parse, as a change', () => {
    const changed = graphToForm(graph);
    changed.components[0]!.name = 'web-2';
    expect(formMatchesGraph(changed, loaded)).toBe(false);
    const broken = graphToForm(graph);
    broken.components[0]!.properties = '{"size": ';
    expect(formMatchesGraph(broken, loaded)).toBe(false);
  });

  it('gives rows read from a graph keys derived from it, the same on every call (server and browser agree)', () => {
    expect(graphToForm(graph).components.map((c) => c.key)).toEqual(graphToForm(graph).components.map((c) => c.key));
    expect(graphToForm(graph).relations.map((r) => r.key)).toEqual(graphToForm(graph).relations.map((r) => r.key));
  });
});
