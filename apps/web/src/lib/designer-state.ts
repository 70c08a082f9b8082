import type { TBlueprintGraph, TComponent, TRelation } from '@dharma/db/blueprint-graph';

/**
 * The designer's document: the graph being edited, with undo and redo. Pure functions over plain data, so every
 * edit (from the canvas, the palette, the property form or the keyboard) goes through one reducer and one history.
 */
export interface TDesignerState {
  graph: TBlueprintGraph;
  past: TBlueprintGraph[];
  future: TBlueprintGraph[];
}

export type TDesignerAction =
  | { type: 'add'; component: TComponent }
  | { type: 'update'; id: string; patch: Partial<TComponent> }
  | { type: 'move'; id: string; x: number; y: number }
  | { type: 'remove'; id: string }
  | { type: 'connect'; from: string; to: string; relation?: TRelation['type'] }
  | { type: 'relate'; index: number; relation: TRelation['type'] }
  | { type: 'unrelate'; index: number }
  | { type: 'undo' }
  | { type: 'redo' };

const HISTORY = 100;

function apply(graph: TBlueprintGraph, action: TDesignerAction): TBlueprintGraph {
  switch (action.type) {
    case 'add':
      return { ...graph, components: [...graph.components, action.component] };
    case 'update':
      return {
        components: graph.components.map((c) => (c.id === action.id ? { ...c, ...action.patch } : c)),
        // A renamed id takes its relations along.
        relations: action.patch.id && action.patch.id !== action.id ? graph.relations.map((r) => ({ ...r, from: r.from === action.id ? action.patch.id! : r.from, to: r.to === action.id ? action.patch.id! : r.to })) : graph.relations,
      };
    case 'move':
      return { ...graph, components: graph.components.map((c) => (c.id === action.id ? { ...c, position: { x: Math.round(action.x), y: Math.round(action.y) } } : c)) };
    case 'remove':
      return { components: graph.components.filter((c) => c.id !== action.id), relations: graph.relations.filter((r) => r.from !== action.id && r.to !== action.id) };
    case 'connect': {
      const type = action.relation ?? 'depends_on';
      if (action.from === action.to || graph.relations.some((r) => r.from === action.from && r.to === action.to && r.type === type)) return graph;
      return { ...graph, relations: [...graph.relations, { from: action.from, to: action.to, type, properties: {} }] };
    }
    case 'relate':
      return { ...graph, relations: graph.relations.map((r, i) => (i === action.index ? { ...r, type: action.relation } : r)) };
    case 'unrelate':
      return { ...graph, relations: graph.relations.filter((_, i) => i !== action.index) };
    default:
      return graph;
  }
}

export function designerReducer(state: TDesignerState, action: TDesignerAction): TDesignerState {
  if (action.type === 'undo') {
    const previous = state.past.at(-1);
    return previous ? { graph: previous, past: state.past.slice(0, -1), future: [state.graph, ...state.future] } : state;
  }
  if (action.type === 'redo') {
    const [next, ...rest] = state.future;
    return next ? { graph: next, past: [...state.past, state.graph].slice(-HISTORY), future: rest } : state;
  }
  const graph = apply(state.graph, action);
  if (graph === state.graph) return state;
  return { graph, past: [...state.past, state.graph].slice(-HISTORY), future: [] };
}

/** An id for a new component of a kind that no component of the graph has: `database`, `database-2`, ... */
export function freshId(graph: TBlueprintGraph, kind: string): string {
  const base = kind.replace(/_/g, '-');
  const taken = new Set(graph.components.map((c) => c.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
