import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsServerlessApi, awsThreeTier, azureDataPlatform, gcpGkeService } from '@dharma/db/seed/sample-graphs';
import { CATALOG, REGIONS, resolveEntry, type TCloud } from '@dharma/catalog/catalog';
import type { TPropSpec } from '@dharma/catalog/properties';
import { validateGraph } from '@dharma/catalog/validate';
import type { TGeneratedFile } from '../model';
import { generateTerraform } from './generate';

const GOLDEN = new URL('./__golden__/', import.meta.url).pathname;
const SAMPLES: Record<string, TBlueprintGraphInput> = { 'aws-three-tier': awsThreeTier(3), 'azure-data-platform': azureDataPlatform(2), 'gcp-gke-service': gcpGkeService(), 'aws-serverless-api': awsServerlessApi() };

/** `terraform fmt -check` over the files: the exit status and what it printed (it names the files it would change). */
function terraformFmt(files: TGeneratedFile[]): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dharma-tf-'));
  try {
    for (const f of files) writeFileSync(join(dir, f.path), f.content);
    try {
      const out = execFileSync('terraform', ['fmt', '-check', '-diff', '-no-color', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
      return { status: 0, output: out };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { status: e.status, output: `${e.stdout}${e.stderr}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every reference in the module names something it declares: `type.name` of a resource or data source, `var.x` of a
 * variable. Terraform itself would say so only at `terraform validate`, which needs the providers (not downloadable
 * here).
 */
function undeclaredReferences(files: TGeneratedFile[]): string[] {
  const text = files.map((f) => f.content.replace(/^#.*$/gm, '')).join('\n');
  const declared = new Set<string>();
  for (const m of text.matchAll(/^(resource|data) "([a-z0-9_]+)" "([a-z0-9_]+)"/gm)) declared.add(m[1] === 'data' ? `data.${m[2]}.${m[3]}` : `${m[2]}.${m[3]}`);
  for (const m of text.matchAll(/^variable "([a-z0-9_]+)"/gm)) declared.add(`var.${m[1]}`);
  const code = text.replace(/"(?:[^"\\]|\\.)*"/g, (s) => [...s.matchAll(/\$\{([^}]*)\}/g)].map((x) => ` ${x[1]} `).join(' '));
  const used = new Set<string>();
  for (const m of code.matchAll(/(?<![\w.])(data\.[a-z0-9_]+\.[a-z0-9_]+|var\.[a-z0-9_]+|(?:aws|azurerm|google)_[a-z0-9_]+\.[a-z0-9_]+)/g)) used.add(m[1]!);
  return [...used].filter((u) => !declared.has(u)).sort();
}

describe('Terraform generation', () => {
  it('matches the golden files for the sample blueprints (UPDATE_GOLDEN=1 rewrites them)', () => {
    for (const [name, input] of Object.entries(SAMPLES)) {
      const files = generateTerraform(ZBlueprintGraph.parse(input), { blueprint: name, version: 1 });
      const dir = join(GOLDEN, name);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileSync(join(dir, f.path), f.content);
      }
      for (const f of files) {
        const path = join(dir, f.path);
        expect(existsSync(path), `${path} missing: run with UPDATE_GOLDEN=1 and review the diff`).toBe(true);
        expect(f.content, `${name}/${f.path}`).toBe(readFileSync(path, 'utf8'));
      }
    }
  });

  it('passes terraform fmt -check and declares everything it refers to, for the samples', () => {
    for (const [name, input] of Object.entries(SAMPLES)) {
      const files = generateTerraform(ZBlueprintGraph.parse(input), { blueprint: name, version: 1 });
      expect(terraformFmt(files), name).toEqual({ status: 0, output: '' });
      expect(undeclaredReferences(files), name).toEqual([]);
    }
  });

  it('writes secrets as sensitive variables, never as values, and dependencies as references', () => {
    const files = generateTerraform(ZBlueprintGraph.parse(awsThreeTier(3)), { blueprint: 'shop', version: 3 });
    const main = files.find((f) => f.path === 'main.tf')!.content;
    expect(main).toMatch(/password += var\.db_admin_password/);
    expect(files.find((f) => f.path === 'variables.tf')!.content).toMatch(/variable "db_admin_password" \{\n {2}description = "Administrator password of prod-shop-db-euw1"\n {2}type {8}= string\n {2}sensitive {3}= true\n\}/);
    expect(main).toMatch(/resource "aws_subnet" "app_subnets" \{\n {2}count += 2\n {2}vpc_id += aws_vpc\.vpc\.id/);
    expect(main).toMatch(/vpc_zone_identifier += aws_subnet\.app_subnets\[\*\]\.id/);
  });

  it('is deterministic: the same graph gives the same bytes, whatever the order of its tags', () => {
    const g = awsThreeTier(2);
    const shuffled = { ...g, components: g.components.map((c) => ({ ...c, tags: Object.fromEntries(Object.entries(c.tags ?? {}).reverse()) })) };
    expect(generateTerraform(ZBlueprintGraph.parse(shuffled), { blueprint: 'b', version: 1 })).toEqual(generateTerraform(ZBlueprintGraph.parse(g), { blueprint: 'b', version: 1 }));
  });

  it('any valid blueprint of the catalog gives a module that terraform fmt accepts unchanged (property-based)', () => {
    fc.assert(
      fc.property(graphArbitrary(), (input) => {
        const graph = ZBlueprintGraph.parse(input);
        expect(validateGraph(graph).errors).toBe(0);
        const files = generateTerraform(graph, { blueprint: 'fuzz "${x}"', version: 1 });
        expect(terraformFmt(files)).toEqual({ status: 0, output: '' });
        expect(undeclaredReferences(files)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

/** A value that satisfies a property spec (patterns by their documented example). */
function valueFor(spec: TPropSpec): fc.Arbitrary<unknown> {
  const example = spec.pattern ? (/such as (\S+)$/.exec(spec.pattern.means)?.[1] ?? '/healthz') : null;
  switch (spec.type) {
    case 'string':
      if (spec.enum) return fc.constantFrom(...spec.enum);
      if (example) return fc.constant(example);
      return fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    case 'integer':
      return fc.integer({ min: spec.min ?? 0, max: Math.min(spec.max ?? 100, (spec.min ?? 0) + 100) });
    case 'number':
      return fc.double({ min: spec.min ?? 0, max: spec.max ?? 100, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string[]':
      return fc.array(spec.enum ? fc.constantFrom(...spec.enum) : example ? fc.constant(example) : fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 3 });
    case 'object':
      return fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.constant('10.8.0.0/16'), { maxKeys: 2 });
    case 'object[]':
      return fc.array(fc.record({ direction: fc.constantFrom('ingress', 'egress'), protocol: fc.constantFrom('tcp', 'udp'), port: fc.integer({ min: 1, max: 65535 }), cidr: fc.constant('10.0.0.0/8') }), { maxLength: 3 });
  }
}

/** Graphs of one cloud: components of any kind with valid properties, names with characters HCL must escape. */
function graphArbitrary(): fc.Arbitrary<TBlueprintGraphInput> {
  return fc.constantFrom<TCloud>('aws', 'azure', 'gcp').chain((cloud) => {
    const entries = CATALOG.filter((e) => e.cloud === cloud);
    const regions = REGIONS[cloud].filter((r) => r !== 'global');
    const component = (i: number) =>
      fc.constantFrom(...entries).chain((entry) => {
        const variant = entry.variants?.[0];
        return fc.record({ useVariant: fc.boolean(), region: fc.constantFrom(...regions), suffix: fc.string({ maxLength: 6 }).filter((s) => !s.includes('\u0000')) }).chain(({ useVariant, region, suffix }) => {
          const selected = useVariant && variant ? { [variant.property]: variant.values[0]! } : {};
          const props = resolveEntry(entry, selected).properties.filter((p) => !p.secret && !(useVariant && p.name === variant?.property));
          const required = props.filter((p) => p.required || p.name === entry.requireOne?.[0] || (p.name === 'engine' && !useVariant));
          const optional = props.filter((p) => !required.includes(p));
          return fc.record({
            required: fc.tuple(...required.map((p) => valueFor(p).map((v) => [p.name, v] as const))),
            optional: fc.subarray(optional).chain((chosen) => fc.tuple(...chosen.map((p) => valueFor(p).map((v) => [p.name, v] as const)))),
          }).map(({ required: r, optional: o }) => {
            const properties = Object.fromEntries([...r, ...o, ...Object.entries(selected)]) as Record<string, unknown>;
            if (typeof properties.min === 'number' && typeof properties.max === 'number' && properties.min > properties.max) properties.max = properties.min;
            if (typeof properties.desired === 'number') properties.desired = properties.min ?? properties.desired;
            if (typeof properties.max === 'number' && typeof properties.desired === 'number' && properties.desired > properties.max) properties.desired = properties.max;
            return { id: `c${i}`, kind: entry.kind, name: `prod-app-${entry.kind.replace(/_/g, '')}${suffix.replace(/["\\$%{}]/g, '') === suffix ? '' : ''}`, cloud, region, properties, tags: { Owner: `team "${suffix}" \${x}`, 'Cost Center': 'CC-1' } };
          });
        });
      });
    return fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => component(i))).chain((components) =>
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom('depends_on' as const, 'contains' as const, 'connects_to' as const)), { maxLength: n * 2 }).map((edges) => {
          const seen = new Set<string>();
          // Edges from a later component to an earlier one only: no cycle.
          const relations = edges.filter(([a, b]) => a > b).map(([a, b, type]) => ({ from: `c${a}`, to: `c${b}`, type })).filter((r) => !seen.has(`${r.from}>${r.to}>${r.type}`) && seen.add(`${r.from}>${r.to}>${r.type}`));
          return { components, relations } as TBlueprintGraphInput;
        }),
      ),
    );
  });
}

export type { TBlueprintGraph };
