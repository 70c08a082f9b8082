import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsServerlessApi, awsThreeTier, azureDataPlatform, gcpGkeService } from '@dharma/db/seed/sample-graphs';
import { CATALOG, REGIONS } from './catalog';
import { conventionPattern, validateGraph, type TValidationRules } from './validate';

const one = (component: Partial<TBlueprintGraphInput['components'][number]>, rules: TValidationRules = {}) => {
  const graph = ZBlueprintGraph.parse({ components: [{ id: 'db', kind: 'database', name: 'prod-shop-db-euw1', cloud: 'aws', region: 'eu-west-1', properties: { engine: 'postgres' }, ...component }] });
  return validateGraph(graph, rules).findings.map((f) => `${f.severity} ${f.code} ${f.field}: ${f.message}`);
};

describe('validateGraph', () => {
  it('passes the sample blueprints without a finding', () => {
    for (const g of [awsThreeTier(1), awsThreeTier(3), azureDataPlatform(2), gcpGkeService(), awsServerlessApi()]) {
      expect(validateGraph(ZBlueprintGraph.parse(g)).findings).toEqual([]);
    }
  });

  it('covers every kind in every cloud, with a region list per cloud', () => {
    expect(CATALOG).toHaveLength(23 * 3);
    for (const cloud of ['aws', 'azure', 'gcp'] as const) expect(REGIONS[cloud]).toContain('global');
  });

  it('names each problem with its code, field, reason and fix', () => {
    expect(one({ region: 'eu-west-9' })).toEqual(['error unknown-region region: "eu-west-9" is not a aws region']);
    expect(one({}, { allowedRegions: ['us-east-1'] })).toEqual(["error region-not-allowed region: region eu-west-1 is outside this tenant's allowed regions (us-east-1)"]);
    expect(one({ name: 'Shop Database' })).toEqual(['warning naming-convention name: name "Shop Database" does not follow the convention {env}-{app}-{resource}[-{region}]']);
    expect(one({ name: 'Shop Database' }, { namingSeverity: 'error', namingConvention: '{app}-{resource}' })[0]).toMatch(/^error naming-convention name: .*\{app\}-\{resource\}/);
    expect(one({ properties: {} })).toEqual(['error property-required properties.engine: Engine is required for a RDS database']);
    expect(one({ properties: { engine: 'oracle' } })).toEqual(['error property-enum properties.engine: Engine "oracle" is not one of: postgres, mysql, mariadb, sqlserver, aurora-postgresql, aurora-mysql, dynamodb']);
    expect(one({ properties: { engine: 'postgres', storageGb: '200' } })).toEqual(['error property-type properties.storageGb: Storage (GB) must be a whole number, not string']);
    expect(one({ properties: { engine: 'postgres', storageGb: 0 } })).toEqual(['error property-range properties.storageGb: Storage (GB) must be between 1 and 65536, not 0']);
    expect(one({ properties: { engine: 'postgres', instanceClass: 'large' } })).toEqual(['error property-format properties.instanceClass: Instance class "large" must be an RDS instance class such as db.t4g.medium']);
    expect(one({ properties: { engine: 'postgres', colour: 'blue' } })[0]).toMatch(/^warning property-unknown properties.colour: RDS database has no property "colour"/);
    expect(one({ properties: { engine: 'postgres', adminPassword: 'hunter2' } })).toEqual(['error secret-in-blueprint properties.adminPassword: Administrator password is a secret and must not be stored in a blueprint']);
  });

  it('checks a variant by its own properties (DynamoDB is not an RDS instance)', () => {
    expect(one({ properties: { engine: 'dynamodb', billing: 'PAY_PER_REQUEST' } })).toEqual([]);
    expect(one({ properties: { engine: 'dynamodb', instanceClass: 'db.t4g.medium' } })[0]).toMatch(/^warning property-unknown properties.instanceClass: DynamoDB table has no property/);
  });

  it('checks ranges across properties and references across clouds', () => {
    const asg = ZBlueprintGraph.parse({ components: [{ id: 'web', kind: 'autoscaling_group', name: 'prod-shop-web', cloud: 'aws', region: 'eu-west-1', properties: { instanceType: 'm5.large', min: 5, max: 2, desired: 9 } }] });
    expect(validateGraph(asg).findings.map((f) => f.code)).toEqual(['property-range', 'property-range']);
    const mixed = ZBlueprintGraph.parse({
      components: [
        { id: 'a', kind: 'vpc', name: 'prod-a-vpc', cloud: 'aws', region: 'eu-west-1', properties: { cidr: '10.0.0.0/16' } },
        { id: 'b', kind: 'subnet', name: 'prod-b-subnet', cloud: 'gcp', region: 'europe-west1', properties: { cidr: '10.1.0.0/24' } },
      ],
      relations: [{ from: 'b', to: 'a', type: 'contains' }],
    });
    expect(validateGraph(mixed).findings.map((f) => `${f.code} ${f.componentId}`)).toEqual(['cross-cloud-dependency b']);
  });

  it('reads a naming convention: placeholders, optional parts, literal text', () => {
    const p = conventionPattern('{env}-{app}-{resource}[-{region}]');
    expect(['prod-shop-db', 'prod-shop-db-euw1'].map((s) => p.test(s))).toEqual([true, true]);
    expect(['prod-shop', 'Prod-shop-db', 'prod-shop-db-'].map((s) => p.test(s))).toEqual([false, false, false]);
    expect(conventionPattern('app.{name}').test('appxname')).toBe(false);
  });
});

describe('templates', () => {
  it('every global template validates without a finding', async () => {
    const { TEMPLATES } = await import('./templates');
    for (const t of TEMPLATES) expect(`${t.key}: ${JSON.stringify(validateGraph(ZBlueprintGraph.parse(t.graph)).findings)}`).toBe(`${t.key}: []`);
  });
});
