import { describe, expect, it } from 'vitest';
import type { TBlueprintGraph, TComponent } from '@dharma/db/blueprint-graph';
import { designerReducer, freshId, type TDesignerState } from './designer-state';

const comp = (id: string): TComponent => ({ id, kind: 'vm', name: `dev-app-${id}`, cloud: 'aws', region: 'eu-west-1', properties: {}, tags: {} });
const start = (graph: TBlueprintGraph = { components: [comp('a'), comp('b')], relations: [] }): TDesignerState => ({ graph, past: [], future: [] });

describe('designer state', () => {
  it('adds, connects, renames (relations follow), moves and removes, each undoable and redoable', () => {
    let s = start();
    s = designerReducer(s, { type: 'add', component: comp('c') });
    s = designerReducer(s, { type: 'connect', from: 'c', to: 'a' });
    s = designerReducer(s, { type: 'update', id: 'c', patch: { id: 'web' } });
    expect(s.graph.relations).toEqual([{ from: 'web', to: 'a', type: 'depends_on', properties: {} }]);
    s = designerReducer(s, { type: 'move', id: 'web', x: 10.4, y: 20.6 });
    expect(s.graph.components.find((c) => c.id === 'web')!.position).toEqual({ x: 10, y: 21 });
    s = designerReducer(s, { type: 'remove', id: 'a' });
    expect(s.graph.relations).toEqual([]);
    s = designerReducer(s, { type: 'undo' });
    expect(s.graph.components.map((c) => c.id)).toEqual(['a', 'b', 'web']);
    s = designerReducer(s, { type: 'redo' });
    expect(s.graph.components.map((c) => c.id)).toEqual(['b', 'web']);
    for (let i = 0; i < 10; i++) s = designerReducer(s, { type: 'undo' });
    expect(s.graph).toEqual(start().graph);
  });

  it('ignores edits that change nothing: no self-relation, no duplicate, no history entry', () => {
    const s = start();
    expect(designerReducer(s, { type: 'connect', from: 'a', to: 'a' })).toBe(s);
    const once = designerReducer(s, { type: 'connect', from: 'a', to: 'b' });
    expect(designerReducer(once, { type: 'connect', from: 'a', to: 'b' })).toBe(once);
    expect(freshId(s.graph, 'vm')).toBe('vm');
    expect(freshId({ components: [comp('object-storage')], relations: [] }, 'object_storage')).toBe('object-storage-2');
  });
});
