import type { TPolicy } from './policy';

/** Production, as the blueprints say it: the Environment tag (the naming convention's `{env}` says it too). */
const PROD = `env == 'prod' || env == 'production'`;

const p = (policy: Omit<TPolicy, 'enabled' | 'target' | 'kinds'> & Partial<Pick<TPolicy, 'target' | 'kinds'>>): TPolicy => ({ target: 'component', kinds: [], enabled: true, ...policy });

/**
 * The default library every tenant starts with (../shared/DOMAIN.md's rules). Bindings: `c` is the component (`id`,
 * `kind`, `name`, `cloud`, `region`, `properties` with the catalog's defaults filled in, `tags`, `cost`: its monthly estimate, `links`: the ids of
 * the components it depends on, contains or is contained by, either way), `env` the lower-cased Environment tag ('' when
 * absent), `blueprint` the design (`name`, `components`, `relations`, `publicSubnetIds`, `cost`: `monthly` and
 * `byCategory`, `budget`: the project's `amount` and its `projected` total with this version, empty without a budget). A tenant may turn a
 * policy off, change its enforcement, or add its own; these stay the reference.
 */
export const DEFAULT_POLICIES: readonly TPolicy[] = [
  p({ key: 'encryption-at-rest', name: 'Encryption at rest', description: 'Databases, file systems and warehouses encrypt their data at rest.', severity: 'high', enforcement: 'hard', kinds: ['database', 'file_storage'], expression: `!has(c.properties.encrypted) || c.properties.encrypted == true`, message: 'data must be encrypted at rest (set encrypted: true)' }),
  p({ key: 'storage-encryption', name: 'Object storage encryption', description: 'Buckets and storage accounts name their encryption (a KMS key or the provider-managed default).', severity: 'medium', enforcement: 'advisory', kinds: ['object_storage'], expression: `has(c.properties.encryption) && c.properties.encryption != ''`, message: 'name the bucket encryption (encryption: aws:kms, Microsoft.Keyvault, ...)' }),
  p({ key: 'no-public-storage', name: 'No public storage', description: 'Object storage is never open to the internet.', severity: 'critical', enforcement: 'hard', kinds: ['object_storage'], expression: `c.properties.publicAccess == false`, message: 'storage must not allow public access (publicAccess: false)' }),
  p({ key: 'no-public-database', name: 'No public databases', description: 'Databases are reachable from private networks only.', severity: 'critical', enforcement: 'hard', kinds: ['database'], expression: `c.properties.publiclyAccessible == false`, message: 'a database must not be publicly accessible (publiclyAccessible: false)' }),
  p({ key: 'tls-1-2', name: 'TLS 1.2 or later', description: 'Edges and caches accept TLS 1.2+ only, and caches encrypt in transit.', severity: 'high', enforcement: 'hard', kinds: ['cdn', 'cache'], expression: `c.kind == 'cache' ? c.properties.transitEncryption == true : (!has(c.properties.minTlsVersion) || c.properties.minTlsVersion.matches('1\\\\.[23]'))`, message: 'traffic must use TLS 1.2 or later (minTlsVersion TLSv1.2_2021, transitEncryption: true)' }),
  p({ key: 'private-data-subnets', name: 'Private subnets for data tiers', description: 'Databases and caches sit on subnets that are not internet-routable.', severity: 'high', enforcement: 'soft', kinds: ['database', 'cache'], expression: `!c.links.exists(id, id in blueprint.publicSubnetIds)`, message: 'a database or cache is placed on a public subnet' }),
  p({ key: 'required-tags', name: 'Required tags', description: 'Every component carries Environment, Owner and CostCenter tags.', severity: 'medium', enforcement: 'soft', expression: `['Environment', 'Owner', 'CostCenter'].all(t, t in c.tags && c.tags[t] != '')`, message: 'tag Environment, Owner and CostCenter' }),
  p({ key: 'database-backups', name: 'Database backups', description: 'Databases keep backups for at least 7 days (14 in production).', severity: 'high', enforcement: 'hard', kinds: ['database'], when: `c.properties.engine != 'dynamodb'`, expression: `(has(c.properties.backups) ? c.properties.backups == true : true) && (!has(c.properties.backupRetentionDays) || c.properties.backupRetentionDays >= (${PROD} ? 14 : 7))`, message: 'keep database backups (7 days, 14 in production)' }),
  p({ key: 'production-multi-az', name: 'Multi-AZ production databases', description: 'Production databases survive the loss of an availability zone.', severity: 'high', enforcement: 'hard', kinds: ['database'], when: `(${PROD}) && c.properties.engine != 'dynamodb'`, expression: `(has(c.properties.multiAz) && c.properties.multiAz == true) || (has(c.properties.highAvailability) && c.properties.highAvailability == true) || (has(c.properties.zoneRedundant) && c.properties.zoneRedundant == true)`, message: 'a production database must span availability zones (multiAz, highAvailability or zoneRedundant)' }),
  p({ key: 'production-two-zones', name: 'Two zones for production compute', description: 'Production scaling groups run at least two instances.', severity: 'medium', enforcement: 'soft', kinds: ['autoscaling_group'], when: PROD, expression: `c.properties.min >= 2.0`, message: 'a production scaling group needs min >= 2 (one per zone)' }),
  p({ key: 'instance-size-limit', name: 'Instance size limit', description: 'No instance above 8xlarge (or its equivalents) without a review.', severity: 'medium', enforcement: 'soft', kinds: ['vm', 'autoscaling_group'], expression: `!has(c.properties.instanceType) || !c.properties.instanceType.matches('\\\\.(1[0-9]|[2-9][0-9])xlarge$|\\\\.metal')`, message: 'instance type above 8xlarge: right-size it or override with a reason' }),
  p({ key: 'autoscaling-bounds', name: 'Autoscaling bounds', description: 'Scaling groups have an upper bound of at most 100 and above their minimum.', severity: 'low', enforcement: 'advisory', kinds: ['autoscaling_group'], expression: `c.properties.max <= 100.0 && c.properties.max > c.properties.min`, message: 'set max above min and at most 100' }),
  p({ key: 'load-balancer-health-checks', name: 'Load balancer health checks', description: 'Load balancers check a health path.', severity: 'medium', enforcement: 'advisory', kinds: ['load_balancer'], expression: `has(c.properties.healthCheckPath) && c.properties.healthCheckPath != '/'`, message: 'give the load balancer a health check path (healthCheckPath)' }),
  p({ key: 'production-monitoring', name: 'Monitoring in production', description: 'A production design includes monitoring (logs and alarms).', severity: 'medium', enforcement: 'soft', target: 'blueprint', when: `blueprint.components.exists(x, 'Environment' in x.tags && (x.tags['Environment'] == 'prod' || x.tags['Environment'] == 'production'))`, expression: `blueprint.components.exists(x, x.kind == 'monitoring')`, message: 'add a monitoring component to a production design' }),
  p({ key: 'budget-limit', name: 'Budget limit', description: "A version keeps its project within the project's monthly budget.", severity: 'high', enforcement: 'soft', target: 'blueprint', expression: `!has(blueprint.budget.amount) || blueprint.budget.projected <= blueprint.budget.amount`, message: "this version takes its project past the project's monthly budget" }),
  p({ key: 'component-cost-limit', name: 'Component cost limit', description: 'No single component costs more than $10,000 a month without a review.', severity: 'medium', enforcement: 'advisory', expression: `c.cost <= 10000.0`, message: 'this component costs more than $10,000 a month' }),
  p({ key: 'key-vault-protection', name: 'Key protection', description: 'Key vaults keep soft delete and purge protection on.', severity: 'high', enforcement: 'hard', kinds: ['key_vault'], expression: `c.properties.softDelete == true && c.properties.purgeProtection == true`, message: 'turn on soft delete and purge protection' }),
];

export type TLibraryPolicy = TPolicy & { source: 'default' | 'modified' | 'custom' };

/**
 * The library a tenant evaluates with: the defaults, each replaced by the tenant's row of the same key when it has
 * one (`modified`), then the tenant's own policies (`custom`), in key order.
 */
export function effectiveLibrary(rows: readonly TPolicy[]): TLibraryPolicy[] {
  const own = new Map(rows.map((r) => [r.key, r]));
  const defaults = DEFAULT_POLICIES.map((d): TLibraryPolicy => (own.has(d.key) ? { ...own.get(d.key)!, source: 'modified' } : { ...d, source: 'default' }));
  const custom = rows.filter((r) => !DEFAULT_POLICIES.some((d) => d.key === r.key)).map((r): TLibraryPolicy => ({ ...r, source: 'custom' }));
  return [...defaults, ...custom].sort((a, b) => (a.key < b.key ? -1 : 1));
}
