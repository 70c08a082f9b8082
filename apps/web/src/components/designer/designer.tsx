'use client';
import '@xyflow/react/dist/style.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Background, Controls, Handle, MiniMap, Position, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { useRouter } from 'next/navigation';
import { memo, useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { CATALOG, catalogEntry, REGIONS, resolveEntry } from '@dharma/catalog/catalog';
import { validateGraph, type TFinding } from '@dharma/catalog/validate';
import { estimate } from '@dharma/costing/estimate';
import { tenantPricing } from '@dharma/costing/price-book';
import { evaluate } from '@dharma/guardrails/evaluate';
import type { TPolicy } from '@dharma/guardrails/policy';
import { RELATION_TYPES, ZBlueprintGraph, type TBlueprintGraph, type TComponent } from '@dharma/db/blueprint-graph';
import type { TBlueprintDetail } from '../../lib/api-types';
import { designerReducer, freshId } from '../../lib/designer-state';
import { useTRPC } from '../../lib/trpc/client';
import { MutationError } from '../ui/states';
import { PropertyForm } from './property-form';
import { formatUsd } from '../../lib/format';

type TBadges = { errors: number; warnings: number; guardrails: number; monthly: number | null };
type TNodeData = { component: TComponent; label: string; badges: TBadges };

/** A component on the canvas: its kind, name and the live badges (validation, guardrails, cost). */
const ComponentNode = memo(function ComponentNode({ data, selected }: NodeProps<Node<TNodeData>>) {
  const { component: c, label, badges } = data;
  return (
    <div className={`designer-node${selected ? ' selected' : ''}`} data-testid={`node-${c.id}`}>
      <Handle type="target" position={Position.Top} />
      <div className="designer-node-kind">{label}</div>
      <div className="designer-node-name">{c.name}</div>
      <div className="designer-node-badges">
        {badges.errors > 0 && <span className="badge badge-bad" data-testid="node-errors">{badges.errors} error{badges.errors === 1 ? '' : 's'}</span>}
        {badges.warnings > 0 && <span className="badge badge-review">{badges.warnings} warning{badges.warnings === 1 ? '' : 's'}</span>}
        {badges.guardrails > 0 && <span className="badge badge-bad" data-testid="node-guardrails">{badges.guardrails} guardrail</span>}
        {badges.monthly !== null && <span className="badge badge-draft" data-testid="node-cost">{formatUsd(badges.monthly, { whole: true })}/mo</span>}
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
const NODE_TYPES = { component: ComponentNode };

/**
 * The visual designer: a searchable catalog to drag (or click) components from, a canvas to place and connect them,
 * a form generated from the selected component's catalog entry, and badges that follow every edit: validation
 * against the catalog, the tenant's guardrails (CEL, evaluated here with the same engine as the services) and the
 * cost estimate with the tenant's prices. Undo and redo (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y), Delete removes the
 * selection. Saving makes a new version; the services validate it again.
 */
export function Designer({ blueprint }: { blueprint: TBlueprintDetail }) {
  return (
    <ReactFlowProvider>
      <DesignerCanvas blueprint={blueprint} />
    </ReactFlowProvider>
  );
}

function DesignerCanvas({ blueprint }: { blueprint: TBlueprintDetail }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const flow = useReactFlow();
  const [state, dispatch] = useReducer(designerReducer, { graph: blueprint.graph, past: [], future: [] });
  const [selected, setSelected] = useState<{ node?: string; edge?: number } | null>(null);
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState('');
  const library = useQuery(trpc.guardrails.policies.queryOptions(undefined, { retry: false }));
  const pricing = useQuery(trpc.costing.pricing.queryOptions(undefined, { retry: false }));
  const burn = useQuery(trpc.costing.budgetOf.queryOptions({ id: blueprint.id, number: blueprint.currentVersion }, { retry: false }));
  const saved = useQuery(trpc.costing.estimate.queryOptions({ id: blueprint.id, number: blueprint.currentVersion }, { retry: false }));
  const savedMonthly = saved.data?.monthly ?? 0;
  const save = useMutation(trpc.blueprints.saveVersion.mutationOptions({
    onSuccess: async (out) => {
      await qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() });
      router.push(`/blueprints/${blueprint.id}?tab=versions&saved=${out.version}`);
    },
  }));
  const graph = state.graph;
  const cloud = blueprint.cloud === 'multi' ? null : blueprint.cloud;

  // Live checks, from the engines the services run.
  const live = useMemo(() => {
    const parsed = ZBlueprintGraph.safeParse(graph);
    const validation = validateGraph(graph);
    const policies = (library.data ?? []) as unknown as TPolicy[];
    const { books, discounts } = tenantPricing(pricing.data ?? { prices: [], discounts: [] });
    const cost = estimate(graph, books, discounts);
    // The project's budget as the services last saw it: its total with the saved version, moved by this design's change.
    const budget = burn.data && saved.data ? { amount: burn.data.amount, projected: burn.data.projected - savedMonthly + cost.monthly } : undefined;
    const facts = { components: Object.fromEntries(cost.components.map((c) => [c.componentId, c.monthly])), monthly: cost.monthly, byCategory: cost.byCategory, ...(budget ? { budget } : {}) };
    const guardrails = policies.length ? evaluate(graph, policies.map((p) => ({ ...p, when: p.when ?? undefined })), [], new Date(), { name: blueprint.name, cost: facts }) : null;
    return { parsed, validation, guardrails, cost };
  }, [graph, library.data, pricing.data, burn.data, saved.data, savedMonthly, blueprint.name]);

  const badgesOf = useCallback(
    (id: string): TBadges => {
      const mine = (f: TFinding) => f.componentId === id;
      const c = live.cost.components.find((x) => x.componentId === id);
      return {
        errors: live.validation.findings.filter((f) => mine(f) && f.severity === 'error').length,
        warnings: live.validation.findings.filter((f) => mine(f) && f.severity === 'warning').length,
        guardrails: live.guardrails?.findings.filter((f) => f.componentId === id && !f.exemptedBy && f.enforcement !== 'advisory').length ?? 0,
        monthly: c && (c.status === 'priced' || c.status === 'partial') ? c.monthly : null,
      };
    },
    [live],
  );

  const nodes: Node<TNodeData>[] = useMemo(
    () => graph.components.map((c, i) => ({ id: c.id, type: 'component', position: c.position ?? { x: 60 + (i % 5) * 220, y: 60 + Math.floor(i / 5) * 140 }, data: { component: c, label: catalogEntry(c.kind, c.cloud)?.label ?? c.kind, badges: badgesOf(c.id) }, selected: selected?.node === c.id })),
    [graph.components, badgesOf, selected],
  );
  const edges: Edge[] = useMemo(
    () => graph.relations.map((r, i) => ({ id: `e${i}`, source: r.from, target: r.to, label: r.type.replace('_', ' '), animated: r.type === 'connects_to', selected: selected?.edge === i, data: { index: i } })),
    [graph.relations, selected],
  );

  const addComponent = useCallback(
    (kind: TComponent['kind'], cloudOf: TComponent['cloud'], position?: { x: number; y: number }) => {
      const id = freshId(graph, kind);
      const region = graph.components.find((c) => c.cloud === cloudOf)?.region ?? REGIONS[cloudOf][0]!;
      const tags = graph.components[0]?.tags ?? {};
      dispatch({ type: 'add', component: { id, kind, name: `dev-app-${id}`, cloud: cloudOf, region, properties: {}, tags, position: position ?? { x: 80 + graph.components.length * 30, y: 80 + graph.components.length * 30 } } });
      setSelected({ node: id });
    },
    [graph],
  );

  const removeSelection = useCallback(() => {
    if (selected?.node) dispatch({ type: 'remove', id: selected.node });
    else if (selected?.edge !== undefined) dispatch({ type: 'unrelate', index: selected.edge });
    setSelected(null);
  }, [selected]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.closest('input, textarea, select') !== null);
      if (typing) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        dispatch({ type: e.shiftKey ? 'redo' : 'undo' });
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        dispatch({ type: 'redo' });
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        removeSelection();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [removeSelection]);

  const palette = CATALOG.filter((e) => (cloud === null || e.cloud === cloud) && `${e.label} ${e.kind} ${e.service}`.toLowerCase().includes(search.toLowerCase()));
  const node = graph.components.find((c) => c.id === selected?.node);
  const edge = selected?.edge !== undefined ? graph.relations[selected.edge] : undefined;
  const changed = JSON.stringify(graph) !== JSON.stringify(blueprint.graph);

  return (
    <div className="designer" data-testid="designer">
      <aside className="designer-palette">
        <input className="input" placeholder="Search the catalog" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="palette-search" aria-label="Search the catalog" />
        <ul>
          {palette.map((e) => (
            <li key={`${e.kind}:${e.cloud}`}>
              <button
                type="button"
                className="btn btn-ghost btn-sm designer-palette-item"
                draggable
                onDragStart={(ev) => ev.dataTransfer.setData('application/x-dharma-kind', `${e.kind}:${e.cloud}`)}
                onClick={() => addComponent(e.kind, e.cloud)}
                data-testid={`palette-${e.kind}-${e.cloud}`}
                title={`${e.service}: click or drag onto the canvas`}
              >
                {e.label} <span className="faint small">{e.cloud}</span>
              </button>
            </li>
          ))}
        </ul>
      </aside>

      <section className="designer-canvas">
        <div className="designer-toolbar">
          <button type="button" className="btn btn-sm" disabled={state.past.length === 0} onClick={() => dispatch({ type: 'undo' })} data-testid="designer-undo" title="Undo (Ctrl+Z)">Undo</button>
          <button type="button" className="btn btn-sm" disabled={state.future.length === 0} onClick={() => dispatch({ type: 'redo' })} data-testid="designer-redo" title="Redo (Ctrl+Shift+Z)">Redo</button>
          <span className="spacer" />
          <span className={`badge ${live.validation.errors ? 'badge-bad' : 'badge-ok'}`} data-testid="designer-validation">{live.validation.errors} errors · {live.validation.warnings} warnings</span>
          {live.guardrails && <span className={`badge ${live.guardrails.blocking ? 'badge-bad' : 'badge-ok'}`} data-testid="designer-guardrails">guardrails {live.guardrails.score} · {live.guardrails.blocking} blocking</span>}
          <span className="badge badge-draft" data-testid="designer-cost">{formatUsd(live.cost.monthly, { whole: true })}/mo{live.cost.coverage.missing.length ? ` (${live.cost.coverage.missing.length} not priced)` : ''}</span>
        </div>
        <div
          className="designer-flow"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            const kind = e.dataTransfer.getData('application/x-dharma-kind');
            if (!kind) return;
            const [k, c] = kind.split(':') as [TComponent['kind'], TComponent['cloud']];
            addComponent(k, c, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
          }}
        >
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodeDragStop={(_, n) => dispatch({ type: 'move', id: n.id, x: n.position.x, y: n.position.y })}
            onNodesChange={(changes) => {
              for (const ch of changes) if (ch.type === 'position' && ch.position && !ch.dragging) dispatch({ type: 'move', id: ch.id, x: ch.position.x, y: ch.position.y });
            }}
            onConnect={(c) => c.source && c.target && dispatch({ type: 'connect', from: c.source, to: c.target })}
            onNodeClick={(_, n) => setSelected({ node: n.id })}
            onEdgeClick={(_, e) => setSelected({ edge: (e.data as { index: number }).index })}
            onPaneClick={() => setSelected(null)}
            deleteKeyCode={null}
            fitView
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        <form
          className="row designer-save"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ id: blueprint.id, baseVersion: blueprint.currentVersion, graph, message });
          }}
        >
          <input className="input" style={{ flex: 1 }} placeholder="What changed (version message)" value={message} onChange={(e) => setMessage(e.target.value)} data-testid="designer-message" aria-label="Version message" />
          <button type="submit" className="btn btn-primary" disabled={!changed || save.isPending || !live.parsed.success} data-testid="designer-save">
            {save.isPending ? 'Saving…' : `Save version ${blueprint.currentVersion + 1}`}
          </button>
        </form>
        {!live.parsed.success && <div className="alert alert-error" data-testid="designer-graph-error">{live.parsed.error.issues[0]?.path.join('.')}: {live.parsed.error.issues[0]?.message}</div>}
        <MutationError mutations={[save]} testId="designer-error" />
      </section>

      <aside className="designer-inspector" data-testid="inspector">
        {node ? (
          <PropertyForm
            key={node.id}
            component={node}
            properties={resolveEntry(catalogEntry(node.kind, node.cloud)!, node.properties).properties}
            findings={live.validation.findings.filter((f) => f.componentId === node.id)}
            guardrails={live.guardrails?.findings.filter((f) => f.componentId === node.id) ?? []}
            cost={live.cost.components.find((c) => c.componentId === node.id) ?? null}
            onChange={(patch) => {
              dispatch({ type: 'update', id: node.id, patch });
              if (patch.id) setSelected({ node: patch.id });
            }}
            onRemove={removeSelection}
          />
        ) : edge ? (
          <div className="stack">
            <h3>Relation</h3>
            <div className="mono small">{edge.from} → {edge.to}</div>
            <label className="field">
              <span>Type</span>
              <select className="select" value={edge.type} onChange={(e) => dispatch({ type: 'relate', index: selected!.edge!, relation: e.target.value as (typeof RELATION_TYPES)[number] })} data-testid="edge-type">
                {RELATION_TYPES.map((t) => <option key={t}>{t}</option>)}
              </select>
            </label>
            <button type="button" className="btn btn-danger btn-sm" onClick={removeSelection}>Remove relation</button>
          </div>
        ) : (
          <div className="muted small">Select a component or a relation to edit it. Drag from a component&apos;s bottom handle to another to connect them.</div>
        )}
      </aside>
    </div>
  );
}

export type { TBlueprintGraph };
