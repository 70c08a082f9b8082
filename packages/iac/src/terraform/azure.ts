import type { TKind } from '@dharma/catalog/catalog';
import { Block, Expr, type TAttrs } from '../model';
import type { TMapContext } from './context';
import type { TMapping, TSupporting } from './aws';

/**
 * Azure resources per kind (hashicorp/azurerm 4.x). Every resource goes into the blueprint's one resource group,
 * `azurerm_resource_group.main`, which the writer adds; names are the components' names.
 */
const rg = { resource_group_name: new Expr('azurerm_resource_group.main.name') };
const placed = (ctx: TMapContext): TAttrs => ({ name: ctx.component.name, ...rg, location: ctx.component.region === 'global' ? new Expr('azurerm_resource_group.main.location') : ctx.component.region });
const tags = (ctx: TMapContext): TAttrs => ({ ...ctx.component.tags });
/** Storage account names: 3-24 lowercase letters and digits. */
const storageName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24).padEnd(3, '0');

export const azureMappings: Record<TKind, TMapping> = {
  vpc: (ctx) => ({ attrs: { ...placed(ctx), address_space: [ctx.prop('addressSpace', '10.0.0.0/16')], tags: tags(ctx) } }),
  subnet: (ctx) => {
    const vnet = ctx.related('vpc');
    return { attrs: { name: ctx.component.name, ...rg, virtual_network_name: vnet ? ctx.ref(vnet, 'name') : ctx.component.name, address_prefixes: [ctx.prop('cidr', '10.0.0.0/24')], private_endpoint_network_policies: ctx.prop('privateEndpoints', false) ? 'Enabled' : 'Disabled' } };
  },
  security_group: (ctx) => {
    const rules = ctx.prop<{ direction?: string; protocol?: string; port?: number; cidr?: string }[]>('rules', []);
    return { attrs: { ...placed(ctx), security_rule: rules.map((r, i) => new Block({ name: `rule-${i + 1}`, priority: 100 + i * 10, direction: r.direction === 'egress' ? 'Outbound' : 'Inbound', access: 'Allow', protocol: r.protocol === 'udp' ? 'Udp' : 'Tcp', source_port_range: '*', destination_port_range: String(r.port ?? '*'), source_address_prefix: r.cidr ?? 'VirtualNetwork', destination_address_prefix: '*' })), tags: tags(ctx) } };
  },
  load_balancer: (ctx) => ({ attrs: { ...placed(ctx), sku: ctx.prop('sku', 'Standard'), tags: tags(ctx) } }),
  vm: (ctx) => ({
    attrs: {
      ...placed(ctx),
      size: ctx.prop('vmSize', 'Standard_B2s'),
      admin_username: 'azureuser',
      network_interface_ids: [new Expr(`azurerm_network_interface.${ctx.own}.id`)],
      admin_ssh_key: new Block({ username: 'azureuser', public_key: ctx.secret('sshPublicKey', `SSH public key for ${ctx.component.name}`) }),
      os_disk: new Block({ caching: 'ReadWrite', storage_account_type: 'Premium_LRS', disk_size_gb: ctx.prop('diskGb', 30) }),
      source_image_reference: new Block({ publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' }),
      tags: tags(ctx),
    },
    extras: [{ type: 'azurerm_network_interface', name: ctx.own, attrs: { ...placed(ctx), name: `${ctx.component.name}-nic`, ip_configuration: new Block({ name: 'internal', private_ip_address_allocation: 'Dynamic', subnet_id: ctx.related('subnet') ? ctx.ref(ctx.related('subnet')!, 'id') : null }) } }],
  }),
  autoscaling_group: (ctx) => ({
    attrs: {
      ...placed(ctx),
      sku: ctx.prop('vmSize', 'Standard_D2s_v5'),
      instances: ctx.prop('desired', ctx.prop('min', 1)),
      admin_username: 'azureuser',
      admin_ssh_key: new Block({ username: 'azureuser', public_key: ctx.secret('sshPublicKey', `SSH public key for ${ctx.component.name}`) }),
      source_image_reference: new Block({ publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' }),
      os_disk: new Block({ caching: 'ReadWrite', storage_account_type: 'Premium_LRS' }),
      network_interface: new Block({ name: 'primary', primary: true, ip_configuration: new Block({ name: 'internal', primary: true, subnet_id: ctx.related('subnet') ? ctx.ref(ctx.related('subnet')!, 'id') : null }) }),
      tags: tags(ctx),
    },
  }),
  container_cluster: (ctx) => ({ attrs: { ...placed(ctx), dns_prefix: ctx.component.name, kubernetes_version: ctx.prop<string | null>('kubernetesVersion', null), default_node_pool: new Block({ name: 'default', vm_size: ctx.prop('nodeVmSize', 'Standard_D2s_v5'), node_count: ctx.prop('nodeCount', 3) }), identity: new Block({ type: 'SystemAssigned' }), tags: tags(ctx) } }),
  container_service: (ctx) => ({ attrs: { name: ctx.component.name, ...rg, container_app_environment_id: new Expr(`azurerm_container_app_environment.main.id`), revision_mode: 'Single', template: new Block({ min_replicas: ctx.prop('replicas', 1), container: new Block({ name: 'app', image: ctx.prop('image', 'mcr.microsoft.com/k8se/quickstart:latest'), cpu: 0.5, memory: '1Gi' }) }), tags: tags(ctx) }, extras: [{ type: 'azurerm_container_app_environment', name: 'main', attrs: { name: 'container-apps', ...rg, location: new Expr('azurerm_resource_group.main.location') } }] }),
  function: (ctx) => ({ attrs: { ...placed(ctx), service_plan_id: new Expr('azurerm_service_plan.main.id'), storage_account_name: storageName(`${ctx.component.name}fn`), https_only: true, site_config: new Block({ minimum_tls_version: '1.2' }), tags: tags(ctx) }, extras: [{ type: 'azurerm_service_plan', name: 'main', attrs: { name: 'functions', ...rg, location: new Expr('azurerm_resource_group.main.location'), os_type: 'Linux', sku_name: 'Y1' } }] }),
  database: (ctx) => ({
    attrs: {
      ...placed(ctx),
      version: ctx.prop('version', '16'),
      sku_name: ctx.prop('skuName', 'GP_Standard_D2s_v3'),
      storage_mb: ctx.prop('storageGb', 32) * 1024,
      backup_retention_days: Math.max(7, ctx.prop('backupRetentionDays', 7)),
      administrator_login: 'dbadmin',
      administrator_password: ctx.secret('adminPassword', `Administrator password of ${ctx.component.name}`),
      public_network_access_enabled: ctx.prop('publiclyAccessible', false),
      delegated_subnet_id: ctx.related('subnet') ? ctx.ref(ctx.related('subnet')!, 'id') : null,
      tags: tags(ctx),
    },
  }),
  cache: (ctx) => ({ attrs: { ...placed(ctx), sku_name: ctx.prop('sku', 'Standard'), family: ctx.prop('sku', 'Standard') === 'Premium' ? 'P' : 'C', capacity: ctx.prop('capacity', 1), minimum_tls_version: '1.2', non_ssl_port_enabled: !ctx.prop('transitEncryption', true), tags: tags(ctx) } }),
  object_storage: (ctx) => ({ attrs: { ...placed(ctx), name: storageName(ctx.component.name), account_tier: 'Standard', account_kind: ctx.prop('kind', 'StorageV2'), account_replication_type: ctx.prop('replication', 'LRS'), access_tier: ctx.prop('accessTier', 'Hot'), is_hns_enabled: ctx.prop('hierarchicalNamespace', false), min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: ctx.prop('publicAccess', false), https_traffic_only_enabled: true, tags: tags(ctx) } }),
  file_storage: (ctx) => ({ attrs: { name: ctx.component.name, storage_account_id: new Expr('azurerm_storage_account.files.id'), quota: ctx.prop('storageGb', 100) }, extras: [{ type: 'azurerm_storage_account', name: 'files', attrs: { name: new Expr('"files${substr(md5(azurerm_resource_group.main.id), 0, 10)}"'), ...rg, location: new Expr('azurerm_resource_group.main.location'), account_tier: 'Premium', account_kind: 'FileStorage', account_replication_type: 'ZRS', min_tls_version: 'TLS1_2' } }] }),
  queue: (ctx) => ({ attrs: { name: ctx.component.name, namespace_id: new Expr('azurerm_servicebus_namespace.main.id'), lock_duration: `PT${Math.min(300, ctx.prop('visibilityTimeoutSeconds', 30))}S` }, extras: [{ type: 'azurerm_servicebus_namespace', name: 'main', attrs: { name: new Expr('"sb-${substr(md5(azurerm_resource_group.main.id), 0, 10)}"'), ...rg, location: new Expr('azurerm_resource_group.main.location'), sku: 'Standard', minimum_tls_version: '1.2' } }] }),
  stream: (ctx) => ({ attrs: { ...placed(ctx), sku: ctx.prop('sku', 'Standard'), capacity: ctx.prop('throughputUnits', 1), minimum_tls_version: '1.2', tags: tags(ctx) } }),
  dns_zone: (ctx) => ({ attrs: { name: ctx.prop('dnsName', 'example.com').replace(/\.$/, ''), ...rg, tags: tags(ctx) } }),
  cdn: (ctx) => ({ attrs: { name: ctx.component.name, ...rg, sku_name: ctx.prop('sku', 'Standard_AzureFrontDoor'), tags: tags(ctx) } }),
  api_gateway: (ctx) => ({ attrs: { ...placed(ctx), publisher_name: ctx.component.tags.Owner ?? ctx.component.name, publisher_email: 'platform@example.com', sku_name: ctx.prop('sku', 'Consumption_0'), tags: tags(ctx) } }),
  key_vault: (ctx) => ({ attrs: { ...placed(ctx), tenant_id: new Expr('data.azurerm_client_config.current.tenant_id'), sku_name: ctx.prop('sku', 'standard'), soft_delete_retention_days: 90, purge_protection_enabled: ctx.prop('purgeProtection', true), tags: tags(ctx) }, data: [{ type: 'azurerm_client_config', name: 'current', attrs: {} }] }),
  data_warehouse: (ctx) => ({ attrs: { ...placed(ctx), storage_data_lake_gen2_filesystem_id: new Expr('azurerm_storage_data_lake_gen2_filesystem.main.id'), sql_administrator_login: 'sqladmin', sql_administrator_login_password: ctx.secret('adminPassword', `SQL administrator password of ${ctx.component.name}`), identity: new Block({ type: 'SystemAssigned' }), tags: tags(ctx) },
    extras: <TSupporting[]>[
      { type: 'azurerm_storage_account', name: 'synapse', attrs: { name: new Expr('"syn${substr(md5(azurerm_resource_group.main.id), 0, 10)}"'), ...rg, location: new Expr('azurerm_resource_group.main.location'), account_tier: 'Standard', account_replication_type: 'LRS', is_hns_enabled: true, min_tls_version: 'TLS1_2' } },
      { type: 'azurerm_storage_data_lake_gen2_filesystem', name: 'main', attrs: { name: 'synapse', storage_account_id: new Expr('azurerm_storage_account.synapse.id') } },
    ],
  }),
  data_pipeline: (ctx) => ({ attrs: { ...placed(ctx), managed_virtual_network_enabled: ctx.prop('managedVnet', false), public_network_enabled: false, identity: new Block({ type: 'SystemAssigned' }), tags: tags(ctx) } }),
  identity_role: (ctx) => ({ attrs: { ...placed(ctx), tags: tags(ctx) } }),
  monitoring: (ctx) => ({ attrs: { ...placed(ctx), sku: 'PerGB2018', retention_in_days: Math.max(30, ctx.prop('retentionDays', 30)), tags: tags(ctx) } }),
};
