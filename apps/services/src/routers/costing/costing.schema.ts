import { z } from 'zod';
import { ZText } from '@dharma/db/blueprint-graph';
import { UNITS } from '@dharma/costing/price-book';

const ZCloud = z.enum(['aws', 'azure', 'gcp'], { error: 'must be aws, azure or gcp' });

export const ZPriceInput = z.object({
  cloud: ZCloud,
  region: z.string().regex(/^[a-z0-9-]{2,40}$/, { error: 'must be a region such as eu-west-1, westeurope or europe-west4' }),
  sku: z.string().trim().min(3, { error: 'must be a SKU such as ec2:m5.large' }).max(120, { error: 'must be at most 120 characters' }),
  unit: z.enum(UNITS, { error: `must be one of: ${UNITS.join(', ')}` }),
  price: z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' }).min(0, { error: 'must be 0 or more' }).max(1_000_000, { error: 'must be at most 1,000,000 USD per unit' }),
  effective: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }),
  source: ZText().trim().max(300, { error: 'must be at most 300 characters' }).default(''),
});

export const ZDiscountInput = z.object({
  cloud: ZCloud,
  skuPrefix: z.string().trim().max(60, { error: 'must be at most 60 characters' }).regex(/^([a-z0-9-]+:?[A-Za-z0-9._:-]*)?$/, { error: 'must be empty (the whole cloud) or a SKU prefix such as ec2: or rds:postgres:' }).default(''),
  percent: z.number({ error: 'must be a number' }).gt(0, { error: 'must be more than 0' }).max(100, { error: 'must be at most 100' }),
  note: ZText().trim().max(300, { error: 'must be at most 300 characters' }).default(''),
});

export const ZBudgetInput = z
  .object({
    projectId: z.uuid({ error: 'must be a uuid' }),
    amount: z.number({ error: 'must be a number' }).finite().min(0, { error: 'must be 0 or more' }).max(1_000_000_000, { error: 'must be at most 1,000,000,000 USD' }),
    warnPercent: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).max(1000).default(90),
    alertPercent: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).max(1000).default(100),
  })
  .refine((b) => b.warnPercent <= b.alertPercent, { message: 'must not be above alertPercent', path: ['warnPercent'] });
