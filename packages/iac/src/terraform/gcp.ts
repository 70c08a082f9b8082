import type { TKind } from '@dharma/catalog/catalog';
import { Block, defined, Expr, type TAttrs } from '../model';
import { gcpLabels, type TMapContext } from './context';
import type { TMapping, TSupporting } from './aws';

/** GCP resources per kind (hashicorp/google 6.x). GCP names: lowercase letters, digits and `-`, at most 63. */
const gcpName = (ctx: TMapContext) => ctx.component.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '').slice(0, 63) || 'resource';
const labels = (ctx: TMapContext): TAttrs => gcpLabels(ctx.component.tags);
const regional = (ctx: TMapContext): TAttrs => (ctx.component.region === 'global' ? {} : { region: ctx.component.region });
const network = (ctx: TMapContext) => {
  const vpc = ctx.related('vpc');
  return vpc ? ctx.ref(vpc, 'id') : undefined;
};
const subnetwork = (ctx: TMapContext) => {
  const subnet = ctx.related('subnet');
  return subnet ? ctx.ref(subnet, 'id') : undefined;
};

export const gcpMappings: Record<TKind, TMapping> = {
  vpc: (ctx) => ({ attrs: { name: gcpName(ctx), auto_create_subnetworks: ctx.prop('autoCreateSubnetworks', false) } }),
  subnet: (ctx) => {
    const ranges = ctx.prop<Record<string, string>>('secondaryRanges', {});
    return { attrs: defined({ name: gcpName(ctx), ...regional(ctx), network: network(ctx), ip_cidr_range: ctx.prop('cidr', '10.0.0.0/24'), private_ip_google_access: true, secondary_ip_range: Object.keys(ranges).sort().map((k) => new Block({ range_name: k, ip_cidr_range: ranges[k]! })) }) };
  },
  security_group: (ctx) => {
    const rules = ctx.prop<{ direction?: string; protocol?: string; port?: number; cidr?: string }[]>('rules', []);
    return { attrs: defined({ name: gcpName(ctx), network: network(ctx) ?? 'default', direction: 'INGRESS', source_ranges: [...new Set(rules.map((r) => r.cidr ?? '10.0.0.0/8'))], allow: rules.map((r) => new Block({ protocol: r.protocol ?? 'tcp', ports: [String(r.port ?? 443)] })) }) };
  },
  load_balancer: (ctx) => ({
    attrs: { name: gcpName(ctx), target: new Expr(`google_compute_target_https_proxy.${ctx.own}.id`), port_range: '443', load_balancing_scheme: 'EXTERNAL_MANAGED', labels: labels(ctx) },
    extras: <TSupporting[]>[
      { type: 'google_compute_health_check', name: ctx.own, attrs: { name: `${gcpName(ctx)}-hc`.slice(0, 63), https_health_check: new Block({ port: 443, request_path: ctx.prop('healthCheckPath', '/') }) } },
      { type: 'google_compute_backend_service', name: ctx.own, attrs: { name: `${gcpName(ctx)}-backend`.slice(0, 63), protocol: 'HTTPS', load_balancing_scheme: 'EXTERNAL_MANAGED', health_checks: [new Expr(`google_compute_health_check.${ctx.own}.id`)] } },
      { type: 'google_compute_url_map', name: ctx.own, attrs: { name: `${gcpName(ctx)}-urls`.slice(0, 63), default_service: new Expr(`google_compute_backend_service.${ctx.own}.id`) } },
      { type: 'google_compute_managed_ssl_certificate', name: ctx.own, attrs: { name: `${gcpName(ctx)}-cert`.slice(0, 63), managed: new Block({ domains: [`${gcpName(ctx)}.example.com`] }) } },
      { type: 'google_compute_target_https_proxy', name: ctx.own, attrs: { name: `${gcpName(ctx)}-proxy`.slice(0, 63), url_map: new Expr(`google_compute_url_map.${ctx.own}.id`), ssl_certificates: [new Expr(`google_compute_managed_ssl_certificate.${ctx.own}.id`)] } },
    ],
  }),
  vm: (ctx) => ({ attrs: defined({ name: gcpName(ctx), machine_type: ctx.prop('machineType', 'e2-standard-2'), zone: `${ctx.component.region}-a`, boot_disk: new Block({ initialize_params: new Block({ image: ctx.prop('image', 'debian-cloud/debian-12'), size: ctx.prop('diskGb', 30) }) }), network_interface: new Block(defined({ subnetwork: subnetwork(ctx) })), shielded_instance_config: new Block({ enable_secure_boot: true }), labels: labels(ctx) }) }),
  autoscaling_group: (ctx) => ({ attrs: { name: gcpName(ctx), ...regional(ctx), base_instance_name: gcpName(ctx).slice(0, 50), target_size: ctx.prop('desired', ctx.prop('min', 1)), version: new Block({ instance_template: new Expr(`google_compute_instance_template.${ctx.own}.id`) }) },
    extras: [{ type: 'google_compute_instance_template', name: ctx.own, attrs: defined({ name_prefix: `${gcpName(ctx).slice(0, 30)}-`, machine_type: ctx.prop('machineType', 'e2-standard-2'), disk: new Block({ source_image: 'debian-cloud/debian-12', boot: true }), network_interface: new Block(defined({ subnetwork: subnetwork(ctx) })), labels: labels(ctx) }) }],
  }),
  container_cluster: (ctx) => ({
    attrs: defined({
      name: gcpName(ctx),
      location: ctx.component.region,
      network: network(ctx),
      subnetwork: subnetwork(ctx),
      enable_autopilot: ctx.prop('mode', 'standard') === 'autopilot' ? true : undefined,
      remove_default_node_pool: ctx.prop('mode', 'standard') === 'autopilot' ? undefined : true,
      initial_node_count: ctx.prop('mode', 'standard') === 'autopilot' ? undefined : 1,
      release_channel: new Block({ channel: ctx.prop('releaseChannel', 'REGULAR') }),
      private_cluster_config: new Block({ enable_private_nodes: ctx.prop('privateNodes', true), enable_private_endpoint: false }),
      deletion_protection: true,
      resource_labels: labels(ctx),
    }),
  }),
  container_service: (ctx) => ({ attrs: { name: gcpName(ctx), location: ctx.component.region, ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', template: new Block({ scaling: new Block({ min_instance_count: ctx.prop('replicas', 1) }), containers: new Block({ image: ctx.prop('image', 'us-docker.pkg.dev/cloudrun/container/hello'), resources: new Block({ limits: { cpu: ctx.prop('cpu', '250m'), memory: ctx.prop('memory', '512Mi') } }) }) }), labels: labels(ctx) } }),
  function: (ctx) => ({ attrs: { name: gcpName(ctx), location: ctx.component.region, build_config: new Block({ runtime: ctx.prop('runtime', 'nodejs20'), entry_point: 'handler' }), service_config: new Block({ available_memory: `${ctx.prop('memoryMb', 256)}M`, timeout_seconds: ctx.prop('timeoutSeconds', 30) }), labels: labels(ctx) } }),
  database: (ctx) => ({
    attrs: {
      name: gcpName(ctx),
      ...regional(ctx),
      database_version: ctx.prop('version', 'POSTGRES_16'),
      deletion_protection: true,
      root_password: ctx.secret('adminPassword', `Root password of ${ctx.component.name}`),
      settings: new Block({
        tier: ctx.prop('tier', 'db-custom-2-7680'),
        availability_type: ctx.prop('highAvailability', false) ? 'REGIONAL' : 'ZONAL',
        disk_size: ctx.prop('storageGb', 20),
        backup_configuration: new Block({ enabled: ctx.prop('backups', true) }),
        ip_configuration: new Block(defined({ ipv4_enabled: ctx.prop('publiclyAccessible', false), private_network: ctx.prop('privateIp', true) ? network(ctx) : undefined, ssl_mode: 'ENCRYPTED_ONLY' })),
        user_labels: labels(ctx),
      }),
    },
  }),
  cache: (ctx) => ({ attrs: defined({ name: gcpName(ctx), ...regional(ctx), tier: ctx.prop('tier', 'BASIC'), memory_size_gb: ctx.prop('memoryGb', 1), authorized_network: network(ctx), transit_encryption_mode: ctx.prop('transitEncryption', true) ? 'SERVER_AUTHENTICATION' : 'DISABLED', labels: labels(ctx) }) }),
  object_storage: (ctx) => ({ attrs: { name: gcpName(ctx), location: ctx.component.region === 'global' ? 'EU' : ctx.component.region.toUpperCase(), storage_class: ctx.prop('storageClass', 'STANDARD'), uniform_bucket_level_access: true, public_access_prevention: ctx.prop('publicAccess', false) ? 'inherited' : 'enforced', versioning: new Block({ enabled: ctx.prop('versioning', false) }), labels: labels(ctx) } }),
  file_storage: (ctx) => ({ attrs: { name: gcpName(ctx), location: `${ctx.component.region}-a`, tier: ctx.prop('tier', 'BASIC_HDD'), file_shares: new Block({ name: 'share1', capacity_gb: Math.max(1024, ctx.prop('storageGb', 1024)) }), networks: new Block({ network: network(ctx) ?? 'default', modes: ['MODE_IPV4'] }), labels: labels(ctx) } }),
  queue: (ctx) => ({ attrs: { name: gcpName(ctx), message_retention_duration: `${ctx.prop('retentionSeconds', 345600)}s`, labels: labels(ctx) } }),
  stream: (ctx) => ({ attrs: { name: gcpName(ctx), message_retention_duration: `${ctx.prop('retentionHours', 24) * 3600}s`, labels: labels(ctx) } }),
  dns_zone: (ctx) => ({ attrs: { name: gcpName(ctx), dns_name: ctx.prop('dnsName', 'example.com.').replace(/\.?$/, '.'), visibility: ctx.prop('private', false) ? 'private' : 'public', labels: labels(ctx) } }),
  cdn: (ctx) => ({
    attrs: { name: gcpName(ctx), bucket_name: new Expr(`google_storage_bucket.${ctx.own}_origin.name`), enable_cdn: true },
    extras: [{ type: 'google_storage_bucket', name: `${ctx.own}_origin`, attrs: { name: `${gcpName(ctx)}-origin`.slice(0, 63), location: 'EU', uniform_bucket_level_access: true } }],
  }),
  api_gateway: (ctx) => ({ attrs: { api_id: gcpName(ctx), labels: labels(ctx) } }),
  key_vault: (ctx) => ({ attrs: { name: gcpName(ctx), location: ctx.component.region } }),
  data_warehouse: (ctx) => ({ attrs: { dataset_id: gcpName(ctx).replace(/-/g, '_'), location: ctx.component.region, labels: labels(ctx) } }),
  data_pipeline: (ctx) => ({ attrs: { name: gcpName(ctx), ...regional(ctx), template_gcs_path: 'gs://dataflow-templates/latest/Word_Count', temp_gcs_location: `gs://${gcpName(ctx)}-temp/tmp`, labels: labels(ctx) } }),
  identity_role: (ctx) => ({ attrs: { account_id: gcpName(ctx).slice(0, 30).padEnd(6, '0'), display_name: ctx.component.name } }),
  monitoring: (ctx) => ({ attrs: { project: new Expr('data.google_client_config.current.project'), location: 'global', bucket_id: gcpName(ctx), retention_days: ctx.prop('retentionDays', 30) }, data: [{ type: 'google_client_config', name: 'current', attrs: {} }] }),
};
