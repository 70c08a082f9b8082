import type { TBlueprintGraph, TComponent } from '@dharma/db/blueprint-graph';
import { catalogEntry, resolveEntry } from '@dharma/catalog/catalog';
import { compileExpression, toCel, type TCompiled, type TEnforcement, type TPolicy, type TSeverity } from './policy';

/**
 * An exemption of one policy on one blueprint: a waiver (any enforcement; it counts once approved by someone other
 * than who asked) or an override (soft policies only, by a person allowed to override), each with a reason and, for
 * a waiver, an expiry after which the policy applies again.
 */
export interface TExemption {
  id: string;
  kind: 'waiver' | 'override';
  policyKey: string;
  reason: string;
  approvedBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface TGuardrailFinding {
  policyKey: string;
  policyName: string;
  severity: TSeverity;
  enforcement: TEnforcement;
  /** The component that fails, or null for a policy of the whole design. */
  componentId: string | null;
  message: string;
  /** The exemption that lets it pass, if any. */
  exemptedBy: { id: string; kind: 'waiver' | 'override'; reason: string } | null;
  /** Set when the policy could not be evaluated here (an error is a failure, never a silent pass). */
  error?: string;
}

export interface TEvaluation {
  findings: TGuardrailFinding[];
  /** 0-100: the share of checks that passed, each weighed by its policy's severity. */
  score: number;
  /** No unexempted critical or high finding. */
  passed: boolean;
  /** Unexempted hard and soft failures: a version with any cannot be approved (advisory ones never block). */
  blocking: number;
  checks: number;
}

const WEIGHT: Record<TSeverity, number> = { critical: 10, high: 5, medium: 2, low: 1 };

/** A component as policies see it: its properties with the catalog's defaults for what it leaves out. */
function componentView(c: TComponent) {
  const entry = catalogEntry(c.kind, c.cloud);
  const defaults = entry ? Object.fromEntries(resolveEntry(entry, c.properties).properties.filter((p) => p.default !== undefined).map((p) => [p.name, p.default])) : {};
  return { id: c.id, kind: c.kind, name: c.name, cloud: c.cloud, region: c.region, properties: { ...defaults, ...c.properties }, tags: c.tags };
}

const envOf = (c: { tags: Record<string, string> }) => (c.tags.Environment ?? c.tags.environment ?? '').toLowerCase();

/**
 * Compiled policies, kept per expression: a tenant's library is compiled once per process, not per evaluation. Bounded
 * (the oldest dropped first), since a policy under test compiles any expression someone types.
 */
const compiled = new Map<string, TCompiled>();
const MAX_COMPILED = 2000;
function compiledOf(source: string, field: 'expression' | 'when'): TCompiled {
  let fn = compiled.get(source);
  if (!fn) {
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(source, (fn = compileExpression(source, field)));
  }
  return fn;
}

export function isExemptionActive(e: TExemption, policy: TPolicy, now: Date): boolean {
  if (e.revokedAt !== null) return false;
  if (e.expiresAt !== null && new Date(e.expiresAt) <= now) return false;
  if (e.kind === 'override') return policy.enforcement === 'soft';
  return e.approvedBy !== null;
}

/**
 * Evaluates every enabled policy against a design: component policies on each component of their kinds (and
 * `when`), design policies once. Pure: the same inputs give the same result.
 */
/**
 * What the design costs, for policies over the estimate: each component's monthly figure (`c.cost`), the design's
 * total and by category (`blueprint.cost`), and its project's budget with the project's total at this version
 * (`blueprint.budget`; empty when the project has none).
 */
export interface TCostFacts {
  components: Record<string, number>;
  monthly: number;
  byCategory: Record<string, number>;
  budget?: { amount: number; projected: number };
}

export function evaluate(graph: TBlueprintGraph, policies: readonly TPolicy[], exemptions: readonly TExemption[] = [], now = new Date(), meta: { name: string; cost?: TCostFacts } = { name: '' }): TEvaluation {
  // What a component is linked to (depends_on and contains, either way): so a policy about neighbours reads a
  // short list instead of scanning every relation of the design for every component.
  const links = new Map<string, string[]>(graph.components.map((c) => [c.id, []]));
  for (const r of graph.relations) {
    if (r.type === 'connects_to') continue;
    links.get(r.from)?.push(r.to);
    links.get(r.to)?.push(r.from);
  }
  const views = graph.components.map((c) => ({ ...componentView(c), links: links.get(c.id) ?? [], cost: meta.cost?.components[c.id] ?? 0 }));
  const publicSubnetIds = views.filter((v) => v.kind === 'subnet' && v.properties.public === true).map((v) => v.id);
  const cost = meta.cost ? { monthly: meta.cost.monthly, byCategory: meta.cost.byCategory } : { monthly: 0, byCategory: {} };
  const blueprint = toCel({ name: meta.name, components: views, relations: graph.relations, publicSubnetIds, cost, budget: meta.cost?.budget ?? {} });
  // Each component converted to CEL values once, not once per policy.
  const celViews = new Map(views.map((v) => [v, toCel(v)]));
  const findings: TGuardrailFinding[] = [];
  let total = 0;
  let failed = 0;
  let checks = 0;
  for (const policy of policies) {
    if (!policy.enabled) continue;
    const rule = compiledOf(policy.expression, 'expression');
    const when = policy.when ? compiledOf(policy.when, 'when') : null;
    const exemption = exemptions.find((e) => e.policyKey === policy.key && isExemptionActive(e, policy, now)) ?? null;
    const targets = policy.target === 'blueprint' ? [null] : views.filter((v) => policy.kinds.length === 0 || policy.kinds.includes(v.kind));
    for (const view of targets) {
      const bindings = { c: view ? celViews.get(view)! : null, env: view ? envOf(view) : '', blueprint };
      if (when) {
        const applies = when(bindings);
        if (applies.ok && !applies.value) continue;
      }
      checks += 1;
      total += WEIGHT[policy.severity];
      const result = rule(bindings);
      if (result.ok && result.value) continue;
      if (!exemption) failed += WEIGHT[policy.severity];
      findings.push({
        policyKey: policy.key,
        policyName: policy.name,
        severity: policy.severity,
        enforcement: policy.enforcement,
        componentId: view?.id ?? null,
        message: result.ok ? policy.message : `could not be evaluated: ${result.error}`,
        exemptedBy: exemption ? { id: exemption.id, kind: exemption.kind, reason: exemption.reason } : null,
        ...(result.ok ? {} : { error: result.error }),
      });
    }
  }
  const open = findings.filter((f) => f.exemptedBy === null);
  return {
    findings,
    score: total === 0 ? 100 : Math.round((100 * (total - failed)) / total),
    passed: !open.some((f) => f.severity === 'critical' || f.severity === 'high'),
    blocking: open.filter((f) => f.enforcement !== 'advisory').length,
    checks,
  };
}
