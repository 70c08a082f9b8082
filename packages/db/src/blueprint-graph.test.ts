import { describe, expect, it } from 'vitest';
import { findCycle, MAX_COMPONENTS, ZBlueprintGraph } from './blueprint-graph';
import { canonicalJson } from './graph-canonical';
import { graphHash } from './graph-hash';

const comp = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'vm', name: `vm ${id}`, cloud: 'aws', region: 'eu-west-1', ...extra });
const issues = (input: unknown) => {
  const r = ZBlueprintGraph.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('ZBlueprintGraph', () => {
  it('accepts a valid graph and fills defaults', () => {
    const g = ZBlueprintGraph.parse({ components: [comp('a'), comp('b')], relations: [{ from: 'a', to: 'b', type: 'depends_on' }] });
    expect(g.components[0]?.properties).toEqual({});
    expect(g.relations[0]?.properties).toEqual({});
  });
  it('names the field of a dangling relation', () => {
    expect(issues({ components: [comp('a')], relations: [{ from: 'a', to: 'ghost', type: 'connects_to' }] })).toEqual(['relations.0.to: refers to unknown component "ghost"']);
  });
  it('rejects depends_on cycles and names the cycle', () => {
    const out = issues({
      components: [comp('a'), comp('b'), comp('c')],
      relations: [{ from: 'a', to: 'b', type: 'depends_on' }, { from: 'b', to: 'c', type: 'depends_on' }, { from: 'c', to: 'a', type: 'depends_on' }],
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^relations\.\d: depends_on cycle: /);
  });
  it('allows a cycle made of connects_to relations (traffic goes both ways)', () => {
    expect(issues({ components: [comp('a'), comp('b')], relations: [{ from: 'a', to: 'b', type: 'connects_to' }, { from: 'b', to: 'a', type: 'connects_to' }] })).toEqual([]);
  });
  it('rejects duplicate ids, unknown kinds, self-loops and bad ids with their paths', () => {
    expect(issues({ components: [comp('a'), comp('a')] })).toEqual(['components.1.id: duplicate component id "a"']);
    expect(issues({ components: [comp('a', { kind: 'mainframe' })] })[0]).toMatch(/^components\.0\.kind: must be one of: vpc/);
    expect(issues({ components: [comp('a')], relations: [{ from: 'a', to: 'a', type: 'contains' }] })).toEqual(['relations.0.to: a component cannot relate to itself']);
    expect(issues({ components: [comp('Bad Id')] })[0]).toMatch(/^components\.0\.id: must be lowercase/);
  });
  it('rejects an oversized graph', () => {
    const many = Array.from({ length: MAX_COMPONENTS + 1 }, (_, i) => comp(`c${i}`));
    expect(issues({ components: many })).toEqual([`components: must have at most ${MAX_COMPONENTS} components`]);
  });
  it('rejects wrong types with the path', () => {
    expect(issues({ components: 'nope' })[0]).toMatch(/^components: /);
    expect(issues({ components: [comp('a', { position: { x: 'left', y: 0 } })] })[0]).toMatch(/^components\.0\.position\.x: /);
  });
});

describe('findCycle', () => {
  it('finds a long cycle without recursion limits', () => {
    const edges = Array.from({ length: 20000 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
    expect(findCycle(edges)).toBeNull();
    edges.push({ from: 'n20000', to: 'n0' });
    expect(findCycle(edges)?.length).toBe(20002);
  });
});

describe('graph hash', () => {
  it('ignores the order of components, relations and object keys', () => {
    const a = ZBlueprintGraph.parse({ components: [comp('a', { properties: { x: 1, y: 2 } }), comp('b')], relations: [{ from: 'a', to: 'b', type: 'depends_on' }] });
    const b = ZBlueprintGraph.parse({ components: [comp('b'), comp('a', { properties: { y: 2, x: 1 } })], relations: [{ type: 'depends_on', to: 'b', from: 'a' }] });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(graphHash(a)).toBe(graphHash(b));
    expect(graphHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('changes when a property value changes', () => {
    const a = ZBlueprintGraph.parse({ components: [comp('a', { properties: { size: 1 } })] });
    const b = ZBlueprintGraph.parse({ components: [comp('a', { properties: { size: 2 } })] });
    expect(graphHash(a)).not.toBe(graphHash(b));
  });
});
