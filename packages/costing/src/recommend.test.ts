import { describe, expect, it } from 'vitest';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '@dharma/db/blueprint-graph';
import { awsThreeTier } from '@dharma/db/seed/sample-graphs';
import { OFFICE_HOURS } from './estimate';
import { PUBLIC_PRICE_BOOK } from './price-book';
import { recommend } from './recommend';

type TC = TBlueprintGraphInput['components'][number];
const c = (id: string, kind: TC['kind'], properties: Record<string, unknown>, environment = 'dev'): TC => ({ id, kind, name: `${environment}-app-${id}`, cloud: 'aws', region: 'eu-west-1', properties, tags: { Environment: environment } });
const run = (components: TC[]) => recommend(ZBlueprintGraph.parse({ components }), [PUBLIC_PRICE_BOOK]);

describe('recommend', () => {
  it('right-sizes and schedules non-production machines, with savings from the price book', () => {
    const recs = run([c('web', 'vm', { instanceType: 'm5.2xlarge', diskGb: 30 })]);
    expect(recs.map((r) => `${r.key} ${r.monthlySavings}`)).toEqual([
      // m5.2xlarge 0.428 × 730 = 312.44 against 0.428 × 261 = 111.71 (weekdays, 12 h): 200.73
      `scheduled-shutdown:web ${Math.round((312.44 - Math.round(0.428 * OFFICE_HOURS * 100) / 100) * 100) / 100}`,
      // m5.2xlarge -> m5.xlarge: 312.44 - 156.22 = 156.22
      'right-size:web 156.22',
    ]);
    expect(recs[1]!.patch).toEqual({ instanceType: 'm5.xlarge' });
  });

  it('moves large standard buckets to a colder tier', () => {
    const [rec] = run([c('logs', 'object_storage', { storageGb: 10000 }, 'prod')]);
    // 10,000 GB × (0.023 - 0.0125)
    expect(rec).toMatchObject({ key: 'colder-storage:logs', patch: { storageClass: 'STANDARD_IA' }, monthlySavings: 105 });
  });

  it('leaves production machines alone, and says nothing it cannot price', () => {
    expect(run([c('web', 'vm', { instanceType: 'm5.2xlarge' }, 'prod')])).toEqual([]);
    expect(run([c('odd', 'vm', { instanceType: 'x9.2xlarge' })])).toEqual([]);
    expect(recommend(ZBlueprintGraph.parse(awsThreeTier(3)), [PUBLIC_PRICE_BOOK])).toEqual([]);
  });
});
