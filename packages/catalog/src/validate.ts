import type { TBlueprintGraph, TComponent } from '@dharma/db/blueprint-graph';
import { catalogEntry, REGIONS, resolveEntry } from './catalog';
import type { TPropSpec } from './properties';

export type TSeverity = 'error' | 'warning';

/** One thing wrong with a version: a code to act on, where (component and field), why, and how to fix it. */
export interface TFinding {
  code: string;
  severity: TSeverity;
  componentId: string | null;
  /** The field, as the console's forms name it: `properties.instanceType`, `region`, `name`. */
  field: string | null;
  message: string;
  hint: string;
}

/** A tenant's own rules (tenants.settings): regions it may use and how names must read. */
export interface TValidationRules {
  /** Regions components may use (any region of the cloud when absent or empty). */
  allowedRegions?: readonly string[];
  /**
   * A naming convention with placeholders, `{env}-{app}-{resource}-{region}` by default: each placeholder one or more
   * lowercase letters or digits; `[...]` marks an optional part. An empty string turns the check off.
   */
  namingConvention?: string;
  /** Whether a name that breaks the convention blocks (error) or informs (warning, the default). */
  namingSeverity?: TSeverity;
}

export const DEFAULT_NAMING_CONVENTION = '{env}-{app}-{resource}[-{region}]';

const kindOf = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

function checkValue(spec: TPropSpec, value: unknown): { code: string; message: string; hint: string } | null {
  const expected = spec.type;
  const typeOk =
    expected === 'string' ? typeof value === 'string'
    : expected === 'integer' ? typeof value === 'number' && Number.isInteger(value)
    : expected === 'number' ? typeof value === 'number'
    : expected === 'boolean' ? typeof value === 'boolean'
    : expected === 'string[]' ? Array.isArray(value) && value.every((v) => typeof v === 'string')
    : expected === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value)
    : Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (!typeOk) return { code: 'property-type', message: `${spec.label} must be ${expected === 'integer' ? 'a whole number' : expected === 'string[]' ? 'a list of strings' : expected === 'object[]' ? 'a list of objects' : `a ${expected}`}, not ${kindOf(value)}`, hint: `set ${spec.name} to a value of type ${expected}` };
  const items = typeof value === 'string' ? [value] : Array.isArray(value) && expected === 'string[]' ? (value as string[]) : [];
  for (const item of items) {
    if (spec.enum && !spec.enum.includes(item)) return { code: 'property-enum', message: `${spec.label} "${item}" is not one of: ${spec.enum.join(', ')}`, hint: `choose one of ${spec.enum.join(', ')}` };
    if (spec.pattern && !new RegExp(spec.pattern.source).test(item)) return { code: 'property-format', message: `${spec.label} "${item}" must be ${spec.pattern.means}`, hint: `write ${spec.pattern.means}` };
  }
  if (typeof value === 'number' && ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))) {
    return { code: 'property-range', message: `${spec.label} must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}, not ${value}`, hint: `use a value from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}` };
  }
  return null;
}

/** The convention as a regular expression: `{x}` one or more of [a-z0-9], `[...]` optional, the rest literal. */
export function conventionPattern(convention: string): RegExp {
  let source = '';
  for (const part of convention.split(/(\{[a-z]+\}|\[|\])/)) {
    if (part === '') continue;
    if (part === '[') source += '(?:';
    else if (part === ']') source += ')?';
    else if (/^\{[a-z]+\}$/.test(part)) source += '[a-z0-9]+';
    else source += part.replace(/[.*+?^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function componentFindings(c: TComponent, rules: TValidationRules, naming: RegExp | null): TFinding[] {
  const out: TFinding[] = [];
  const at = (code: string, severity: TSeverity, field: string | null, message: string, hint: string) => out.push({ code, severity, componentId: c.id, field, message, hint });
  const entry = catalogEntry(c.kind, c.cloud);
  if (!entry) {
    at('unknown-kind', 'error', 'kind', `${c.cloud} has no ${c.kind} in the catalog`, 'choose a kind from the catalog for this cloud');
    return out;
  }
  if (!REGIONS[c.cloud].includes(c.region)) at('unknown-region', 'error', 'region', `"${c.region}" is not a ${c.cloud} region`, `use one of ${c.cloud}'s regions, e.g. ${REGIONS[c.cloud].slice(0, 3).join(', ')}`);
  else if (rules.allowedRegions && rules.allowedRegions.length > 0 && c.region !== 'global' && !rules.allowedRegions.includes(c.region)) {
    at('region-not-allowed', 'error', 'region', `region ${c.region} is outside this tenant's allowed regions (${rules.allowedRegions.join(', ')})`, 'move the component to an allowed region or ask an admin to allow this one');
  }
  if (naming && !naming.test(c.name)) at('naming-convention', rules.namingSeverity ?? 'warning', 'name', `name "${c.name}" does not follow the convention ${rules.namingConvention ?? DEFAULT_NAMING_CONVENTION}`, 'rename it, lowercase parts separated by "-"');

  const { properties, label } = resolveEntry(entry, c.properties);
  const specs = new Map(properties.map((p) => [p.name, p]));
  for (const spec of properties) {
    const value = c.properties[spec.name];
    if (spec.secret && value !== undefined) {
      at('secret-in-blueprint', 'error', `properties.${spec.name}`, `${spec.label} is a secret and must not be stored in a blueprint`, 'remove the value: the generated code asks for it as a sensitive variable or parameter');
      continue;
    }
    if (value === undefined || value === null) {
      if (spec.required) at('property-required', 'error', `properties.${spec.name}`, `${spec.label} is required for a ${label}`, `set ${spec.name}`);
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem) at(problem.code, 'error', `properties.${spec.name}`, problem.message, problem.hint);
  }
  if (entry.requireOne && entry.requireOne.every((name) => c.properties[name] === undefined || c.properties[name] === null)) {
    const labels = entry.requireOne.map((name) => specs.get(name)?.label ?? name);
    at('property-required', 'error', `properties.${entry.requireOne[0]}`, `${labels.join(' or ')} is required for ${label}`, `set ${entry.requireOne.join(' or ')}`);
  }
  for (const name of Object.keys(c.properties)) {
    if (!specs.has(name)) at('property-unknown', 'warning', `properties.${name}`, `${label} has no property "${name}"; it is ignored by the generators`, `remove it or use one of: ${properties.map((p) => p.name).join(', ')}`);
  }
  const { min, max, desired } = c.properties as { min?: unknown; max?: unknown; desired?: unknown };
  if (typeof min === 'number' && typeof max === 'number' && min > max) at('property-range', 'error', 'properties.min', `minimum ${min} is above maximum ${max}`, 'make min at most max');
  if (typeof desired === 'number' && ((typeof min === 'number' && desired < min) || (typeof max === 'number' && desired > max))) at('property-range', 'error', 'properties.desired', `desired ${desired} is outside ${String(min)}..${String(max)}`, 'set desired between min and max');
  return out;
}

/**
 * Every finding for a version's graph against the catalog and the tenant's rules. The graph's own rules (unique ids,
 * no dangling relation, no cycle) hold already: a version cannot be saved without them (ZBlueprintGraph). Findings
 * come in component order, then relations; `errors` is how many block.
 */
export function validateGraph(graph: TBlueprintGraph, rules: TValidationRules = {}): { findings: TFinding[]; errors: number; warnings: number } {
  const convention = rules.namingConvention ?? DEFAULT_NAMING_CONVENTION;
  const naming = convention === '' ? null : conventionPattern(convention);
  const findings = graph.components.flatMap((c) => componentFindings(c, rules, naming));
  const byId = new Map(graph.components.map((c) => [c.id, c]));
  for (const r of graph.relations) {
    const from = byId.get(r.from);
    const to = byId.get(r.to);
    if (from && to && from.cloud !== to.cloud && r.type !== 'connects_to') {
      findings.push({ code: 'cross-cloud-dependency', severity: 'error', componentId: from.id, field: 'relations', message: `${from.id} (${from.cloud}) ${r.type} ${to.id} (${to.cloud}): one cloud's resource cannot reference another's`, hint: 'use connects_to for traffic between clouds, or move both to one cloud' });
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { findings, errors, warnings: findings.length - errors };
}
