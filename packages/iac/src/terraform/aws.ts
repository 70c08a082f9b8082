import type { TKind } from '@dharma/catalog/catalog';
import { Block, defined, Expr, type TAttrs, type TValue } from '../model';
import type { TMapContext } from './context';
import { hclString } from './hcl';

export interface TSupporting {
  type: string;
  name: string;
  attrs: TAttrs;
}

export interface TMapped {
  attrs: TAttrs;
  count?: number;
  /** Data sources this resource reads (`aws_availability_zones`), by local name; one of each in the file. */
  data?: TSupporting[];
  /** Resources it needs that have no component of their own (a launch template, a subnet group). */
  extras?: TSupporting[];
}
export type TMapping = (ctx: TMapContext) => TMapped;

/** Tags in key order: a tag block per tag (Auto Scaling) must not follow the order they were typed in. */
const tagsOf = (ctx: TMapContext): TAttrs => Object.fromEntries(Object.entries({ Name: ctx.component.name, ...ctx.component.tags }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const AZS = { type: 'aws_availability_zones', name: 'available', attrs: { state: 'available' } };

/** The subnets a component sits in: every instance of its related subnet component. */
const subnetIds = (ctx: TMapContext): TValue | undefined => {
  const subnet = ctx.related('subnet');
  return subnet ? ctx.ref(subnet, 'id', true) : undefined;
};
const sgIds = (ctx: TMapContext): TValue[] => {
  const sg = ctx.related('security_group');
  return sg ? [ctx.ref(sg, 'id')] : [];
};

/** AWS resources per kind (hashicorp/aws 5.x argument names). */
export const awsMappings: Record<TKind, TMapping> = {
  vpc: (ctx) => ({ attrs: { cidr_block: ctx.prop('cidr', '10.0.0.0/16'), enable_dns_hostnames: ctx.prop('enableDnsHostnames', true), enable_dns_support: true, tags: tagsOf(ctx) } }),
  subnet: (ctx) => {
    const vpc = ctx.related('vpc');
    const cidrs = ctx.prop<string[] | null>('cidrs', null);
    if (cidrs === null) {
      const attrs = { vpc_id: vpc ? ctx.ref(vpc, 'id') : undefined, cidr_block: ctx.prop('cidr', '10.0.0.0/24'), availability_zone: new Expr('data.aws_availability_zones.available.names[0]'), map_public_ip_on_launch: ctx.prop('public', false), tags: tagsOf(ctx) };
      return { data: [AZS], attrs: defined(attrs) };
    }
    return {
      count: cidrs.length,
      data: [AZS],
      attrs: defined({
        vpc_id: vpc ? ctx.ref(vpc, 'id') : undefined,
        cidr_block: new Expr(`[${cidrs.map(hclString).join(', ')}][count.index]`),
        availability_zone: new Expr(`data.aws_availability_zones.available.names[count.index % ${ctx.prop('availabilityZones', 2)}]`),
        map_public_ip_on_launch: ctx.prop('public', false),
        tags: tagsOf(ctx),
      }),
    };
  },
  security_group: (ctx) => {
    const vpc = ctx.related('vpc');
    const rules = ctx.prop<{ direction?: string; protocol?: string; port?: number; cidr?: string }[]>('rules', []);
    const rule = (r: (typeof rules)[number]) => new Block({ from_port: r.port ?? 0, to_port: r.port ?? 0, protocol: r.protocol ?? 'tcp', cidr_blocks: [r.cidr ?? '10.0.0.0/8'] });
    return {
      attrs: defined({
        name: ctx.component.name,
        vpc_id: vpc ? ctx.ref(vpc, 'id') : undefined,
        ingress: rules.filter((r) => r.direction !== 'egress').map(rule),
        egress: rules.filter((r) => r.direction === 'egress').map(rule),
        tags: tagsOf(ctx),
      }),
    };
  },
  load_balancer: (ctx) => ({ attrs: defined({ name: ctx.component.name.slice(0, 32), load_balancer_type: ctx.prop('type', 'application'), internal: ctx.prop('scheme', 'internet-facing') === 'internal', subnets: subnetIds(ctx), security_groups: sgIds(ctx), drop_invalid_header_fields: true, tags: tagsOf(ctx) }) }),
  vm: (ctx) => ({
    attrs: defined({
      ami: ctx.prop<string | undefined>('image', undefined) ?? new Expr('data.aws_ami.al2023.id'),
      instance_type: ctx.prop('instanceType', 't3.micro'),
      subnet_id: ctx.related('subnet') ? ctx.ref(ctx.related('subnet')!, 'id') : undefined,
      vpc_security_group_ids: sgIds(ctx),
      root_block_device: new Block({ volume_size: ctx.prop('diskGb', 30), encrypted: true }),
      metadata_options: new Block({ http_tokens: 'required' }),
      tags: tagsOf(ctx),
    }),
    data: ctx.prop<string | undefined>('image', undefined) ? [] : [{ type: 'aws_ami', name: 'al2023', attrs: { most_recent: true, owners: ['amazon'], filter: new Block({ name: 'name', values: ['al2023-ami-*-x86_64'] }) } }],
  }),
  autoscaling_group: (ctx) => ({
    attrs: defined({
      name: ctx.component.name,
      min_size: ctx.prop('min', 1),
      max_size: ctx.prop('max', 1),
      desired_capacity: ctx.prop<number | undefined>('desired', undefined),
      vpc_zone_identifier: subnetIds(ctx),
      health_check_type: 'ELB',
      mixed_instances_policy: new Block({
        launch_template: new Block({
          launch_template_specification: new Block({ launch_template_id: new Expr(`aws_launch_template.${ctx.own}.id`) }),
          override: new Block({ instance_type: ctx.prop('instanceType', 't3.micro') }),
        }),
      }),
      tag: Object.entries(tagsOf(ctx)).map(([key, value]) => new Block({ key, value, propagate_at_launch: true })),
    }),
    data: [{ type: 'aws_ami', name: 'al2023', attrs: { most_recent: true, owners: ['amazon'], filter: new Block({ name: 'name', values: ['al2023-ami-*-x86_64'] }) } }],
    extras: [{ type: 'aws_launch_template', name: ctx.own, attrs: { name: ctx.component.name, image_id: new Expr('data.aws_ami.al2023.id'), instance_type: ctx.prop('instanceType', 't3.micro'), metadata_options: new Block({ http_tokens: 'required' }) } }],
  }),
  container_cluster: (ctx) => ({ attrs: defined({ name: ctx.component.name, role_arn: new Expr(`"arn:aws:iam::\${data.aws_caller_identity.current.account_id}:role/eks-cluster"`), version: ctx.prop<string | undefined>('kubernetesVersion', undefined), vpc_config: new Block(defined({ subnet_ids: subnetIds(ctx), endpoint_public_access: false, endpoint_private_access: true })), tags: tagsOf(ctx) }), data: [{ type: 'aws_caller_identity', name: 'current', attrs: {} }] }),
  container_service: (ctx) => {
    const cluster = ctx.related('container_cluster');
    return { attrs: defined({ name: ctx.component.name, cluster: cluster ? ctx.ref(cluster, 'id') : undefined, desired_count: ctx.prop('replicas', 1), launch_type: 'FARGATE', task_definition: new Expr(`aws_ecs_task_definition.${ctx.own}.arn`), network_configuration: new Block(defined({ subnets: subnetIds(ctx), security_groups: sgIds(ctx), assign_public_ip: false })), tags: tagsOf(ctx) }),
      extras: [{ type: 'aws_ecs_task_definition', name: ctx.own, attrs: { family: ctx.component.name, requires_compatibilities: ['FARGATE'], network_mode: 'awsvpc', cpu: '256', memory: '512', container_definitions: new Expr(`jsonencode([{ name = "app", image = ${hclString(ctx.prop('image', 'public.ecr.aws/nginx/nginx:stable'))}, essential = true }])`) } }] };
  },
  function: (ctx) => {
    const role = ctx.related('identity_role');
    return { attrs: defined({ function_name: ctx.component.name, runtime: ctx.prop('runtime', 'nodejs20.x'), handler: 'index.handler', memory_size: ctx.prop('memoryMb', 256), timeout: ctx.prop('timeoutSeconds', 30), role: role ? ctx.ref(role, 'arn') : new Expr(`"arn:aws:iam::\${data.aws_caller_identity.current.account_id}:role/lambda-basic-execution"`), filename: 'function.zip', tracing_config: new Block({ mode: 'Active' }), tags: tagsOf(ctx) }), data: role ? [] : [{ type: 'aws_caller_identity', name: 'current', attrs: {} }] };
  },
  database: (ctx) => {
    if (ctx.prop('engine', '') === 'dynamodb') {
      const provisioned = ctx.prop('billing', 'PAY_PER_REQUEST') === 'PROVISIONED';
      return { attrs: defined({ name: ctx.component.name, billing_mode: ctx.prop('billing', 'PAY_PER_REQUEST'), read_capacity: provisioned ? 5 : undefined, write_capacity: provisioned ? 5 : undefined, hash_key: 'pk', attribute: new Block({ name: 'pk', type: 'S' }), point_in_time_recovery: new Block({ enabled: ctx.prop('pointInTimeRecovery', true) }), server_side_encryption: new Block({ enabled: ctx.prop('encrypted', true) }), tags: tagsOf(ctx) }) };
    }
    return {
      attrs: defined({
        identifier: ctx.component.name,
        engine: ctx.prop('engine', 'postgres'),
        engine_version: ctx.prop<string | undefined>('engineVersion', undefined),
        instance_class: ctx.prop('instanceClass', 'db.t4g.medium'),
        allocated_storage: ctx.prop('storageGb', 20),
        storage_encrypted: ctx.prop('encrypted', true),
        multi_az: ctx.prop('multiAz', false),
        publicly_accessible: ctx.prop('publiclyAccessible', false),
        backup_retention_period: ctx.prop('backupRetentionDays', 7),
        username: 'dbadmin',
        password: ctx.secret('adminPassword', `Administrator password of ${ctx.component.name}`),
        db_subnet_group_name: ctx.related('subnet') ? new Expr(`aws_db_subnet_group.${ctx.own}.name`) : undefined,
        vpc_security_group_ids: sgIds(ctx),
        skip_final_snapshot: false,
        final_snapshot_identifier: `${ctx.component.name}-final`,
        tags: tagsOf(ctx),
      }),
      extras: ctx.related('subnet') ? [{ type: 'aws_db_subnet_group', name: ctx.own, attrs: { name: ctx.component.name, subnet_ids: ctx.ref(ctx.related('subnet')!, 'id', true) } }] : [],
    };
  },
  cache: (ctx) => ({ attrs: defined({ replication_group_id: ctx.component.name.slice(0, 40), description: ctx.component.name, engine: ctx.prop('engine', 'redis'), node_type: ctx.prop('nodeType', 'cache.t4g.small'), num_cache_clusters: 1 + ctx.prop('replicas', 0), automatic_failover_enabled: ctx.prop('replicas', 0) > 0, transit_encryption_enabled: ctx.prop('transitEncryption', true), at_rest_encryption_enabled: true, subnet_group_name: ctx.related('subnet') ? new Expr(`aws_elasticache_subnet_group.${ctx.own}.name`) : undefined, tags: tagsOf(ctx) }),
    extras: ctx.related('subnet') ? [{ type: 'aws_elasticache_subnet_group', name: ctx.own, attrs: { name: ctx.component.name, subnet_ids: ctx.ref(ctx.related('subnet')!, 'id', true) } }] : [],
  }),
  object_storage: (ctx) => ({ attrs: { bucket: ctx.component.name, force_destroy: false, tags: tagsOf(ctx) } }),
  file_storage: (ctx) => ({ attrs: { creation_token: ctx.component.name, encrypted: ctx.prop('encrypted', true), performance_mode: 'generalPurpose', tags: tagsOf(ctx) } }),
  queue: (ctx) => ({ attrs: { name: ctx.prop('fifo', false) ? `${ctx.component.name}.fifo` : ctx.component.name, fifo_queue: ctx.prop('fifo', false), visibility_timeout_seconds: ctx.prop('visibilityTimeoutSeconds', 30), message_retention_seconds: ctx.prop('retentionSeconds', 345600), sqs_managed_sse_enabled: true, tags: tagsOf(ctx) } }),
  stream: (ctx) => ({ attrs: { name: ctx.component.name, shard_count: ctx.prop('partitions', 1), retention_period: ctx.prop('retentionHours', 24), encryption_type: 'KMS', kms_key_id: 'alias/aws/kinesis', tags: tagsOf(ctx) } }),
  dns_zone: (ctx) => ({ attrs: { name: ctx.prop('dnsName', 'example.com').replace(/\.$/, ''), tags: tagsOf(ctx) } }),
  cdn: (ctx) => ({
    attrs: {
      enabled: true,
      price_class: ctx.prop('priceClass', 'PriceClass_100'),
      origin: new Block({ domain_name: `${ctx.component.name}.origin.invalid`, origin_id: 'primary' }),
      default_cache_behavior: new Block({ target_origin_id: 'primary', viewer_protocol_policy: 'redirect-to-https', allowed_methods: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'], cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6' }),
      restrictions: new Block({ geo_restriction: new Block({ restriction_type: 'none' }) }),
      viewer_certificate: new Block({ cloudfront_default_certificate: true, minimum_protocol_version: ctx.prop('minTlsVersion', 'TLSv1.2_2021') }),
      tags: tagsOf(ctx),
    },
  }),
  api_gateway: (ctx) => ({ attrs: { name: ctx.component.name, protocol_type: ctx.prop('type', 'HTTP') === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP', tags: tagsOf(ctx) } }),
  key_vault: (ctx) => ({ attrs: { description: ctx.component.name, enable_key_rotation: true, deletion_window_in_days: ctx.prop('purgeProtection', true) ? 30 : 7, tags: tagsOf(ctx) } }),
  data_warehouse: (ctx) => ({ attrs: { cluster_identifier: ctx.component.name, node_type: ctx.prop('sku', 'ra3.xlplus'), number_of_nodes: ctx.prop('nodes', 2), cluster_type: ctx.prop('nodes', 2) > 1 ? 'multi-node' : 'single-node', master_username: 'admin', master_password: ctx.secret('adminPassword', `Administrator password of ${ctx.component.name}`), encrypted: true, publicly_accessible: false, skip_final_snapshot: false, final_snapshot_identifier: `${ctx.component.name}-final`, tags: tagsOf(ctx) } }),
  data_pipeline: (ctx) => {
    const role = ctx.related('identity_role');
    return { attrs: { name: ctx.component.name, role_arn: role ? ctx.ref(role, 'arn') : new Expr(`"arn:aws:iam::\${data.aws_caller_identity.current.account_id}:role/glue-service"`), command: new Block({ script_location: `s3://${ctx.component.name}-scripts/main.py` }), tags: tagsOf(ctx) }, data: role ? [] : [{ type: 'aws_caller_identity', name: 'current', attrs: {} }] };
  },
  identity_role: (ctx) => ({ attrs: { name: ctx.component.name, assume_role_policy: new Expr(`jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = ${JSON.stringify(ctx.prop('assumedBy', 'ec2.amazonaws.com'))} } }] })`), managed_policy_arns: ctx.prop<string[]>('policies', []), tags: tagsOf(ctx) } }),
  monitoring: (ctx) => ({ attrs: { name: `/dharma/${ctx.component.name}`, retention_in_days: ctx.prop('retentionDays', 30), tags: tagsOf(ctx) } }),
};
