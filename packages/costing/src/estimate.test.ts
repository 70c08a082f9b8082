import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsThreeTier, azureDataPlatform, gcpGkeService } from '@dharma/db/seed/sample-graphs';
import { diffEstimates, estimate } from './estimate';
import { PUBLIC_PRICE_BOOK, type TPriceBook } from './price-book';

type TC = TBlueprintGraphInput['components'][number];
const c = (id: string, kind: TC['kind'], properties: Record<string, unknown>, region = 'eu-west-1'): TC => ({ id, kind, name: `prod-app-${id}`, cloud: 'aws', region, properties, tags: {} });
/** Priced by hand from the shipped book (eu-west-1), below. */
const design = (): TBlueprintGraphInput => ({
  components: [
    c('vpc', 'vpc', { cidr: '10.0.0.0/16' }),
    c('web', 'vm', { instanceType: 't3.small', diskGb: 50 }),
    c('db', 'database', { engine: 'postgres', instanceClass: 'db.r6g.large', multiAz: true, storageGb: 100 }),
    c('cache', 'cache', { nodeType: 'cache.r6g.large', replicas: 1 }),
    c('assets', 'object_storage', { storageGb: 500 }),
    c('fn', 'function', { runtime: 'nodejs20.x' }),
  ],
});
const run = (g: TBlueprintGraphInput, books: TPriceBook[] = [PUBLIC_PRICE_BOOK], discounts = []) => estimate(ZBlueprintGraph.parse(g), books, discounts);

describe('estimate', () => {
  it('matches a blueprint priced by hand, to the cent', () => {
    // web: 0.0228 × 730 = 16.644 -> 16.64, + 50 GB × 0.088 = 4.40        21.04
    // db: 0.25 × 730 × 2 (Multi-AZ) = 365.00, + 100 GB × 2 × 0.127 = 25.40  390.40
    // cache: 0.228 × 730 × 2 nodes = 332.88                                332.88
    // assets: 500 GB × 0.023 = 11.50 (requests not priced: partial)         11.50
    const e = run(design());
    expect(e.components.map((x) => `${x.componentId} ${x.status} ${x.monthly.toFixed(2)}`)).toEqual(['vpc free 0.00', 'web priced 21.04', 'db priced 390.40', 'cache priced 332.88', 'assets partial 11.50', 'fn unpriced 0.00']);
    expect(e.monthly).toBe(755.82);
    expect(e.yearly).toBe(9069.84);
    expect(e.hourly).toBe(1.0354);
    expect(e.byCategory).toEqual({ compute: 21.04, storage: 11.5, network: 0, database: 723.28, other: 0 });
  });

  it('says what it could not price and why: never a silent zero', () => {
    const e = run({ components: [...design().components, c('far', 'vm', { instanceType: 't3.small' }, 'eu-west-3'), c('odd', 'vm', { instanceType: 'x9.huge' })] });
    expect(e.coverage).toMatchObject({ priced: 3, partial: 2, free: 1, unpriced: 2, total: 8 });
    expect(e.coverage.missing.map((m) => `${m.componentId}: ${m.reason}`)).toEqual([
      'fn: usage-based (invocations and compute time): the design has no usage figures to price',
      `far: no price for ec2:t3.small in eu-west-3 (price book ${PUBLIC_PRICE_BOOK.version}); no price for ebs:gp3 in eu-west-3 (price book ${PUBLIC_PRICE_BOOK.version})`,
      `odd: no price for ec2:x9.huge in eu-west-1 (price book ${PUBLIC_PRICE_BOOK.version})`,
    ]);
    expect(e.components.find((x) => x.componentId === 'odd')).toMatchObject({ status: 'partial', monthly: 2.64 });
  });

  it('a private price and a discount change the estimate', () => {
    const mine: TPriceBook = { version: 'acme-2026', prices: [{ cloud: 'aws', region: 'eu-west-1', sku: 'ec2:t3.small', unit: 'hour', price: 0.02, effective: '2026-11-01', source: 'acme enterprise agreement' }] };
    const withPrivate = run(design(), [PUBLIC_PRICE_BOOK, mine]);
    expect(withPrivate.components.find((x) => x.componentId === 'web')!.monthly).toBe(19.0);
    const discounted = estimate(ZBlueprintGraph.parse(design()), [PUBLIC_PRICE_BOOK], [{ cloud: 'aws', skuPrefix: 'rds:', percent: 10 }]);
    // db: 0.225 × 730 × 2 = 328.50, + 200 GB × 0.1143 = 22.86 -> 351.36
    expect(discounted.components.find((x) => x.componentId === 'db')!.monthly).toBe(351.36);
    expect(discounted.monthly).toBe(716.78);
  });

  it('prices the sample designs of every cloud, each component accounted for', () => {
    for (const g of [awsThreeTier(3), azureDataPlatform(2), gcpGkeService()]) {
      const e = run(g);
      expect(e.coverage.priced + e.coverage.partial + e.coverage.free + e.coverage.unpriced).toBe(e.coverage.total);
      expect(e.monthly).toBeGreaterThan(0);
    }
  });

  it('diffs two versions per component and in total', () => {
    const before = run(design());
    const bigger = design();
    bigger.components[1] = c('web', 'vm', { instanceType: 'm5.large', diskGb: 50 });
    const d = diffEstimates(before, run(bigger));
    // web: 0.107 × 730 = 78.11 + 4.40 = 82.51 (was 21.04)
    expect(d).toEqual({ monthlyBefore: 755.82, monthlyAfter: 817.29, change: 61.47, components: [{ componentId: 'web', before: 21.04, after: 82.51, change: 61.47 }] });
  });
});
