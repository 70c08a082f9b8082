/**
 * A price book: on-demand list prices per cloud, region and SKU, each with its unit, the date it was taken and where
 * from. The shipped book below is the public list prices of the catalog's common SKUs (USD, Linux, on-demand),
 * transcribed from the providers' pricing pages; a tenant adds its own prices and discounts on top (a later step).
 */
export const UNITS = ['hour', 'GB-month', 'month'] as const;
export type TUnit = (typeof UNITS)[number];

export interface TPrice {
  cloud: 'aws' | 'azure' | 'gcp';
  region: string;
  /** `<service>:<sku>`, e.g. `ec2:m5.large`, `rds:postgres:db.r6g.large`, `s3:standard`. */
  sku: string;
  unit: TUnit;
  /** USD per unit. */
  price: number;
  /** When this price was taken (YYYY-MM-DD). */
  effective: string;
  source: string;
}

export interface TPriceBook {
  /** Version of the book, so an estimate says which prices it used. */
  version: string;
  prices: readonly TPrice[];
}

const AWS_EC2 = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const AWS_RDS = 'https://aws.amazon.com/rds/postgresql/pricing/';
const AWS_EBS = 'https://aws.amazon.com/ebs/pricing/';
const AWS_S3 = 'https://aws.amazon.com/s3/pricing/';
const AWS_CACHE = 'https://aws.amazon.com/elasticache/pricing/';
const AWS_ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const AWS_KINESIS = 'https://aws.amazon.com/kinesis/data-streams/pricing/';
const AWS_R53 = 'https://aws.amazon.com/route53/pricing/';
const AZ_VM = 'https://azure.microsoft.com/pricing/details/virtual-machines/linux/';
const AZ_PG = 'https://azure.microsoft.com/pricing/details/postgresql/flexible-server/';
const AZ_BLOB = 'https://azure.microsoft.com/pricing/details/storage/blobs/';
const AZ_REDIS = 'https://azure.microsoft.com/pricing/details/cache/';
const GCP_VM = 'https://cloud.google.com/compute/vm-instance-pricing';
const GCP_SQL = 'https://cloud.google.com/sql/pricing';
const GCP_GCS = 'https://cloud.google.com/storage/pricing';
const GCP_REDIS = 'https://cloud.google.com/memorystore/docs/redis/pricing';
const GCP_GKE = 'https://cloud.google.com/kubernetes-engine/pricing';

const TAKEN = '2026-11-30';
type TRow = [region: string, sku: string, unit: TUnit, price: number, source: string];
const rows = (cloud: TPrice['cloud'], list: TRow[]): TPrice[] => list.map(([region, sku, unit, price, source]) => ({ cloud, region, sku, unit, price, effective: TAKEN, source }));

export const PUBLIC_PRICE_BOOK: TPriceBook = {
  version: `public-${TAKEN}`,
  prices: [
    ...rows('aws', [
      ['us-east-1', 'ec2:t3.micro', 'hour', 0.0104, AWS_EC2], ['us-east-1', 'ec2:t3.small', 'hour', 0.0208, AWS_EC2], ['us-east-1', 'ec2:t3.medium', 'hour', 0.0416, AWS_EC2],
      ['us-east-1', 'ec2:t3.large', 'hour', 0.0832, AWS_EC2], ['us-east-1', 'ec2:m5.large', 'hour', 0.096, AWS_EC2], ['us-east-1', 'ec2:m5.xlarge', 'hour', 0.192, AWS_EC2],
      ['us-east-1', 'ec2:m5.2xlarge', 'hour', 0.384, AWS_EC2], ['us-east-1', 'ec2:m6i.large', 'hour', 0.096, AWS_EC2], ['us-east-1', 'ec2:m6i.xlarge', 'hour', 0.192, AWS_EC2],
      ['us-east-1', 'ec2:c5.large', 'hour', 0.085, AWS_EC2], ['us-east-1', 'ec2:r5.large', 'hour', 0.126, AWS_EC2],
      ['eu-west-1', 'ec2:t3.micro', 'hour', 0.0114, AWS_EC2], ['eu-west-1', 'ec2:t3.small', 'hour', 0.0228, AWS_EC2], ['eu-west-1', 'ec2:t3.medium', 'hour', 0.0456, AWS_EC2],
      ['eu-west-1', 'ec2:t3.large', 'hour', 0.0912, AWS_EC2], ['eu-west-1', 'ec2:m5.large', 'hour', 0.107, AWS_EC2], ['eu-west-1', 'ec2:m5.xlarge', 'hour', 0.214, AWS_EC2],
      ['eu-west-1', 'ec2:m5.2xlarge', 'hour', 0.428, AWS_EC2], ['eu-west-1', 'ec2:m6i.large', 'hour', 0.107, AWS_EC2], ['eu-west-1', 'ec2:m6i.xlarge', 'hour', 0.214, AWS_EC2],
      ['eu-west-1', 'ec2:c5.large', 'hour', 0.096, AWS_EC2], ['eu-west-1', 'ec2:r5.large', 'hour', 0.141, AWS_EC2],
      ['us-east-1', 'ebs:gp3', 'GB-month', 0.08, AWS_EBS], ['eu-west-1', 'ebs:gp3', 'GB-month', 0.088, AWS_EBS],
      ['us-east-1', 'rds:postgres:db.t4g.micro', 'hour', 0.016, AWS_RDS], ['us-east-1', 'rds:postgres:db.t4g.medium', 'hour', 0.065, AWS_RDS],
      ['us-east-1', 'rds:postgres:db.m6g.large', 'hour', 0.152, AWS_RDS], ['us-east-1', 'rds:postgres:db.r6g.large', 'hour', 0.225, AWS_RDS],
      ['eu-west-1', 'rds:postgres:db.t4g.micro', 'hour', 0.018, AWS_RDS], ['eu-west-1', 'rds:postgres:db.t4g.medium', 'hour', 0.072, AWS_RDS],
      ['eu-west-1', 'rds:postgres:db.m6g.large', 'hour', 0.168, AWS_RDS], ['eu-west-1', 'rds:postgres:db.r6g.large', 'hour', 0.25, AWS_RDS],
      ['us-east-1', 'rds:storage-gp3', 'GB-month', 0.115, AWS_RDS], ['eu-west-1', 'rds:storage-gp3', 'GB-month', 0.127, AWS_RDS],
      ['us-east-1', 's3:standard', 'GB-month', 0.023, AWS_S3], ['eu-west-1', 's3:standard', 'GB-month', 0.023, AWS_S3],
      ['us-east-1', 's3:standard_ia', 'GB-month', 0.0125, AWS_S3], ['eu-west-1', 's3:standard_ia', 'GB-month', 0.0125, AWS_S3],
      ['us-east-1', 'elasticache:cache.t4g.small', 'hour', 0.032, AWS_CACHE], ['us-east-1', 'elasticache:cache.r6g.large', 'hour', 0.206, AWS_CACHE],
      ['eu-west-1', 'elasticache:cache.t4g.small', 'hour', 0.036, AWS_CACHE], ['eu-west-1', 'elasticache:cache.r6g.large', 'hour', 0.228, AWS_CACHE],
      ['us-east-1', 'elb:application', 'hour', 0.0225, AWS_ELB], ['eu-west-1', 'elb:application', 'hour', 0.0252, AWS_ELB],
      ['us-east-1', 'elb:network', 'hour', 0.0225, AWS_ELB], ['eu-west-1', 'elb:network', 'hour', 0.0252, AWS_ELB],
      ['us-east-1', 'kinesis:shard', 'hour', 0.015, AWS_KINESIS], ['eu-west-1', 'kinesis:shard', 'hour', 0.017, AWS_KINESIS],
      ['global', 'route53:hosted-zone', 'month', 0.5, AWS_R53],
    ]),
    ...rows('azure', [
      ['eastus', 'vm:Standard_B2s', 'hour', 0.0416, AZ_VM], ['eastus', 'vm:Standard_D2s_v5', 'hour', 0.096, AZ_VM], ['eastus', 'vm:Standard_D4s_v5', 'hour', 0.192, AZ_VM],
      ['westeurope', 'vm:Standard_B2s', 'hour', 0.048, AZ_VM], ['westeurope', 'vm:Standard_D2s_v5', 'hour', 0.115, AZ_VM], ['westeurope', 'vm:Standard_D4s_v5', 'hour', 0.23, AZ_VM],
      ['eastus', 'postgres-flex:GP_Standard_D2s_v3', 'hour', 0.178, AZ_PG], ['westeurope', 'postgres-flex:GP_Standard_D2s_v3', 'hour', 0.194, AZ_PG],
      ['eastus', 'postgres-flex:storage', 'GB-month', 0.115, AZ_PG], ['westeurope', 'postgres-flex:storage', 'GB-month', 0.127, AZ_PG],
      ['eastus', 'blob:hot-LRS', 'GB-month', 0.0184, AZ_BLOB], ['eastus', 'blob:hot-ZRS', 'GB-month', 0.023, AZ_BLOB],
      ['westeurope', 'blob:hot-LRS', 'GB-month', 0.02, AZ_BLOB], ['westeurope', 'blob:hot-ZRS', 'GB-month', 0.025, AZ_BLOB],
      ['eastus', 'redis:Standard-C1', 'hour', 0.1, AZ_REDIS], ['westeurope', 'redis:Standard-C1', 'hour', 0.11, AZ_REDIS],
    ]),
    ...rows('gcp', [
      ['us-central1', 'gce:e2-standard-2', 'hour', 0.067006, GCP_VM], ['us-central1', 'gce:e2-standard-4', 'hour', 0.134012, GCP_VM],
      ['europe-west4', 'gce:e2-standard-2', 'hour', 0.073739, GCP_VM], ['europe-west4', 'gce:e2-standard-4', 'hour', 0.147478, GCP_VM],
      ['us-central1', 'cloudsql:vcpu', 'hour', 0.0413, GCP_SQL], ['us-central1', 'cloudsql:ram-gb', 'hour', 0.007, GCP_SQL], ['us-central1', 'cloudsql:ssd', 'GB-month', 0.17, GCP_SQL],
      ['europe-west4', 'cloudsql:vcpu', 'hour', 0.0454, GCP_SQL], ['europe-west4', 'cloudsql:ram-gb', 'hour', 0.0077, GCP_SQL], ['europe-west4', 'cloudsql:ssd', 'GB-month', 0.187, GCP_SQL],
      ['us-central1', 'gcs:standard', 'GB-month', 0.02, GCP_GCS], ['europe-west4', 'gcs:standard', 'GB-month', 0.02, GCP_GCS],
      ['us-central1', 'gcs:nearline', 'GB-month', 0.01, GCP_GCS], ['europe-west4', 'gcs:nearline', 'GB-month', 0.01, GCP_GCS],
      ['us-central1', 'memorystore:BASIC-gb', 'hour', 0.049, GCP_REDIS], ['us-central1', 'memorystore:STANDARD_HA-gb', 'hour', 0.064, GCP_REDIS],
      ['europe-west4', 'memorystore:BASIC-gb', 'hour', 0.054, GCP_REDIS], ['europe-west4', 'memorystore:STANDARD_HA-gb', 'hour', 0.07, GCP_REDIS],
      ['global', 'gke:cluster', 'hour', 0.1, GCP_GKE],
    ]),
  ],
};

/** A tenant's own prices and discounts, as stored (the price a number, an empty prefix meaning the whole cloud). */
export interface TTenantPrices {
  prices: readonly { cloud: string; region: string; sku: string; unit: string; price: number; effective: string; source: string }[];
  discounts: readonly { cloud: string; skuPrefix: string; percent: number }[];
}

/**
 * The books and discounts a tenant's estimates use: the public book, its own prices over it (a later book wins for the
 * same cloud, region and SKU), its discounts. One rule for the services and the designer in the browser.
 */
export function tenantPricing(own: TTenantPrices, label = 'tenant') {
  const book: TPriceBook = {
    version: `${label}-prices`,
    prices: own.prices.map((p) => ({ cloud: p.cloud as TPrice['cloud'], region: p.region, sku: p.sku, unit: p.unit as TUnit, price: p.price, effective: p.effective, source: p.source || 'tenant price' })),
  };
  return {
    books: book.prices.length ? [PUBLIC_PRICE_BOOK, book] : [PUBLIC_PRICE_BOOK],
    discounts: own.discounts.map((d) => ({ cloud: d.cloud as TPrice['cloud'], ...(d.skuPrefix ? { skuPrefix: d.skuPrefix } : {}), percent: d.percent })),
  };
}
