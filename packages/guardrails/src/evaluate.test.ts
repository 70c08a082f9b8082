import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsThreeTier } from '@dharma/db/seed/sample-graphs';
import { evaluate, type TCostFacts, type TExemption } from './evaluate';
import { DEFAULT_POLICIES } from './library';
import { compileExpression, PolicyCompileError, type TPolicy } from './policy';

type TC = TBlueprintGraphInput['components'][number];
const tags = { Environment: 'prod', Owner: 'web', CostCenter: 'CC-1' };
const c = (kind: TC['kind'], properties: Record<string, unknown>, extra: Partial<TC> = {}): TC => ({ id: kind.replace(/_/g, '-'), kind, name: `prod-app-${kind.replace(/_/g, '')}`, cloud: 'aws', region: 'eu-west-1', properties, tags, ...extra });
const policy = (key: string) => DEFAULT_POLICIES.find((p) => p.key === key)!;
/** Cost facts for the fixtures: the budget-limit fixtures differ only in the project's total, the cost-limit ones in one component's cost. */
const COST: Record<string, { pass: TCostFacts; fail: TCostFacts }> = {
  'budget-limit': { pass: { components: {}, monthly: 900, byCategory: {}, budget: { amount: 1000, projected: 900 } }, fail: { components: {}, monthly: 1200, byCategory: {}, budget: { amount: 1000, projected: 1200 } } },
  'component-cost-limit': { pass: { components: { queue: 9000 }, monthly: 9000, byCategory: {} }, fail: { components: { pricey: 12000 }, monthly: 12000, byCategory: {} } },
};
const failuresOf = (key: string, graph: TBlueprintGraphInput, side: 'pass' | 'fail' = 'pass') => evaluate(ZBlueprintGraph.parse(graph), [policy(key)], [], new Date(), { name: '', cost: COST[key]?.[side] }).findings.map((f) => `${f.componentId ?? 'blueprint'}: ${f.message}`);

const db = { engine: 'postgres', instanceClass: 'db.r6g.large', multiAz: true, encrypted: true, publiclyAccessible: false, backupRetentionDays: 14 };
const monitoring = c('monitoring', { retentionDays: 30 });

/** Every default policy with a design that passes it and one that fails it (one finding). */
const FIXTURES: Record<string, { pass: TBlueprintGraphInput; fail: TBlueprintGraphInput }> = {
  'encryption-at-rest': { pass: { components: [c('database', db)] }, fail: { components: [c('database', { ...db, encrypted: false })] } },
  'storage-encryption': { pass: { components: [c('object_storage', { encryption: 'aws:kms' })] }, fail: { components: [c('object_storage', {})] } },
  'no-public-storage': { pass: { components: [c('object_storage', {})] }, fail: { components: [c('object_storage', { publicAccess: true })] } },
  'no-public-database': { pass: { components: [c('database', db)] }, fail: { components: [c('database', { ...db, publiclyAccessible: true })] } },
  'tls-1-2': { pass: { components: [c('cdn', { minTlsVersion: 'TLSv1.2_2021' }), c('cache', { transitEncryption: true })] }, fail: { components: [c('cdn', { minTlsVersion: 'TLSv1_2016' }), c('cache', { transitEncryption: true })] } },
  'private-data-subnets': {
    pass: { components: [c('database', db), c('subnet', { cidr: '10.0.0.0/24', public: false })], relations: [{ from: 'database', to: 'subnet', type: 'depends_on' }] },
    fail: { components: [c('database', db), c('subnet', { cidr: '10.0.0.0/24', public: true })], relations: [{ from: 'database', to: 'subnet', type: 'depends_on' }] },
  },
  'required-tags': { pass: { components: [c('queue', {})] }, fail: { components: [c('queue', {}, { tags: { Environment: 'prod', Owner: 'x' } })] } },
  'database-backups': { pass: { components: [c('database', db)] }, fail: { components: [c('database', { ...db, backupRetentionDays: 7 })] } },
  'production-multi-az': { pass: { components: [c('database', db)] }, fail: { components: [c('database', { ...db, multiAz: false })] } },
  'production-two-zones': { pass: { components: [c('autoscaling_group', { instanceType: 'm5.large', min: 2, max: 4 })] }, fail: { components: [c('autoscaling_group', { instanceType: 'm5.large', min: 1, max: 4 })] } },
  'instance-size-limit': { pass: { components: [c('vm', { instanceType: 'm5.8xlarge' })] }, fail: { components: [c('vm', { instanceType: 'm5.24xlarge' })] } },
  'autoscaling-bounds': { pass: { components: [c('autoscaling_group', { instanceType: 'm5.large', min: 2, max: 10 })] }, fail: { components: [c('autoscaling_group', { instanceType: 'm5.large', min: 2, max: 500 })] } },
  'load-balancer-health-checks': { pass: { components: [c('load_balancer', { healthCheckPath: '/healthz' })] }, fail: { components: [c('load_balancer', {})] } },
  'production-monitoring': { pass: { components: [c('vm', { instanceType: 't3.small' }), monitoring] }, fail: { components: [c('vm', { instanceType: 't3.small' })] } },
  'budget-limit': { pass: { components: [c('queue', {})] }, fail: { components: [c('queue', {})] } },
  'component-cost-limit': { pass: { components: [c('queue', {})] }, fail: { components: [c('queue', {}, { id: 'pricey' })] } },
  'key-vault-protection': { pass: { components: [c('key_vault', {})] }, fail: { components: [c('key_vault', { purgeProtection: false })] } },
};

describe('the default guardrail library', () => {
  it('has a passing and a failing fixture for every policy', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(DEFAULT_POLICIES.map((p) => p.key).sort());
  });

  it.each(DEFAULT_POLICIES.map((p) => p.key))('%s: passes its good design, fails its bad one once', (key) => {
    expect(failuresOf(key, FIXTURES[key]!.pass)).toEqual([]);
    const failures = failuresOf(key, FIXTURES[key]!.fail, 'fail');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(policy(key).message);
  });

  it('the sample three-tier design passes the whole library (advisories aside)', () => {
    const result = evaluate(ZBlueprintGraph.parse(awsThreeTier(3)), DEFAULT_POLICIES);
    expect(result.findings.filter((f) => f.enforcement !== 'advisory')).toEqual([]);
    expect(result).toMatchObject({ passed: true, blocking: 0 });
  });
});

describe('evaluate', () => {
  const bad = ZBlueprintGraph.parse({ components: [c('database', { ...db, publiclyAccessible: true }), c('load_balancer', {})] });
  const lib = [policy('no-public-database'), policy('load-balancer-health-checks')];
  const now = new Date('2026-12-02T12:00:00Z');
  const waiver = (o: Partial<TExemption> = {}): TExemption => ({ id: 'w1', kind: 'waiver', policyKey: 'no-public-database', reason: 'vendor access until migration', approvedBy: 'u2', expiresAt: '2026-12-31T00:00:00Z', revokedAt: null, ...o });

  it('a hard failure blocks and fails; an advisory one does neither; the score weighs severity', () => {
    const r = evaluate(bad, lib, [], now);
    expect(r).toMatchObject({ passed: false, blocking: 1, checks: 2, score: 0 });
    // Waived, the critical check (weight 10 of 12) counts as passed; the medium one still fails.
    expect(evaluate(bad, lib, [waiver()], now).score).toBe(Math.round((100 * 10) / 12));
    expect(evaluate(bad, [policy('load-balancer-health-checks')], [], now)).toMatchObject({ passed: true, blocking: 0, score: 0 });
  });

  it('an approved waiver exempts until it expires; unapproved, expired or revoked it does not', () => {
    expect(evaluate(bad, lib, [waiver()], now)).toMatchObject({ passed: true, blocking: 0 });
    expect(evaluate(bad, lib, [waiver()], now).findings[0]!.exemptedBy).toEqual({ id: 'w1', kind: 'waiver', reason: 'vendor access until migration' });
    expect(evaluate(bad, lib, [waiver()], new Date('2027-01-01T00:00:00Z')).blocking).toBe(1);
    expect(evaluate(bad, lib, [waiver({ approvedBy: null })], now).blocking).toBe(1);
    expect(evaluate(bad, lib, [waiver({ revokedAt: '2026-12-01T00:00:00Z' })], now).blocking).toBe(1);
  });

  it('an override exempts a soft policy only', () => {
    const soft: TPolicy = { ...policy('no-public-database'), enforcement: 'soft' };
    const override = waiver({ kind: 'override', approvedBy: 'u1', expiresAt: null });
    expect(evaluate(bad, [soft], [override], now).blocking).toBe(0);
    expect(evaluate(bad, [policy('no-public-database')], [override], now).blocking).toBe(1);
  });

  it('a policy that cannot be evaluated fails, saying why; a policy that does not compile says where', () => {
    const broken: TPolicy = { ...policy('load-balancer-health-checks'), key: 'x', expression: 'c.properties.nothing == 1' };
    expect(evaluate(bad, [broken], [], now).findings.map((f) => f.message)).toEqual(['could not be evaluated: field not found: nothing']);
    expect(() => compileExpression("c.kind == 'vm' &&", 'expression')).toThrow(PolicyCompileError);
    expect(() => compileExpression("c.kind == 'vm' &&", 'expression')).toThrow(/^expression does not compile: at 1:\d+/);
    const notBool = compileExpression('1 + 2', 'expression')({});
    expect(notBool).toEqual({ ok: false, error: 'expression gave an int, not a bool' });
  });
});
