import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { diffGraphs } from './diff';

const g = (input: TBlueprintGraphInput) => ZBlueprintGraph.parse(input);
const vm = (id: string, properties: Record<string, unknown> = {}, tags: Record<string, string> = {}) =>
  ({ id, kind: 'vm' as const, name: `vm-${id}`, cloud: 'aws' as const, region: 'eu-west-1', properties, tags });

describe('diffGraphs', () => {
  it('reports nothing for identical graphs, even when listed in another order', () => {
    const a = g({ components: [vm('a'), vm('b')], relations: [{ from: 'a', to: 'b', type: 'depends_on' }] });
    const b = g({ components: [vm('b'), vm('a')], relations: [{ from: 'a', to: 'b', type: 'depends_on' }] });
    const d = diffGraphs(a, b);
    expect(d.identical).toBe(true);
    expect(d.components.unchanged).toBe(2);
  });

  it('finds added, removed and changed components with property paths', () => {
    const a = g({ components: [vm('web', { size: 'm5.large', disk: { gb: 50 } }, { Owner: 'a' }), vm('old')] });
    const b = g({ components: [vm('web', { size: 'm6i.large', disk: { gb: 50, iops: 3000 } }, { Owner: 'b' }), vm('new')] });
    const d = diffGraphs(a, b);
    expect(d.components.added.map((c) => c.id)).toEqual(['new']);
    expect(d.components.removed.map((c) => c.id)).toEqual(['old']);
    expect(d.components.changed).toEqual([
      {
        id: 'web',
        kind: 'vm',
        name: 'vm-web',
        changes: [
          { path: 'properties.disk.iops', before: null, after: 3000 },
          { path: 'properties.size', before: 'm5.large', after: 'm6i.large' },
          { path: 'tags.Owner', before: 'a', after: 'b' },
        ],
      },
    ]);
    expect(d.identical).toBe(false);
  });

  it('ignores canvas position but not region', () => {
    const a = g({ components: [{ ...vm('a'), position: { x: 1, y: 1 } }] });
    const b = g({ components: [{ ...vm('a'), position: { x: 9, y: 9 } }] });
    expect(diffGraphs(a, b).identical).toBe(true);
    const c = g({ components: [{ ...vm('a'), region: 'us-east-1' }] });
    expect(diffGraphs(a, c).components.changed[0]?.changes).toEqual([{ path: 'region', before: 'eu-west-1', after: 'us-east-1' }]);
  });

  it('diffs relations by endpoints and type, and their properties', () => {
    const a = g({ components: [vm('a'), vm('b'), vm('c')], relations: [{ from: 'a', to: 'b', type: 'connects_to', properties: { port: 80 } }, { from: 'b', to: 'c', type: 'depends_on' }] });
    const b = g({ components: [vm('a'), vm('b'), vm('c')], relations: [{ from: 'a', to: 'b', type: 'connects_to', properties: { port: 443 } }, { from: 'a', to: 'c', type: 'depends_on' }] });
    const d = diffGraphs(a, b);
    expect(d.relations.added).toEqual([{ from: 'a', to: 'c', type: 'depends_on', properties: {} }]);
    expect(d.relations.removed).toEqual([{ from: 'b', to: 'c', type: 'depends_on', properties: {} }]);
    expect(d.relations.changed).toEqual([{ from: 'a', to: 'b', type: 'connects_to', changes: [{ path: 'properties.port', before: 80, after: 443 }] }]);
  });
});
