import type { COMPONENT_KINDS, CLOUDS } from '@dharma/db/blueprint-graph';
import { bool, CIDR, int, obj, objs, str, strs, type TPropSpec } from './properties';

export type TKind = (typeof COMPONENT_KINDS)[number];
export type TCloud = (typeof CLOUDS)[number];
export type TCategory = 'compute' | 'storage' | 'network' | 'database' | 'other';

/** The resource a component becomes in each format that can express it (CloudFormation: AWS; Bicep: Azure). */
export interface TResourceTypes {
  terraform: string;
  /** Pulumi's type token, `package:module/resource:Resource`. */
  pulumi: string;
  cloudformation?: string;
  /** `Namespace/type@apiVersion`. */
  bicep?: string;
}

export interface TCatalogEntry {
  kind: TKind;
  cloud: TCloud;
  label: string;
  /** The provider's service, as its console names it. */
  service: string;
  category: TCategory;
  properties: TPropSpec[];
  resources: TResourceTypes;
  /** Properties of which at least one must be set (a subnet's one CIDR block, or its blocks per zone). */
  requireOne?: readonly string[];
  /** Another resource type when a property has one of some values (a DynamoDB table is not an RDS instance). */
  variants?: { property: string; values: readonly string[]; label: string; resources: TResourceTypes; properties?: TPropSpec[] }[];
}

const ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlserver'] as const;
const storageGb = int('storageGb', 'Storage (GB)', { min: 1, max: 65536 });

/** Properties every cloud's variant of a kind shares. */
const common: Record<TKind, TPropSpec[]> = {
  vpc: [],
  subnet: [bool('public', 'Public (internet-routable)', { default: false })],
  security_group: [objs('rules', 'Rules', { help: '[{ direction: ingress|egress, protocol, port, cidr }]' })],
  load_balancer: [str('healthCheckPath', 'Health check path', { default: '/', pattern: { source: '^/', means: 'a path starting with /' } })],
  vm: [int('diskGb', 'Disk (GB)', { min: 8, max: 16384, default: 30 }), str('image', 'Image'), str('schedule', 'Run schedule', { enum: ['always', 'weekdays-12h'], default: 'always', help: 'weekdays-12h: priced for 12 hours a day on weekdays; the generated code does not create the scheduler' })],
  autoscaling_group: [str('schedule', 'Run schedule', { enum: ['always', 'weekdays-12h'], default: 'always' }), int('min', 'Minimum', { required: true, min: 0, max: 1000 }), int('max', 'Maximum', { required: true, min: 1, max: 1000 }), int('desired', 'Desired', { min: 0, max: 1000 })],
  container_cluster: [str('kubernetesVersion', 'Kubernetes version', { pattern: { source: '^1\\.\\d+$', means: 'a minor version such as 1.30' } })],
  container_service: [str('image', 'Container image', { required: true }), int('replicas', 'Replicas', { min: 0, max: 1000, default: 1 }), str('cpu', 'CPU', { default: '250m' }), str('memory', 'Memory', { default: '512Mi' }), int('port', 'Port', { min: 1, max: 65535 })],
  function: [str('runtime', 'Runtime', { required: true }), int('memoryMb', 'Memory (MB)', { min: 128, max: 10240, default: 256 }), int('timeoutSeconds', 'Timeout (s)', { min: 1, max: 900, default: 30 })],
  database: [
    str('engine', 'Engine', { required: true }),
    storageGb,
    bool('encrypted', 'Encrypted at rest', { default: true }),
    bool('publiclyAccessible', 'Publicly accessible', { default: false }),
    int('backupRetentionDays', 'Backup retention (days)', { min: 0, max: 35, default: 7 }),
    str('adminPassword', 'Administrator password', { secret: true, help: 'never stored: a generated variable or parameter' }),
  ],
  cache: [str('engine', 'Engine', { enum: ['redis', 'memcached', 'valkey'], default: 'redis' }), bool('transitEncryption', 'Encryption in transit', { default: true })],
  object_storage: [storageGb, bool('versioning', 'Versioning', { default: false }), bool('publicAccess', 'Public access', { default: false }), str('encryption', 'Encryption')],
  file_storage: [storageGb, bool('encrypted', 'Encrypted at rest', { default: true })],
  queue: [int('visibilityTimeoutSeconds', 'Visibility timeout (s)', { min: 0, max: 43200, default: 30 }), int('retentionSeconds', 'Retention (s)', { min: 60, max: 1209600, default: 345600 })],
  stream: [int('partitions', 'Partitions / shards', { min: 1, max: 1024, default: 1 }), int('retentionHours', 'Retention (hours)', { min: 1, max: 8760, default: 24 })],
  dns_zone: [str('dnsName', 'Domain', { required: true, pattern: { source: '^([a-z0-9-]+\\.)+[a-z]{2,}\\.?$', means: 'a domain name such as example.com' } }), bool('private', 'Private zone', { default: false })],
  cdn: [str('minTlsVersion', 'Minimum TLS version')],
  api_gateway: [str('type', 'Type', { enum: ['HTTP', 'REST', 'WEBSOCKET'], default: 'HTTP' }), int('throttlingRps', 'Throttling (requests/s)', { min: 1, max: 100000 })],
  key_vault: [bool('softDelete', 'Soft delete', { default: true }), bool('purgeProtection', 'Purge protection', { default: true })],
  data_warehouse: [str('sku', 'Size / SKU'), bool('pauseOnIdle', 'Pause when idle', { default: false })],
  data_pipeline: [strs('schedules', 'Schedules')],
  identity_role: [strs('policies', 'Policies / roles'), str('assumedBy', 'Assumed by')],
  monitoring: [int('retentionDays', 'Retention (days)', { min: 1, max: 3650, default: 30 }), strs('alarms', 'Alarms')],
};

type TSpecific = Omit<TCatalogEntry, 'kind' | 'cloud' | 'properties'> & { properties?: TPropSpec[] };

/** What differs per cloud: the service, its resource types and its own properties (sizes, SKUs, tiers). */
const specific: Record<TKind, Record<TCloud, TSpecific>> = {
  vpc: {
    aws: { label: 'VPC', service: 'Amazon VPC', category: 'network', properties: [str('cidr', 'CIDR block', { required: true, pattern: CIDR }), bool('enableDnsHostnames', 'DNS hostnames', { default: true })], resources: { terraform: 'aws_vpc', pulumi: 'aws:ec2/vpc:Vpc', cloudformation: 'AWS::EC2::VPC' } },
    azure: { label: 'Virtual network', service: 'Azure Virtual Network', category: 'network', properties: [str('addressSpace', 'Address space', { required: true, pattern: CIDR })], resources: { terraform: 'azurerm_virtual_network', pulumi: 'azure-native:network:VirtualNetwork', bicep: 'Microsoft.Network/virtualNetworks@2023-09-01' } },
    gcp: { label: 'VPC network', service: 'Google VPC', category: 'network', properties: [bool('autoCreateSubnetworks', 'Auto-create subnetworks', { default: false })], resources: { terraform: 'google_compute_network', pulumi: 'gcp:compute/network:Network' } },
  },
  subnet: {
    aws: { label: 'Subnets', service: 'Amazon VPC', category: 'network', properties: [str('cidr', 'CIDR block', { pattern: CIDR }), strs('cidrs', 'CIDR blocks (one subnet per zone)', { pattern: CIDR }), int('availabilityZones', 'Availability zones', { min: 1, max: 6, default: 2 })], requireOne: ['cidr', 'cidrs'], resources: { terraform: 'aws_subnet', pulumi: 'aws:ec2/subnet:Subnet', cloudformation: 'AWS::EC2::Subnet' } },
    azure: { label: 'Subnet', service: 'Azure Virtual Network', category: 'network', properties: [str('cidr', 'Address prefix', { required: true, pattern: CIDR }), bool('privateEndpoints', 'Private endpoints', { default: false })], resources: { terraform: 'azurerm_subnet', pulumi: 'azure-native:network:Subnet', bicep: 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' } },
    gcp: { label: 'Subnetwork', service: 'Google VPC', category: 'network', properties: [str('cidr', 'IP range', { required: true, pattern: CIDR }), obj('secondaryRanges', 'Secondary ranges')], resources: { terraform: 'google_compute_subnetwork', pulumi: 'gcp:compute/subnetwork:Subnetwork' } },
  },
  security_group: {
    aws: { label: 'Security group', service: 'Amazon VPC', category: 'network', resources: { terraform: 'aws_security_group', pulumi: 'aws:ec2/securityGroup:SecurityGroup', cloudformation: 'AWS::EC2::SecurityGroup' } },
    azure: { label: 'Network security group', service: 'Azure Virtual Network', category: 'network', resources: { terraform: 'azurerm_network_security_group', pulumi: 'azure-native:network:NetworkSecurityGroup', bicep: 'Microsoft.Network/networkSecurityGroups@2023-09-01' } },
    gcp: { label: 'Firewall', service: 'Google VPC', category: 'network', resources: { terraform: 'google_compute_firewall', pulumi: 'gcp:compute/firewall:Firewall' } },
  },
  load_balancer: {
    aws: { label: 'Load balancer', service: 'Elastic Load Balancing', category: 'network', properties: [str('type', 'Type', { enum: ['application', 'network'], default: 'application' }), str('scheme', 'Scheme', { enum: ['internet-facing', 'internal'], default: 'internet-facing' }), objs('listeners', 'Listeners')], resources: { terraform: 'aws_lb', pulumi: 'aws:lb/loadBalancer:LoadBalancer', cloudformation: 'AWS::ElasticLoadBalancingV2::LoadBalancer' } },
    azure: { label: 'Load balancer', service: 'Azure Load Balancer', category: 'network', properties: [str('sku', 'SKU', { enum: ['Basic', 'Standard', 'Gateway'], default: 'Standard' })], resources: { terraform: 'azurerm_lb', pulumi: 'azure-native:network:LoadBalancer', bicep: 'Microsoft.Network/loadBalancers@2023-09-01' } },
    gcp: { label: 'Load balancer', service: 'Cloud Load Balancing', category: 'network', properties: [str('type', 'Type', { enum: ['external-https', 'internal-https', 'network'], default: 'external-https' }), bool('managedCertificate', 'Managed certificate', { default: true })], resources: { terraform: 'google_compute_global_forwarding_rule', pulumi: 'gcp:compute/globalForwardingRule:GlobalForwardingRule' } },
  },
  vm: {
    aws: { label: 'EC2 instance', service: 'Amazon EC2', category: 'compute', properties: [str('instanceType', 'Instance type', { required: true, pattern: { source: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$', means: 'an EC2 instance type such as t3.micro' } })], resources: { terraform: 'aws_instance', pulumi: 'aws:ec2/instance:Instance', cloudformation: 'AWS::EC2::Instance' } },
    azure: { label: 'Virtual machine', service: 'Azure Virtual Machines', category: 'compute', properties: [str('vmSize', 'VM size', { required: true, pattern: { source: '^Standard_[A-Za-z0-9_]+$', means: 'an Azure VM size such as Standard_B2s' } })], resources: { terraform: 'azurerm_linux_virtual_machine', pulumi: 'azure-native:compute:VirtualMachine', bicep: 'Microsoft.Compute/virtualMachines@2024-03-01' } },
    gcp: { label: 'Compute instance', service: 'Compute Engine', category: 'compute', properties: [str('machineType', 'Machine type', { required: true, pattern: { source: '^[a-z0-9]+-[a-z0-9-]+$', means: 'a machine type such as e2-standard-2' } })], resources: { terraform: 'google_compute_instance', pulumi: 'gcp:compute/instance:Instance' } },
  },
  autoscaling_group: {
    aws: { label: 'Auto Scaling group', service: 'Amazon EC2 Auto Scaling', category: 'compute', properties: [str('instanceType', 'Instance type', { required: true, pattern: { source: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$', means: 'an EC2 instance type such as m5.large' } })], resources: { terraform: 'aws_autoscaling_group', pulumi: 'aws:autoscaling/group:Group', cloudformation: 'AWS::AutoScaling::AutoScalingGroup' } },
    azure: { label: 'VM scale set', service: 'Azure Virtual Machine Scale Sets', category: 'compute', properties: [str('vmSize', 'VM size', { required: true, pattern: { source: '^Standard_[A-Za-z0-9_]+$', means: 'an Azure VM size such as Standard_D2s_v5' } })], resources: { terraform: 'azurerm_linux_virtual_machine_scale_set', pulumi: 'azure-native:compute:VirtualMachineScaleSet', bicep: 'Microsoft.Compute/virtualMachineScaleSets@2024-03-01' } },
    gcp: { label: 'Managed instance group', service: 'Compute Engine', category: 'compute', properties: [str('machineType', 'Machine type', { required: true, pattern: { source: '^[a-z0-9]+-[a-z0-9-]+$', means: 'a machine type such as e2-standard-2' } })], resources: { terraform: 'google_compute_region_instance_group_manager', pulumi: 'gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager' } },
  },
  container_cluster: {
    aws: { label: 'EKS cluster', service: 'Amazon EKS', category: 'compute', properties: [objs('nodeGroups', 'Node groups')], resources: { terraform: 'aws_eks_cluster', pulumi: 'aws:eks/cluster:Cluster', cloudformation: 'AWS::EKS::Cluster' } },
    azure: { label: 'AKS cluster', service: 'Azure Kubernetes Service', category: 'compute', properties: [str('nodeVmSize', 'Node VM size', { default: 'Standard_D2s_v5' }), int('nodeCount', 'Nodes', { min: 1, max: 1000, default: 3 })], resources: { terraform: 'azurerm_kubernetes_cluster', pulumi: 'azure-native:containerservice:ManagedCluster', bicep: 'Microsoft.ContainerService/managedClusters@2024-02-01' } },
    gcp: { label: 'GKE cluster', service: 'Google Kubernetes Engine', category: 'compute', properties: [str('mode', 'Mode', { enum: ['standard', 'autopilot'], default: 'standard' }), str('releaseChannel', 'Release channel', { enum: ['RAPID', 'REGULAR', 'STABLE'], default: 'REGULAR' }), bool('privateNodes', 'Private nodes', { default: true }), objs('nodePools', 'Node pools')], resources: { terraform: 'google_container_cluster', pulumi: 'gcp:container/cluster:Cluster' } },
  },
  container_service: {
    aws: { label: 'ECS service', service: 'Amazon ECS', category: 'compute', resources: { terraform: 'aws_ecs_service', pulumi: 'aws:ecs/service:Service', cloudformation: 'AWS::ECS::Service' } },
    azure: { label: 'Container app', service: 'Azure Container Apps', category: 'compute', resources: { terraform: 'azurerm_container_app', pulumi: 'azure-native:app:ContainerApp', bicep: 'Microsoft.App/containerApps@2024-03-01' } },
    gcp: { label: 'Cloud Run service', service: 'Cloud Run', category: 'compute', resources: { terraform: 'google_cloud_run_v2_service', pulumi: 'gcp:cloudrunv2/service:Service' } },
  },
  function: {
    aws: { label: 'Lambda function', service: 'AWS Lambda', category: 'compute', resources: { terraform: 'aws_lambda_function', pulumi: 'aws:lambda/function:Function', cloudformation: 'AWS::Lambda::Function' } },
    azure: { label: 'Function app', service: 'Azure Functions', category: 'compute', resources: { terraform: 'azurerm_linux_function_app', pulumi: 'azure-native:web:WebApp', bicep: 'Microsoft.Web/sites@2023-12-01' } },
    gcp: { label: 'Cloud Function', service: 'Cloud Functions', category: 'compute', resources: { terraform: 'google_cloudfunctions2_function', pulumi: 'gcp:cloudfunctionsv2/function:Function' } },
  },
  database: {
    aws: {
      label: 'RDS database', service: 'Amazon RDS', category: 'database',
      properties: [str('engine', 'Engine', { required: true, enum: [...ENGINES, 'aurora-postgresql', 'aurora-mysql', 'dynamodb'] }), str('engineVersion', 'Engine version'), str('instanceClass', 'Instance class', { pattern: { source: '^db\\.[a-z0-9]+\\.[a-z0-9]+$', means: 'an RDS instance class such as db.t4g.medium' } }), bool('multiAz', 'Multi-AZ', { default: false })],
      resources: { terraform: 'aws_db_instance', pulumi: 'aws:rds/instance:Instance', cloudformation: 'AWS::RDS::DBInstance' },
      variants: [{ property: 'engine', values: ['dynamodb'], label: 'DynamoDB table', resources: { terraform: 'aws_dynamodb_table', pulumi: 'aws:dynamodb/table:Table', cloudformation: 'AWS::DynamoDB::Table' }, properties: [str('billing', 'Billing', { enum: ['PAY_PER_REQUEST', 'PROVISIONED'], default: 'PAY_PER_REQUEST' }), bool('pointInTimeRecovery', 'Point-in-time recovery', { default: true })] }],
    },
    azure: { label: 'Database server', service: 'Azure Database for PostgreSQL', category: 'database', properties: [str('engine', 'Engine', { required: true, enum: ['postgres'] }), str('skuName', 'SKU', { default: 'GP_Standard_D2s_v3' }), str('version', 'Version', { default: '16' }), bool('zoneRedundant', 'Zone redundant', { default: false })], resources: { terraform: 'azurerm_postgresql_flexible_server', pulumi: 'azure-native:dbforpostgresql:Server', bicep: 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' } },
    gcp: { label: 'Cloud SQL instance', service: 'Cloud SQL', category: 'database', properties: [str('engine', 'Engine', { required: true, enum: ['postgres', 'mysql', 'sqlserver'] }), str('version', 'Database version', { default: 'POSTGRES_16' }), str('tier', 'Tier', { default: 'db-custom-2-7680' }), bool('highAvailability', 'High availability', { default: false }), bool('backups', 'Backups', { default: true }), bool('privateIp', 'Private IP', { default: true })], resources: { terraform: 'google_sql_database_instance', pulumi: 'gcp:sql/databaseInstance:DatabaseInstance' } },
  },
  cache: {
    aws: { label: 'ElastiCache', service: 'Amazon ElastiCache', category: 'database', properties: [str('nodeType', 'Node type', { default: 'cache.t4g.small', pattern: { source: '^cache\\.[a-z0-9]+\\.[a-z0-9]+$', means: 'a node type such as cache.r6g.large' } }), int('replicas', 'Replicas', { min: 0, max: 5, default: 0 })], resources: { terraform: 'aws_elasticache_replication_group', pulumi: 'aws:elasticache/replicationGroup:ReplicationGroup', cloudformation: 'AWS::ElastiCache::ReplicationGroup' } },
    azure: { label: 'Azure Cache for Redis', service: 'Azure Cache for Redis', category: 'database', properties: [str('sku', 'SKU', { enum: ['Basic', 'Standard', 'Premium'], default: 'Standard' }), int('capacity', 'Capacity', { min: 0, max: 6, default: 1 })], resources: { terraform: 'azurerm_redis_cache', pulumi: 'azure-native:cache:Redis', bicep: 'Microsoft.Cache/redis@2023-08-01' } },
    gcp: { label: 'Memorystore', service: 'Memorystore for Redis', category: 'database', properties: [str('tier', 'Tier', { enum: ['BASIC', 'STANDARD_HA'], default: 'BASIC' }), int('memoryGb', 'Memory (GB)', { min: 1, max: 300, default: 1 })], resources: { terraform: 'google_redis_instance', pulumi: 'gcp:redis/instance:Instance' } },
  },
  object_storage: {
    aws: { label: 'S3 bucket', service: 'Amazon S3', category: 'storage', properties: [str('storageClass', 'Storage class', { enum: ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR'], default: 'STANDARD' })], resources: { terraform: 'aws_s3_bucket', pulumi: 'aws:s3/bucketV2:BucketV2', cloudformation: 'AWS::S3::Bucket' } },
    azure: { label: 'Storage account', service: 'Azure Storage', category: 'storage', properties: [str('kind', 'Kind', { enum: ['StorageV2', 'BlobStorage', 'BlockBlobStorage'], default: 'StorageV2' }), str('replication', 'Replication', { enum: ['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS'], default: 'LRS' }), bool('hierarchicalNamespace', 'Hierarchical namespace', { default: false }), str('accessTier', 'Access tier', { enum: ['Hot', 'Cool', 'Cold'], default: 'Hot' })], resources: { terraform: 'azurerm_storage_account', pulumi: 'azure-native:storage:StorageAccount', bicep: 'Microsoft.Storage/storageAccounts@2023-05-01' } },
    gcp: { label: 'Cloud Storage bucket', service: 'Cloud Storage', category: 'storage', properties: [str('storageClass', 'Storage class', { enum: ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'], default: 'STANDARD' })], resources: { terraform: 'google_storage_bucket', pulumi: 'gcp:storage/bucket:Bucket' } },
  },
  file_storage: {
    aws: { label: 'EFS file system', service: 'Amazon EFS', category: 'storage', resources: { terraform: 'aws_efs_file_system', pulumi: 'aws:efs/fileSystem:FileSystem', cloudformation: 'AWS::EFS::FileSystem' } },
    azure: { label: 'File share', service: 'Azure Files', category: 'storage', resources: { terraform: 'azurerm_storage_share', pulumi: 'azure-native:storage:FileShare', bicep: 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' } },
    gcp: { label: 'Filestore instance', service: 'Filestore', category: 'storage', properties: [str('tier', 'Tier', { enum: ['BASIC_HDD', 'BASIC_SSD', 'ZONAL', 'REGIONAL'], default: 'BASIC_HDD' })], resources: { terraform: 'google_filestore_instance', pulumi: 'gcp:filestore/instance:Instance' } },
  },
  queue: {
    aws: { label: 'SQS queue', service: 'Amazon SQS', category: 'other', properties: [bool('fifo', 'FIFO', { default: false })], resources: { terraform: 'aws_sqs_queue', pulumi: 'aws:sqs/queue:Queue', cloudformation: 'AWS::SQS::Queue' } },
    azure: { label: 'Service Bus queue', service: 'Azure Service Bus', category: 'other', resources: { terraform: 'azurerm_servicebus_queue', pulumi: 'azure-native:servicebus:Queue', bicep: 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' } },
    gcp: { label: 'Pub/Sub subscription', service: 'Pub/Sub', category: 'other', resources: { terraform: 'google_pubsub_topic', pulumi: 'gcp:pubsub/topic:Topic' } },
  },
  stream: {
    aws: { label: 'Kinesis stream', service: 'Amazon Kinesis Data Streams', category: 'other', resources: { terraform: 'aws_kinesis_stream', pulumi: 'aws:kinesis/stream:Stream', cloudformation: 'AWS::Kinesis::Stream' } },
    azure: { label: 'Event hub', service: 'Azure Event Hubs', category: 'other', properties: [str('service', 'Service', { enum: ['event_hubs'], default: 'event_hubs' }), str('sku', 'SKU', { enum: ['Basic', 'Standard', 'Premium'], default: 'Standard' }), int('throughputUnits', 'Throughput units', { min: 1, max: 40, default: 1 })], resources: { terraform: 'azurerm_eventhub_namespace', pulumi: 'azure-native:eventhub:Namespace', bicep: 'Microsoft.EventHub/namespaces@2024-01-01' } },
    gcp: { label: 'Pub/Sub topic', service: 'Pub/Sub', category: 'other', resources: { terraform: 'google_pubsub_topic', pulumi: 'gcp:pubsub/topic:Topic' } },
  },
  dns_zone: {
    aws: { label: 'Route 53 zone', service: 'Amazon Route 53', category: 'network', resources: { terraform: 'aws_route53_zone', pulumi: 'aws:route53/zone:Zone', cloudformation: 'AWS::Route53::HostedZone' } },
    azure: { label: 'DNS zone', service: 'Azure DNS', category: 'network', resources: { terraform: 'azurerm_dns_zone', pulumi: 'azure-native:network:Zone', bicep: 'Microsoft.Network/dnsZones@2018-05-01' } },
    gcp: { label: 'Cloud DNS zone', service: 'Cloud DNS', category: 'network', resources: { terraform: 'google_dns_managed_zone', pulumi: 'gcp:dns/managedZone:ManagedZone' } },
  },
  cdn: {
    aws: { label: 'CloudFront distribution', service: 'Amazon CloudFront', category: 'network', properties: [str('priceClass', 'Price class', { enum: ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'], default: 'PriceClass_100' })], resources: { terraform: 'aws_cloudfront_distribution', pulumi: 'aws:cloudfront/distribution:Distribution', cloudformation: 'AWS::CloudFront::Distribution' } },
    azure: { label: 'Front Door profile', service: 'Azure Front Door', category: 'network', properties: [str('sku', 'SKU', { enum: ['Standard_AzureFrontDoor', 'Premium_AzureFrontDoor'], default: 'Standard_AzureFrontDoor' })], resources: { terraform: 'azurerm_cdn_frontdoor_profile', pulumi: 'azure-native:cdn:Profile', bicep: 'Microsoft.Cdn/profiles@2024-02-01' } },
    gcp: { label: 'Cloud CDN backend bucket', service: 'Cloud CDN', category: 'network', resources: { terraform: 'google_compute_backend_bucket', pulumi: 'gcp:compute/backendBucket:BackendBucket' } },
  },
  api_gateway: {
    aws: { label: 'API Gateway', service: 'Amazon API Gateway', category: 'network', resources: { terraform: 'aws_apigatewayv2_api', pulumi: 'aws:apigatewayv2/api:Api', cloudformation: 'AWS::ApiGatewayV2::Api' } },
    azure: { label: 'API Management', service: 'Azure API Management', category: 'network', properties: [str('sku', 'SKU', { enum: ['Consumption_0', 'Developer_1', 'Basic_1', 'Standard_1', 'Premium_1'], default: 'Consumption_0' })], resources: { terraform: 'azurerm_api_management', pulumi: 'azure-native:apimanagement:ApiManagementService', bicep: 'Microsoft.ApiManagement/service@2023-05-01-preview' } },
    gcp: { label: 'API Gateway', service: 'API Gateway', category: 'network', resources: { terraform: 'google_api_gateway_api', pulumi: 'gcp:apigateway/api:Api' } },
  },
  key_vault: {
    aws: { label: 'KMS key', service: 'AWS KMS', category: 'other', resources: { terraform: 'aws_kms_key', pulumi: 'aws:kms/key:Key', cloudformation: 'AWS::KMS::Key' } },
    azure: { label: 'Key vault', service: 'Azure Key Vault', category: 'other', properties: [str('sku', 'SKU', { enum: ['standard', 'premium'], default: 'standard' })], resources: { terraform: 'azurerm_key_vault', pulumi: 'azure-native:keyvault:Vault', bicep: 'Microsoft.KeyVault/vaults@2023-07-01' } },
    gcp: { label: 'KMS key ring', service: 'Cloud KMS', category: 'other', resources: { terraform: 'google_kms_key_ring', pulumi: 'gcp:kms/keyRing:KeyRing' } },
  },
  data_warehouse: {
    aws: { label: 'Redshift cluster', service: 'Amazon Redshift', category: 'database', properties: [int('nodes', 'Nodes', { min: 1, max: 128, default: 2 })], resources: { terraform: 'aws_redshift_cluster', pulumi: 'aws:redshift/cluster:Cluster', cloudformation: 'AWS::Redshift::Cluster' } },
    azure: { label: 'Synapse workspace', service: 'Azure Synapse Analytics', category: 'database', properties: [str('service', 'Service', { enum: ['synapse'], default: 'synapse' })], resources: { terraform: 'azurerm_synapse_workspace', pulumi: 'azure-native:synapse:Workspace', bicep: 'Microsoft.Synapse/workspaces@2021-06-01' } },
    gcp: { label: 'BigQuery dataset', service: 'BigQuery', category: 'database', resources: { terraform: 'google_bigquery_dataset', pulumi: 'gcp:bigquery/dataset:Dataset' } },
  },
  data_pipeline: {
    aws: { label: 'Glue job', service: 'AWS Glue', category: 'compute', resources: { terraform: 'aws_glue_job', pulumi: 'aws:glue/job:Job', cloudformation: 'AWS::Glue::Job' } },
    azure: { label: 'Data factory', service: 'Azure Data Factory', category: 'compute', properties: [str('service', 'Service', { enum: ['data_factory'], default: 'data_factory' }), bool('managedVnet', 'Managed virtual network', { default: false })], resources: { terraform: 'azurerm_data_factory', pulumi: 'azure-native:datafactory:Factory', bicep: 'Microsoft.DataFactory/factories@2018-06-01' } },
    gcp: { label: 'Dataflow job', service: 'Dataflow', category: 'compute', resources: { terraform: 'google_dataflow_job', pulumi: 'gcp:dataflow/job:Job' } },
  },
  identity_role: {
    aws: { label: 'IAM role', service: 'AWS IAM', category: 'other', resources: { terraform: 'aws_iam_role', pulumi: 'aws:iam/role:Role', cloudformation: 'AWS::IAM::Role' } },
    azure: { label: 'Managed identity', service: 'Microsoft Entra ID', category: 'other', resources: { terraform: 'azurerm_user_assigned_identity', pulumi: 'azure-native:managedidentity:UserAssignedIdentity', bicep: 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' } },
    gcp: { label: 'Service account', service: 'Cloud IAM', category: 'other', resources: { terraform: 'google_service_account', pulumi: 'gcp:serviceaccount/account:Account' } },
  },
  monitoring: {
    aws: { label: 'CloudWatch log group', service: 'Amazon CloudWatch', category: 'other', resources: { terraform: 'aws_cloudwatch_log_group', pulumi: 'aws:cloudwatch/logGroup:LogGroup', cloudformation: 'AWS::Logs::LogGroup' } },
    azure: { label: 'Log Analytics workspace', service: 'Azure Monitor', category: 'other', properties: [str('workspace', 'Workspace', { enum: ['log-analytics'], default: 'log-analytics' })], resources: { terraform: 'azurerm_log_analytics_workspace', pulumi: 'azure-native:operationalinsights:Workspace', bicep: 'Microsoft.OperationalInsights/workspaces@2023-09-01' } },
    gcp: { label: 'Log bucket', service: 'Cloud Logging', category: 'other', resources: { terraform: 'google_logging_project_bucket_config', pulumi: 'gcp:logging/projectBucketConfig:ProjectBucketConfig' } },
  },
};

/** Every (kind, cloud) the designer offers, with its properties (shared first, then the cloud's own). */
export const CATALOG: readonly TCatalogEntry[] = (Object.keys(specific) as TKind[]).flatMap((kind) =>
  (Object.keys(specific[kind]) as TCloud[]).map((cloud) => {
    const s = specific[kind][cloud];
    // A cloud's own property of the same name replaces the shared one (a database engine's allowed values).
    const own = s.properties ?? [];
    return { ...s, kind, cloud, properties: [...common[kind].filter((p) => !own.some((o) => o.name === p.name)), ...own] };
  }),
);

const byKey = new Map(CATALOG.map((e) => [`${e.kind}:${e.cloud}`, e]));

export function catalogEntry(kind: string, cloud: string): TCatalogEntry | undefined {
  return byKey.get(`${kind}:${cloud}`);
}

/** The entry's variant a component's properties select, if any, with the properties it adds. */
export function resolveEntry(entry: TCatalogEntry, properties: Record<string, unknown>): { label: string; resources: TResourceTypes; properties: TPropSpec[] } {
  const variant = entry.variants?.find((v) => v.values.includes(String(properties[v.property])));
  if (!variant) return { label: entry.label, resources: entry.resources, properties: entry.properties };
  // A variant drops the base entry's cloud-specific properties (an RDS instance class means nothing to DynamoDB).
  const shared = entry.properties.filter((p) => p.name === variant.property || !specific[entry.kind][entry.cloud].properties?.includes(p));
  return { label: variant.label, resources: variant.resources, properties: [...shared, ...(variant.properties ?? [])] };
}

/** Regions each cloud offers (public regions, 2026), and `global` for the services that have no region (CDN, DNS). */
export const REGIONS: Record<TCloud, readonly string[]> = {
  aws: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'me-central-1', 'af-south-1', 'global'],
  azure: ['eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'canadacentral', 'brazilsouth', 'northeurope', 'westeurope', 'uksouth', 'francecentral', 'germanywestcentral', 'swedencentral', 'switzerlandnorth', 'norwayeast', 'italynorth', 'polandcentral', 'centralindia', 'southeastasia', 'eastasia', 'japaneast', 'koreacentral', 'australiaeast', 'uaenorth', 'southafricanorth', 'global'],
  gcp: ['us-central1', 'us-east1', 'us-east4', 'us-west1', 'us-west2', 'northamerica-northeast1', 'southamerica-east1', 'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6', 'europe-west9', 'europe-north1', 'europe-central2', 'asia-south1', 'asia-southeast1', 'asia-east1', 'asia-northeast1', 'asia-northeast3', 'australia-southeast1', 'me-central1', 'global'],
};
