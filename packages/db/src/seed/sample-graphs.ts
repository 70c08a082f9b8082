import type { TBlueprintGraphInput } from '../blueprint-graph';

type TC = TBlueprintGraphInput['components'][number];
type TR = TBlueprintGraphInput['relations'] extends (infer R)[] | undefined ? R : never;

const at = (x: number, y: number) => ({ x, y });
const c = (id: string, kind: TC['kind'], name: string, cloud: TC['cloud'], region: string, properties: Record<string, unknown>, tags: Record<string, string>, position: { x: number; y: number }): TC =>
  ({ id, kind, name, cloud, region, properties, tags, position });
const r = (from: string, to: string, type: TR['type'] = 'depends_on', properties: Record<string, unknown> = {}): TR => ({ from, to, type, properties });

const awsTags = { Environment: 'prod', Owner: 'web-team', CostCenter: 'CC-1042' };

/** A classic three-tier web application on AWS: edge, load balancer, app tier, data tier, in one VPC. */
export function awsThreeTier(version: 1 | 2 | 3): TBlueprintGraphInput {
  const region = 'eu-west-1';
  const components: TC[] = [
    c('vpc', 'vpc', 'prod-shop-vpc-euw1', 'aws', region, { cidr: '10.20.0.0/16', enableDnsHostnames: true }, awsTags, at(400, 40)),
    c('public-subnets', 'subnet', 'prod-shop-public-euw1', 'aws', region, { cidrs: ['10.20.0.0/24', '10.20.1.0/24'], public: true, availabilityZones: 2 }, awsTags, at(200, 140)),
    c('app-subnets', 'subnet', 'prod-shop-app-euw1', 'aws', region, { cidrs: ['10.20.10.0/24', '10.20.11.0/24'], public: false, availabilityZones: 2 }, awsTags, at(400, 140)),
    c('data-subnets', 'subnet', 'prod-shop-data-euw1', 'aws', region, { cidrs: ['10.20.20.0/24', '10.20.21.0/24'], public: false, availabilityZones: 2 }, awsTags, at(600, 140)),
    c('cdn', 'cdn', 'prod-shop-cdn', 'aws', 'global', { priceClass: 'PriceClass_100', minTlsVersion: 'TLSv1.2_2021' }, awsTags, at(40, 240)),
    c('alb', 'load_balancer', 'prod-shop-alb-euw1', 'aws', region, { type: 'application', scheme: 'internet-facing', listeners: [{ port: 443, protocol: 'HTTPS' }], healthCheckPath: '/healthz' }, awsTags, at(200, 240)),
    c('web-asg', 'autoscaling_group', 'prod-shop-web-euw1', 'aws', region, { instanceType: version >= 2 ? 'm6i.large' : 'm5.large', min: 2, max: version >= 3 ? 12 : 8, desired: 3 }, awsTags, at(400, 240)),
    c('db', 'database', 'prod-shop-db-euw1', 'aws', region, { engine: 'postgres', engineVersion: '16', instanceClass: 'db.r6g.large', storageGb: 200, multiAz: true, encrypted: true, backupRetentionDays: version >= 2 ? 14 : 7, publiclyAccessible: false }, awsTags, at(600, 240)),
    c('assets', 'object_storage', 'prod-shop-assets-euw1', 'aws', region, { versioning: true, encryption: 'aws:kms', publicAccess: false, storageGb: 500 }, awsTags, at(40, 340)),
  ];
  const relations: TR[] = [
    r('public-subnets', 'vpc', 'contains'), r('app-subnets', 'vpc', 'contains'), r('data-subnets', 'vpc', 'contains'),
    r('alb', 'public-subnets'), r('web-asg', 'app-subnets'), r('db', 'data-subnets'),
    r('cdn', 'alb', 'connects_to', { port: 443 }), r('cdn', 'assets', 'connects_to'),
    r('alb', 'web-asg', 'connects_to', { port: 8080 }), r('web-asg', 'db', 'connects_to', { port: 5432 }),
  ];
  if (version >= 2) {
    components.push(c('cache', 'cache', 'prod-shop-cache-euw1', 'aws', region, { engine: 'redis', nodeType: 'cache.r6g.large', replicas: 1, transitEncryption: true }, awsTags, at(600, 340)));
    relations.push(r('cache', 'data-subnets'), r('web-asg', 'cache', 'connects_to', { port: 6379 }));
  }
  if (version >= 3) {
    components.push(c('monitoring', 'monitoring', 'prod-shop-alarms-euw1', 'aws', region, { alarms: ['alb-5xx', 'db-cpu', 'asg-cpu'], retentionDays: 30 }, awsTags, at(400, 340)));
    relations.push(r('monitoring', 'web-asg', 'connects_to'), r('monitoring', 'db', 'connects_to'));
  }
  return { components, relations };
}

const azTags = { Environment: 'prod', Owner: 'data-eng', CostCenter: 'CC-2210' };

/** A data platform on Azure: ingestion stream, lake, pipelines, warehouse, secrets and monitoring. */
export function azureDataPlatform(version: 1 | 2): TBlueprintGraphInput {
  const region = 'westeurope';
  const components: TC[] = [
    c('vnet', 'vpc', 'prod-data-vnet-weu', 'azure', region, { addressSpace: '10.40.0.0/16' }, azTags, at(400, 40)),
    c('private-subnet', 'subnet', 'prod-data-private-weu', 'azure', region, { cidr: '10.40.1.0/24', privateEndpoints: true }, azTags, at(400, 140)),
    c('events', 'stream', 'prod-data-events-weu', 'azure', region, { service: 'event_hubs', sku: 'Standard', throughputUnits: 4, partitions: 16 }, azTags, at(100, 240)),
    c('lake', 'object_storage', 'prod-data-lake-weu', 'azure', region, { kind: 'StorageV2', hierarchicalNamespace: true, replication: 'ZRS', storageGb: 20000, publicAccess: false, encryption: 'Microsoft.Keyvault' }, azTags, at(300, 240)),
    c('pipelines', 'data_pipeline', 'prod-data-adf-weu', 'azure', region, { service: 'data_factory', managedVnet: true, schedules: ['hourly-ingest', 'nightly-compaction'] }, azTags, at(500, 240)),
    c('warehouse', 'data_warehouse', 'prod-data-synapse-weu', 'azure', region, { service: 'synapse', sku: version >= 2 ? 'DW500c' : 'DW200c', pauseOnIdle: version >= 2 }, azTags, at(700, 240)),
    c('vault', 'key_vault', 'prod-data-kv-weu', 'azure', region, { sku: 'premium', softDelete: true, purgeProtection: true }, azTags, at(500, 340)),
  ];
  const relations: TR[] = [
    r('private-subnet', 'vnet', 'contains'), r('lake', 'private-subnet'), r('warehouse', 'private-subnet'),
    r('pipelines', 'events', 'connects_to'), r('pipelines', 'lake', 'connects_to'), r('pipelines', 'warehouse', 'connects_to'),
    r('lake', 'vault'), r('warehouse', 'vault'),
  ];
  if (version >= 2) {
    components.push(c('monitoring', 'monitoring', 'prod-data-monitor-weu', 'azure', region, { workspace: 'log-analytics', retentionDays: 90 }, azTags, at(700, 340)));
    relations.push(r('monitoring', 'pipelines', 'connects_to'), r('monitoring', 'warehouse', 'connects_to'));
  }
  return { components, relations };
}

const gcpTags = { Environment: 'staging', Owner: 'platform', CostCenter: 'CC-3300' };

/** A containerised service on GKE: private cluster, managed Postgres and Redis, global load balancer, DNS. */
export function gcpGkeService(): TBlueprintGraphInput {
  const region = 'europe-west4';
  return {
    components: [
      c('network', 'vpc', 'staging-orders-vpc-euw4', 'gcp', region, { autoCreateSubnetworks: false }, gcpTags, at(400, 40)),
      c('subnet', 'subnet', 'staging-orders-nodes-euw4', 'gcp', region, { cidr: '10.60.0.0/20', secondaryRanges: { pods: '10.64.0.0/14', services: '10.68.0.0/20' } }, gcpTags, at(400, 140)),
      c('gke', 'container_cluster', 'staging-orders-gke-euw4', 'gcp', region, { mode: 'standard', releaseChannel: 'REGULAR', privateNodes: true, nodePools: [{ name: 'default', machineType: 'e2-standard-4', min: 2, max: 6 }] }, gcpTags, at(400, 240)),
      c('orders-api', 'container_service', 'staging-orders-api', 'gcp', region, { image: 'europe-docker.pkg.dev/acme/orders/api:1.14.2', replicas: 3, cpu: '500m', memory: '512Mi', port: 8080 }, gcpTags, at(400, 340)),
      c('sql', 'database', 'staging-orders-sql-euw4', 'gcp', region, { engine: 'postgres', version: 'POSTGRES_16', tier: 'db-custom-2-7680', highAvailability: false, backups: true, privateIp: true }, gcpTags, at(650, 340)),
      c('redis', 'cache', 'staging-orders-redis-euw4', 'gcp', region, { tier: 'STANDARD_HA', memoryGb: 4 }, gcpTags, at(650, 240)),
      c('lb', 'load_balancer', 'staging-orders-lb', 'gcp', 'global', { type: 'external-https', managedCertificate: true, healthCheckPath: '/ready' }, gcpTags, at(150, 340)),
      c('dns', 'dns_zone', 'staging-orders-dns', 'gcp', 'global', { dnsName: 'orders.staging.acme.example.' }, gcpTags, at(150, 440)),
    ],
    relations: [
      r('subnet', 'network', 'contains'), r('gke', 'subnet'), r('orders-api', 'gke'), r('gke', 'orders-api', 'contains'),
      r('orders-api', 'sql', 'connects_to', { port: 5432 }), r('orders-api', 'redis', 'connects_to', { port: 6379 }),
      r('lb', 'orders-api', 'connects_to', { port: 443 }), r('dns', 'lb', 'connects_to'), r('sql', 'subnet'), r('redis', 'subnet'),
    ],
  };
}

/** A small serverless API, used to give lists some variety. */
export function awsServerlessApi(): TBlueprintGraphInput {
  const region = 'us-east-1';
  const tags = { Environment: 'dev', Owner: 'mobile-team', CostCenter: 'CC-1077' };
  return {
    components: [
      c('api', 'api_gateway', 'dev-mobile-api-use1', 'aws', region, { type: 'HTTP', throttlingRps: 200 }, tags, at(100, 100)),
      c('handler', 'function', 'dev-mobile-handler-use1', 'aws', region, { runtime: 'nodejs20.x', memoryMb: 512, timeoutSeconds: 10 }, tags, at(300, 100)),
      c('queue', 'queue', 'dev-mobile-jobs-use1', 'aws', region, { fifo: false, visibilityTimeoutSeconds: 60 }, tags, at(500, 100)),
      c('table', 'database', 'dev-mobile-table-use1', 'aws', region, { engine: 'dynamodb', billing: 'PAY_PER_REQUEST', pointInTimeRecovery: true }, tags, at(300, 250)),
    ],
    relations: [r('api', 'handler', 'connects_to'), r('handler', 'queue', 'connects_to'), r('handler', 'table', 'connects_to')],
  };
}
