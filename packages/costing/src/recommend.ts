import type { TBlueprintGraph, TComponent } from '@dharma/db/blueprint-graph';
import { estimate, HOURS_PER_MONTH, OFFICE_HOURS, type TDiscount } from './estimate';
import type { TPriceBook } from './price-book';

/**
 * A savings recommendation for one component: what to change (a property patch, applied as a new version when
 * accepted), why, and what it saves a month, computed from the same price books as the estimate (the design priced
 * with and without the change), so a recommendation never claims a saving the book cannot show.
 */
export interface TRecommendation {
  /** Stable for the same advice on the same component: `<rule>:<componentId>`. */
  key: string;
  rule: 'right-size' | 'colder-storage' | 'scheduled-shutdown';
  componentId: string;
  title: string;
  why: string;
  /** The property values to set; `null` removes one. */
  patch: Record<string, unknown>;
  monthlySavings: number;
}

const env = (c: TComponent) => (c.tags.Environment ?? c.tags.environment ?? '').toLowerCase();
const nonProduction = (c: TComponent) => ['dev', 'development', 'test', 'qa', 'staging', 'sandbox'].includes(env(c));

/** EC2 sizes in order; one step down halves the vCPUs and memory of the same family. */
const SIZES = ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const smaller = (type: string): string | null => {
  const m = /^([a-z0-9-]+)\.([a-z0-9]+)$/.exec(type);
  if (!m) return null;
  const i = SIZES.indexOf(m[2]!);
  return i > 3 ? `${m[1]}.${SIZES[i - 1]}` : null;
};

type TCandidate = Omit<TRecommendation, 'monthlySavings'> & { graph: TBlueprintGraph };

function candidates(graph: TBlueprintGraph): TCandidate[] {
  const out: TCandidate[] = [];
  const withProps = (c: TComponent, patch: Record<string, unknown>): TBlueprintGraph => ({
    ...graph,
    components: graph.components.map((x) => (x.id === c.id ? { ...x, properties: Object.fromEntries(Object.entries({ ...x.properties, ...patch }).filter(([, v]) => v !== null)) as TComponent['properties'] } : x)),
  });
  for (const c of graph.components) {
    const type = typeof c.properties.instanceType === 'string' ? c.properties.instanceType : null;
    if ((c.kind === 'vm' || c.kind === 'autoscaling_group') && c.cloud === 'aws' && type && nonProduction(c)) {
      const down = smaller(type);
      if (down) {
        out.push({ key: `right-size:${c.id}`, rule: 'right-size', componentId: c.id, title: `Right-size ${c.id}: ${type} → ${down}`, why: `${type} is ${type.split('.')[1]} in a ${env(c)} environment; one size down halves its vCPUs and memory and its price. Confirm the load fits before accepting.`, patch: { instanceType: down }, graph: withProps(c, { instanceType: down }) });
      }
      if (c.properties.schedule !== 'weekdays-12h') {
        out.push({ key: `scheduled-shutdown:${c.id}`, rule: 'scheduled-shutdown', componentId: c.id, title: `Stop ${c.id} outside office hours`, why: `A ${env(c)} machine rarely needs to run nights and weekends: a weekday 12-hour schedule runs it ${OFFICE_HOURS} of ${HOURS_PER_MONTH} hours a month. Accepting records the schedule on the component; the generated code does not create the scheduler (AWS Instance Scheduler or similar).`, patch: { schedule: 'weekdays-12h' }, graph: withProps(c, { schedule: 'weekdays-12h' }) });
      }
    }
    const gb = typeof c.properties.storageGb === 'number' ? c.properties.storageGb : 0;
    const storageClass = typeof c.properties.storageClass === 'string' ? c.properties.storageClass : 'STANDARD';
    if (c.kind === 'object_storage' && gb >= 1000 && storageClass === 'STANDARD' && (c.cloud === 'aws' || c.cloud === 'gcp')) {
      const colder = c.cloud === 'aws' ? 'STANDARD_IA' : 'NEARLINE';
      out.push({ key: `colder-storage:${c.id}`, rule: 'colder-storage', componentId: c.id, title: `Move ${c.id} to ${colder}`, why: `${gb.toLocaleString('en-US')} GB in ${storageClass}: data read less than once a month costs less in ${colder} (retrieval is charged per GB; keep hot data in ${storageClass}).`, patch: { storageClass: colder }, graph: withProps(c, { storageClass: colder }) });
    }
  }
  return out;
}

/**
 * The recommendations for a design, largest saving first. A candidate the price book cannot price on both sides (or
 * that saves nothing) is left out rather than shown with a made-up figure.
 */
export function recommend(graph: TBlueprintGraph, books: readonly TPriceBook[], discounts: readonly TDiscount[] = []): TRecommendation[] {
  const base = estimate(graph, books, discounts);
  const monthlyOf = (e: typeof base, id: string) => e.components.find((c) => c.componentId === id);
  const out: TRecommendation[] = [];
  for (const { graph: changed, ...rec } of candidates(graph)) {
    const before = monthlyOf(base, rec.componentId);
    if (!before || before.status === 'unpriced' || before.status === 'free') continue;
    // Priced with the change by the same book: both sides must price the same lines, or there is no figure to show.
    const after = monthlyOf(estimate(changed, books, discounts), rec.componentId);
    if (!after || after.lines.length !== before.lines.length) continue;
    const savings = Math.round((before.monthly - after.monthly) * 100) / 100;
    if (savings > 0) out.push({ ...rec, monthlySavings: savings });
  }
  return out.sort((a, b) => b.monthlySavings - a.monthlySavings || (a.key < b.key ? -1 : 1));
}
