import type { TBlueprintGraph, TComponent } from '@dharma/db/blueprint-graph';
import { catalogEntry, type TCategory } from '@dharma/catalog/catalog';
import type { TPrice, TPriceBook, TUnit } from './price-book';

export const HOURS_PER_MONTH = 730;

/** What one component costs per month, line by line, or why it could not be priced (never a silent zero). */
export interface TComponentEstimate {
  componentId: string;
  kind: string;
  cloud: string;
  region: string;
  category: TCategory;
  status: 'priced' | 'partial' | 'free' | 'unpriced';
  lines: { sku: string; description: string; unit: TUnit; quantity: number; unitPrice: number; monthly: number }[];
  monthly: number;
  /** Why it is partial, free or unpriced. */
  notes: string[];
}

export interface TEstimate {
  priceBook: string;
  components: TComponentEstimate[];
  monthly: number;
  hourly: number;
  yearly: number;
  byCategory: Record<TCategory, number>;
  coverage: { priced: number; partial: number; free: number; unpriced: number; total: number; missing: { componentId: string; reason: string }[] };
}

/** A discount off list prices: every SKU of a cloud, or those whose SKU starts with `skuPrefix` (`ec2:`, `rds:`). */
export interface TDiscount {
  cloud: TPrice['cloud'];
  skuPrefix?: string;
  percent: number;
}

const cents = (x: number) => Math.round((x + Number.EPSILON) * 100) / 100;

type TNeed = { sku: string; description: string; unit: TUnit; quantity: number; region?: string };
type TRule = (c: TComponent, p: (name: string) => unknown) => { needs: TNeed[]; notes?: string[]; partial?: boolean } | { free: string } | { unpriced: string };

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const hours = (sku: string, description: string, count = 1, perMonth = HOURS_PER_MONTH): TNeed => ({ sku, description, unit: 'hour', quantity: perMonth * count });
/** Hours a weekday-office schedule runs: 12 hours a day, 5 days a week. */
export const OFFICE_HOURS = Math.round(12 * 5 * (365 / 12 / 7));
/** The hours a machine runs a month: always, or on the office schedule. */
const runHours = (p: (name: string) => unknown) => (p('schedule') === 'weekdays-12h' ? OFFICE_HOURS : HOURS_PER_MONTH);
const scheduled = (p: (name: string) => unknown) => (p('schedule') === 'weekdays-12h' ? ' (weekdays, 12 h)' : '');
const gbMonth = (sku: string, description: string, gb: number): TNeed => ({ sku, description, unit: 'GB-month', quantity: gb });
const USAGE = (what: string) => ({ unpriced: `usage-based (${what}): the design has no usage figures to price` });
const FREE = { free: 'no charge for this resource type' };

/** How each (cloud, kind) is priced: the SKUs and monthly quantities its properties call for. */
const RULES: Record<string, TRule> = {
  'aws:vm': (c, p) => ({ needs: [hours(`ec2:${String(p('instanceType'))}`, `${String(p('instanceType'))} instance${scheduled(p)}`, 1, runHours(p)), gbMonth('ebs:gp3', 'root volume (gp3)', num(p('diskGb'), 30))] }),
  'aws:autoscaling_group': (c, p) => {
    const n = num(p('desired'), num(p('min'), 1));
    return { needs: [hours(`ec2:${String(p('instanceType'))}`, `${n} × ${String(p('instanceType'))} (desired capacity)${scheduled(p)}`, n, runHours(p))], notes: ['priced at the desired capacity; scaling out costs more'] };
  },
  'aws:database': (c, p) => {
    if (p('engine') === 'dynamodb') return USAGE('read and write request units, storage');
    const azs = p('multiAz') === true ? 2 : 1;
    const engine = String(p('engine')).replace(/^aurora-/, '');
    return { needs: [hours(`rds:${engine}:${String(p('instanceClass') ?? 'db.t4g.medium')}`, `${String(p('instanceClass') ?? 'db.t4g.medium')}${azs === 2 ? ' Multi-AZ (2 instances)' : ''}`, azs), gbMonth('rds:storage-gp3', `storage${azs === 2 ? ' ×2 (Multi-AZ)' : ''}`, num(p('storageGb'), 20) * azs)] };
  },
  'aws:cache': (c, p) => {
    const n = 1 + num(p('replicas'), 0);
    return { needs: [hours(`elasticache:${String(p('nodeType') ?? 'cache.t4g.small')}`, `${n} × ${String(p('nodeType') ?? 'cache.t4g.small')} node(s)`, n)] };
  },
  'aws:object_storage': (c, p) => (p('storageGb') === undefined ? { unpriced: 'storageGb is not set: say how much the bucket holds to price it' } : { needs: [gbMonth(`s3:${String(p('storageClass') ?? 'STANDARD').toLowerCase()}`, `S3 ${String(p('storageClass') ?? 'STANDARD')} storage`, num(p('storageGb'), 0))], notes: ['requests and transfer are usage-based and not included'], partial: true }),
  'aws:load_balancer': (c, p) => ({ needs: [hours(`elb:${String(p('type') ?? 'application')}`, `${String(p('type') ?? 'application')} load balancer hours`)], notes: ['capacity units (LCU/NLCU) are usage-based and not included'], partial: true }),
  'aws:stream': (c, p) => ({ needs: [hours('kinesis:shard', `${num(p('partitions'), 1)} shard(s)`, num(p('partitions'), 1))], notes: ['PUT payload units are usage-based and not included'], partial: true }),
  'aws:dns_zone': () => ({ needs: [{ sku: 'route53:hosted-zone', description: 'hosted zone', unit: 'month', quantity: 1, region: 'global' }], notes: ['queries are usage-based and not included'], partial: true }),
  'azure:vm': (c, p) => ({ needs: [hours(`vm:${String(p('vmSize'))}`, `${String(p('vmSize'))} VM${scheduled(p)}`, 1, runHours(p))] }),
  'azure:autoscaling_group': (c, p) => {
    const n = num(p('desired'), num(p('min'), 1));
    return { needs: [hours(`vm:${String(p('vmSize'))}`, `${n} × ${String(p('vmSize'))}`, n)], notes: ['priced at the desired capacity'] };
  },
  'azure:database': (c, p) => ({ needs: [hours(`postgres-flex:${String(p('skuName') ?? 'GP_Standard_D2s_v3')}`, `${String(p('skuName') ?? 'GP_Standard_D2s_v3')} server`), gbMonth('postgres-flex:storage', 'storage', num(p('storageGb'), 32))] }),
  'azure:object_storage': (c, p) => (p('storageGb') === undefined ? { unpriced: 'storageGb is not set: say how much the account holds to price it' } : { needs: [gbMonth(`blob:${String(p('accessTier') ?? 'Hot').toLowerCase()}-${String(p('replication') ?? 'LRS')}`, `${String(p('accessTier') ?? 'Hot')} ${String(p('replication') ?? 'LRS')} blob storage`, num(p('storageGb'), 0))], notes: ['operations and transfer are usage-based and not included'], partial: true }),
  'azure:cache': (c, p) => ({ needs: [hours(`redis:${String(p('sku') ?? 'Standard')}-C${num(p('capacity'), 1)}`, `${String(p('sku') ?? 'Standard')} C${num(p('capacity'), 1)} cache`)] }),
  'gcp:vm': (c, p) => ({ needs: [hours(`gce:${String(p('machineType'))}`, `${String(p('machineType'))} instance${scheduled(p)}`, 1, runHours(p))] }),
  'gcp:autoscaling_group': (c, p) => {
    const n = num(p('desired'), num(p('min'), 1));
    return { needs: [hours(`gce:${String(p('machineType'))}`, `${n} × ${String(p('machineType'))}`, n)], notes: ['priced at the desired capacity'] };
  },
  'gcp:database': (c, p) => {
    const tier = String(p('tier') ?? 'db-custom-2-7680');
    const m = /^db-custom-(\d+)-(\d+)$/.exec(tier);
    if (!m) return { unpriced: `tier ${tier} is not a db-custom-<vCPUs>-<MB> tier, which is what the price book prices` };
    const n = p('highAvailability') === true ? 2 : 1;
    const vcpu = Number(m[1]) * n;
    const ramGb = (Number(m[2]) / 1024) * n;
    return { needs: [hours('cloudsql:vcpu', `${vcpu} vCPU${n === 2 ? ' (HA: ×2)' : ''}`, vcpu), hours('cloudsql:ram-gb', `${ramGb} GB memory`, ramGb), gbMonth('cloudsql:ssd', 'SSD storage', num(p('storageGb'), 20) * n)] };
  },
  'gcp:cache': (c, p) => ({ needs: [hours(`memorystore:${String(p('tier') ?? 'BASIC')}-gb`, `${num(p('memoryGb'), 1)} GB ${String(p('tier') ?? 'BASIC')}`, num(p('memoryGb'), 1))] }),
  'gcp:object_storage': (c, p) => (p('storageGb') === undefined ? { unpriced: 'storageGb is not set: say how much the bucket holds to price it' } : { needs: [gbMonth(`gcs:${String(p('storageClass') ?? 'STANDARD').toLowerCase()}`, `${String(p('storageClass') ?? 'STANDARD')} storage`, num(p('storageGb'), 0))], notes: ['operations and egress are usage-based and not included'], partial: true }),
  'gcp:container_cluster': (c, p) => {
    const pools = (Array.isArray(p('nodePools')) ? p('nodePools') : []) as { machineType?: string; min?: number }[];
    return {
      needs: [{ ...hours('gke:cluster', 'cluster management fee'), region: 'global' }, ...pools.map((pool) => hours(`gce:${pool.machineType ?? 'e2-standard-4'}`, `node pool: ${pool.min ?? 1} × ${pool.machineType ?? 'e2-standard-4'} (minimum)`, pool.min ?? 1))],
      notes: pools.length === 0 ? ['no node pools: only the management fee is priced'] : ['node pools priced at their minimum size'],
      partial: pools.length === 0,
    };
  },
};
for (const cloud of ['aws', 'azure', 'gcp']) {
  for (const kind of ['vpc', 'subnet', 'security_group', 'identity_role']) RULES[`${cloud}:${kind}`] = () => FREE;
  RULES[`${cloud}:function`] ??= () => USAGE('invocations and compute time');
  RULES[`${cloud}:queue`] ??= () => USAGE('requests');
  RULES[`${cloud}:api_gateway`] ??= () => USAGE('API calls');
  RULES[`${cloud}:cdn`] ??= () => USAGE('requests and data transfer');
  RULES[`${cloud}:monitoring`] ??= () => USAGE('ingested and retained data');
}

/**
 * Prices a design from price books (later ones override earlier ones for the same cloud, region and SKU: a tenant's
 * private prices over the public ones) with discounts off the list price. Every component is accounted for: priced,
 * partly priced (what is missing is said), free, or unpriced with the reason. Monthly figures per line are rounded to
 * the cent, and totals are the sum of the lines.
 */
export function estimate(graph: TBlueprintGraph, books: readonly TPriceBook[], discounts: readonly TDiscount[] = []): TEstimate {
  const index = new Map<string, TPrice>();
  for (const book of books) for (const price of book.prices) index.set(`${price.cloud}|${price.region}|${price.sku}`, price);
  const discountOf = (cloud: string, sku: string) => discounts.filter((d) => d.cloud === cloud && (!d.skuPrefix || sku.startsWith(d.skuPrefix))).reduce((best, d) => Math.max(best, d.percent), 0);
  const version = books.map((b) => b.version).join(' + ');

  const components = graph.components.map((c): TComponentEstimate => {
    const base = { componentId: c.id, kind: c.kind, cloud: c.cloud, region: c.region, category: catalogEntry(c.kind, c.cloud)?.category ?? 'other', lines: [], monthly: 0 } as const;
    const rule = RULES[`${c.cloud}:${c.kind}`];
    if (!rule) return { ...base, lines: [], status: 'unpriced', notes: [`the price book does not price ${c.cloud} ${c.kind} yet`] };
    const entry = catalogEntry(c.kind, c.cloud);
    const defaults = Object.fromEntries((entry?.properties ?? []).filter((p) => p.default !== undefined).map((p) => [p.name, p.default]));
    const out = rule(c, (name) => c.properties[name] ?? defaults[name]);
    if ('free' in out) return { ...base, lines: [], status: 'free', notes: [out.free] };
    if ('unpriced' in out) return { ...base, lines: [], status: 'unpriced', notes: [out.unpriced] };
    const lines: TComponentEstimate['lines'] = [];
    const missing: string[] = [];
    for (const need of out.needs) {
      const region = need.region ?? c.region;
      const price = index.get(`${c.cloud}|${region}|${need.sku}`);
      if (!price) {
        missing.push(`no price for ${need.sku} in ${region} (price book ${version})`);
        continue;
      }
      if (price.unit !== need.unit) {
        missing.push(`${need.sku} is priced per ${price.unit}, not per ${need.unit}`);
        continue;
      }
      const unitPrice = price.price * (1 - discountOf(c.cloud, need.sku) / 100);
      lines.push({ sku: need.sku, description: need.description, unit: need.unit, quantity: need.quantity, unitPrice, monthly: cents(unitPrice * need.quantity) });
    }
    const monthly = cents(lines.reduce((s, l) => s + l.monthly, 0));
    if (lines.length === 0) return { ...base, lines, monthly: 0, status: 'unpriced', notes: missing };
    const status = missing.length > 0 || out.partial ? 'partial' : 'priced';
    return { ...base, lines, monthly, status, notes: [...missing, ...(out.notes ?? [])] };
  });

  const monthly = cents(components.reduce((s, c) => s + c.monthly, 0));
  const byCategory = { compute: 0, storage: 0, network: 0, database: 0, other: 0 } as Record<TCategory, number>;
  for (const c of components) byCategory[c.category] = cents(byCategory[c.category] + c.monthly);
  const count = (s: TComponentEstimate['status']) => components.filter((c) => c.status === s).length;
  return {
    priceBook: version,
    components,
    monthly,
    hourly: Math.round((monthly / HOURS_PER_MONTH) * 10000) / 10000,
    yearly: cents(monthly * 12),
    byCategory,
    coverage: {
      priced: count('priced'),
      partial: count('partial'),
      free: count('free'),
      unpriced: count('unpriced'),
      total: components.length,
      missing: components.filter((c) => c.status === 'unpriced' || (c.status === 'partial' && c.notes.some((n) => n.startsWith('no price'))) ).map((c) => ({ componentId: c.componentId, reason: c.notes.join('; ') })),
    },
  };
}

/** What changes between two estimates: per component (added, removed, changed) and in total. */
export function diffEstimates(before: TEstimate, after: TEstimate) {
  const b = new Map(before.components.map((c) => [c.componentId, c.monthly]));
  const a = new Map(after.components.map((c) => [c.componentId, c.monthly]));
  const ids = [...new Set([...b.keys(), ...a.keys()])].sort();
  const components = ids
    .map((id) => ({ componentId: id, before: b.get(id) ?? null, after: a.get(id) ?? null, change: cents((a.get(id) ?? 0) - (b.get(id) ?? 0)) }))
    .filter((c) => c.change !== 0 || c.before === null || c.after === null);
  return { monthlyBefore: before.monthly, monthlyAfter: after.monthly, change: cents(after.monthly - before.monthly), components };
}
