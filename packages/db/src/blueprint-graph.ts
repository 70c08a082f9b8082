import { z } from 'zod';

/**
 * The blueprint graph: components and the relations between them. Pure module (no database), shared by the
 * services, the seed and the console's forms so every layer validates the same way.
 */

export const COMPONENT_KINDS = [
  'vpc', 'subnet', 'security_group', 'load_balancer', 'vm', 'autoscaling_group', 'container_cluster',
  'container_service', 'function', 'database', 'cache', 'object_storage', 'file_storage', 'queue', 'stream',
  'dns_zone', 'cdn', 'api_gateway', 'key_vault', 'data_warehouse', 'data_pipeline', 'identity_role', 'monitoring',
] as const;
export const CLOUDS = ['aws', 'azure', 'gcp'] as const;
export const RELATION_TYPES = ['depends_on', 'connects_to', 'contains'] as const;

export const MAX_COMPONENTS = 500;
export const MAX_RELATIONS = 2000;

/**
 * A string Postgres can store: text and jsonb cannot hold U+0000, so it is refused here with the field's name
 * instead of failing in the database. Every free-text input goes through this (names, descriptions, messages,
 * search, everything inside a graph).
 */
export const ZText = (params?: Parameters<typeof z.string>[0]) => z.string(params).refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');

const ZIdent = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" or "_"');

const ZJsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([ZText().max(4096), z.number(), z.boolean(), z.null(), z.array(ZJsonValue).max(256), z.record(ZText().max(128), ZJsonValue)]),
);

export const ZComponent = z.object({
  id: ZIdent,
  kind: z.enum(COMPONENT_KINDS, { error: () => `must be one of: ${COMPONENT_KINDS.join(', ')}` }),
  name: ZText().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  cloud: z.enum(CLOUDS, { error: () => `must be one of: ${CLOUDS.join(', ')}` }),
  region: ZText().trim().min(1, 'must not be empty').max(64),
  properties: z.record(ZText().max(128), ZJsonValue).default({}),
  tags: z.record(ZText().max(128), ZText().max(256)).default({}),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).optional(),
});

export const ZRelation = z.object({
  from: ZIdent,
  to: ZIdent,
  type: z.enum(RELATION_TYPES, { error: () => `must be one of: ${RELATION_TYPES.join(', ')}` }),
  properties: z.record(ZText().max(128), ZJsonValue).default({}),
});

/** Shape plus the graph rules: unique ids, no dangling relations, no self-loops, no cycles in depends_on/contains. */
export const ZBlueprintGraph = z
  .object({
    components: z.array(ZComponent).max(MAX_COMPONENTS, `must have at most ${MAX_COMPONENTS} components`),
    relations: z.array(ZRelation).max(MAX_RELATIONS, `must have at most ${MAX_RELATIONS} relations`).default([]),
  })
  .superRefine((graph, ctx) => {
    for (const issue of graphIssues(graph)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export type TComponent = z.infer<typeof ZComponent>;
export type TRelation = z.infer<typeof ZRelation>;
export type TBlueprintGraph = z.infer<typeof ZBlueprintGraph>;
export type TBlueprintGraphInput = z.input<typeof ZBlueprintGraph>;

export interface TGraphIssue {
  path: (string | number)[];
  message: string;
}

function graphIssues(graph: { components: TComponent[]; relations: TRelation[] }): TGraphIssue[] {
  const issues: TGraphIssue[] = [];
  const ids = new Map<string, number>();
  graph.components.forEach((c, i) => {
    if (ids.has(c.id)) issues.push({ path: ['components', i, 'id'], message: `duplicate component id "${c.id}"` });
    else ids.set(c.id, i);
  });
  const seen = new Set<string>();
  graph.relations.forEach((r, i) => {
    if (!ids.has(r.from)) issues.push({ path: ['relations', i, 'from'], message: `refers to unknown component "${r.from}"` });
    if (!ids.has(r.to)) issues.push({ path: ['relations', i, 'to'], message: `refers to unknown component "${r.to}"` });
    if (r.from === r.to) issues.push({ path: ['relations', i, 'to'], message: 'a component cannot relate to itself' });
    const key = `${r.from}\u0000${r.to}\u0000${r.type}`;
    if (seen.has(key)) issues.push({ path: ['relations', i], message: `duplicate ${r.type} relation ${r.from} → ${r.to}` });
    seen.add(key);
  });
  if (issues.length > 0) return issues;
  for (const type of ['depends_on', 'contains'] as const) {
    const cycle = findCycle(graph.relations.filter((r) => r.type === type));
    if (cycle) {
      const index = graph.relations.findIndex((r) => r.type === type && r.from === cycle[0] && r.to === cycle[1]);
      issues.push({ path: ['relations', index], message: `${type} cycle: ${cycle.join(' → ')}` });
    }
  }
  return issues;
}

/** Returns one cycle as a list of ids (first repeated at the end), or null. Iterative DFS: graphs can be deep. */
export function findCycle(edges: { from: string; to: string }[]): string[] | null {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const state = new Map<string, 1 | 2>();
  for (const start of out.keys()) {
    if (state.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = out.get(top.node) ?? [];
      if (top.next >= targets.length) {
        state.set(top.node, 2);
        stack.pop();
        continue;
      }
      const to = targets[top.next++]!;
      const s = state.get(to);
      if (s === 1) {
        const from = stack.findIndex((f) => f.node === to);
        return [...stack.slice(from).map((f) => f.node), to];
      }
      if (s === undefined) {
        state.set(to, 1);
        stack.push({ node: to, next: 0 });
      }
    }
  }
  return null;
}
