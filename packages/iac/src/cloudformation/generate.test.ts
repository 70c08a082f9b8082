import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsServerlessApi, awsThreeTier, azureDataPlatform } from '@dharma/db/seed/sample-graphs';
import { CATALOG, REGIONS, resolveEntry } from '@dharma/catalog/catalog';
import { validateGraph } from '@dharma/catalog/validate';
import { CloudFormationUnsupported, generateCloudFormation } from './generate';

/** The published CloudFormation resource specification (npm @aws-cdk/cfnspec, us-east-1). */
interface TSpecProp { Required?: boolean; Type?: string; ItemType?: string; PrimitiveType?: string; PrimitiveItemType?: string }
const spec = createRequire(import.meta.url)('@aws-cdk/cfnspec/spec/specification.json') as {
  ResourceSpecificationVersion: string;
  ResourceTypes: Record<string, { Properties?: Record<string, TSpecProp>; Attributes?: Record<string, unknown> }>;
  PropertyTypes: Record<string, { Properties?: Record<string, TSpecProp> }>;
};

const INTRINSIC = /^(Ref|Fn::\w+)$/;
type TTemplate = { Parameters?: Record<string, unknown>; Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>; Outputs: Record<string, { Value: unknown }> };

/**
 * Everything the template says that the specification can check: each resource type exists, each property (nested
 * ones too, through the property types) is one the type has, the required ones are there, and every Ref and GetAtt
 * names a declared resource or parameter and an attribute the type has.
 */
function specProblems(template: TTemplate): string[] {
  const problems: string[] = [];
  const declared = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {}), 'AWS::Region', 'AWS::AccountId', 'AWS::Partition']);
  const checkRefs = (v: unknown, where: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => checkRefs(x, `${where}[${i}]`));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === 'string' && !declared.has(o.Ref)) problems.push(`${where}: Ref to undeclared ${o.Ref}`);
      const ga = o['Fn::GetAtt'] as [string, string] | undefined;
      if (ga) {
        const target = template.Resources[ga[0]];
        if (!target) problems.push(`${where}: GetAtt of undeclared ${ga[0]}`);
        else if (!spec.ResourceTypes[target.Type]?.Attributes?.[ga[1]]) problems.push(`${where}: ${target.Type} has no attribute ${ga[1]}`);
      }
      for (const [k, x] of Object.entries(o)) checkRefs(x, `${where}.${k}`);
    }
  };
  const checkObject = (resource: string, typeName: string, props: Record<string, TSpecProp> | undefined, value: Record<string, unknown>, where: string) => {
    if (!props) return void problems.push(`${where}: no such property type ${typeName}`);
    for (const [name, p] of Object.entries(props)) if (p.Required && value[name] === undefined) problems.push(`${where}: required ${name} missing`);
    for (const [name, v] of Object.entries(value)) {
      const p = props[name];
      if (!p) {
        problems.push(`${where}: ${typeName} has no property ${name}`);
        continue;
      }
      const isIntrinsic = v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => INTRINSIC.test(k));
      if (isIntrinsic) continue;
      const nested = (t: string) => spec.PropertyTypes[t === 'Tag' ? 'Tag' : `${resource}.${t}`]?.Properties;
      if (p.Type === 'List' && p.ItemType && Array.isArray(v)) v.forEach((item, i) => item && typeof item === 'object' && !Object.keys(item).some((k) => INTRINSIC.test(k)) && checkObject(resource, p.ItemType!, nested(p.ItemType!), item as Record<string, unknown>, `${where}.${name}[${i}]`));
      else if (p.Type && p.Type !== 'List' && p.Type !== 'Map' && v && typeof v === 'object' && !Array.isArray(v)) checkObject(resource, p.Type, nested(p.Type), v as Record<string, unknown>, `${where}.${name}`);
      else if (p.Type === 'List' && !Array.isArray(v)) problems.push(`${where}.${name}: must be a list`);
    }
  };
  for (const [logical, r] of Object.entries(template.Resources)) {
    const type = spec.ResourceTypes[r.Type];
    if (!type) {
      problems.push(`${logical}: no resource type ${r.Type}`);
      continue;
    }
    checkObject(r.Type, r.Type, type.Properties, r.Properties, logical);
    for (const d of r.DependsOn ?? []) if (!template.Resources[d]) problems.push(`${logical}: DependsOn undeclared ${d}`);
  }
  checkRefs(template.Resources, 'Resources');
  checkRefs(template.Outputs, 'Outputs');
  return problems;
}

const templateOf = (g: TBlueprintGraphInput) => JSON.parse(generateCloudFormation(ZBlueprintGraph.parse(g), { blueprint: 'test', version: 1 })[0]!.content) as TTemplate;

describe('CloudFormation generation', () => {
  it('writes only resource types, properties and attributes the published specification has, for the AWS samples', () => {
    expect(spec.ResourceSpecificationVersion).toMatch(/^\d+\.\d+\.\d+$/);
    for (const g of [awsThreeTier(3), awsServerlessApi()]) expect(specProblems(templateOf(g))).toEqual([]);
  });

  it('covers every AWS kind of the catalog with the resource type the catalog names', () => {
    for (const e of CATALOG.filter((x) => x.cloud === 'aws')) {
      for (const t of [e.resources.cloudformation, ...(e.variants ?? []).map((v) => v.resources.cloudformation)]) expect(spec.ResourceTypes[t!], `${e.kind}: ${t}`).toBeDefined();
    }
  });

  it('secrets are NoEcho parameters, relations are Refs, the bytes are the same each time', () => {
    const t = templateOf(awsThreeTier(3));
    expect(t.Parameters!.DbAdminPassword).toMatchObject({ Type: 'String', NoEcho: true });
    expect(t.Resources.Db!.Properties.MasterUserPassword).toEqual({ Ref: 'DbAdminPassword' });
    expect(t.Resources.AppSubnets1!.Properties.VpcId).toEqual({ Ref: 'Vpc' });
    expect(t.Resources.WebAsg!.Properties.VPCZoneIdentifier).toEqual([{ Ref: 'AppSubnets1' }, { Ref: 'AppSubnets2' }]);
    expect(generateCloudFormation(ZBlueprintGraph.parse(awsThreeTier(3)), { blueprint: 'b', version: 1 })).toEqual(generateCloudFormation(ZBlueprintGraph.parse(awsThreeTier(3)), { blueprint: 'b', version: 1 }));
  });

  it('refuses a design with other clouds, naming them', () => {
    expect(() => generateCloudFormation(ZBlueprintGraph.parse(azureDataPlatform(1)), { blueprint: 'b', version: 1 })).toThrow(CloudFormationUnsupported);
    expect(() => generateCloudFormation(ZBlueprintGraph.parse(azureDataPlatform(1)), { blueprint: 'b', version: 1 })).toThrow(/^CloudFormation describes AWS only: vnet \(azure\), private-subnet \(azure\), .*; use Terraform for this design$/);
  });

  it('any valid AWS design gives a template the specification accepts (property-based)', () => {
    const entries = CATALOG.filter((e) => e.cloud === 'aws');
    const component = (i: number) =>
      fc.record({ entry: fc.constantFrom(...entries), variant: fc.boolean() }).map(({ entry, variant }) => {
        const selected = variant && entry.variants ? { [entry.variants[0]!.property]: entry.variants[0]!.values[0]! } : {};
        const properties: Record<string, unknown> = { ...selected };
        for (const p of resolveEntry(entry, selected).properties) {
          if (properties[p.name] !== undefined || p.secret) continue;
          if (!p.required && p.name !== entry.requireOne?.[0]) continue;
          properties[p.name] = p.enum ? p.enum[0] : p.pattern ? (/such as (\S+)$/.exec(p.pattern.means)?.[1] ?? '/healthz') : p.type === 'integer' ? (p.min ?? 1) : p.type === 'string[]' ? ['10.0.0.0/24'] : 'value';
        }
        if (entry.kind === 'autoscaling_group') Object.assign(properties, { min: 1, max: 3 });
        return { id: `c${i}`, kind: entry.kind, name: `prod-app-c${i}`, cloud: 'aws' as const, region: REGIONS.aws[0]!, properties, tags: { Owner: 'x' } };
      });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => component(i))), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom('depends_on' as const, 'contains' as const)), { maxLength: n * 2 }))),
        ([components, edges]) => {
          const seen = new Set<string>();
          const relations = edges.filter(([a, b]) => a > b).map(([a, b, type]) => ({ from: `c${a}`, to: `c${b}`, type })).filter((r) => !seen.has(`${r.from}${r.to}${r.type}`) && seen.add(`${r.from}${r.to}${r.type}`));
          const graph = ZBlueprintGraph.parse({ components, relations });
          expect(validateGraph(graph).errors).toBe(0);
          expect(specProblems(JSON.parse(generateCloudFormation(graph, { blueprint: 'fuzz', version: 1 })[0]!.content) as TTemplate)).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
