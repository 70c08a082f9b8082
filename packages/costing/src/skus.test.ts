import { describe, expect, it } from 'vitest';
import { budgetLevel, budgetUse } from './budget';
import { priceProblem } from './skus';

describe('tenant prices', () => {
  it('accepts a known SKU in its unit, and a new SKU of a priced service', () => {
    expect(priceProblem({ cloud: 'aws', sku: 'ec2:m5.large', unit: 'hour' })).toBeNull();
    expect(priceProblem({ cloud: 'aws', sku: 'ec2:m7i.large', unit: 'hour' })).toBeNull();
  });
  it('refuses an unknown SKU and a bad unit, saying which field and why', () => {
    expect(priceProblem({ cloud: 'aws', sku: 'lightsail:nano', unit: 'hour' })).toEqual({ field: 'sku', message: expect.stringMatching(/^unknown SKU lightsail:nano: aws SKUs are <service>:<name> with service one of .*ec2.*rds/) });
    expect(priceProblem({ cloud: 'aws', sku: 'm5.large', unit: 'hour' })?.field).toBe('sku');
    expect(priceProblem({ cloud: 'aws', sku: 'ec2:m5.large', unit: 'GB-month' })).toEqual({ field: 'unit', message: 'ec2:m5.large is priced per hour, not per GB-month' });
    expect(priceProblem({ cloud: 'gcp', sku: 'gce:n2-standard-2', unit: 'month' })).toEqual({ field: 'unit', message: 'gce SKUs are priced per hour, not per month' });
  });
});

describe('budget thresholds', () => {
  const b = { amount: 1000, warnPercent: 90, alertPercent: 100 };
  it('warns at 90%, alerts at 100%, exactly at the threshold included', () => {
    expect([899.99, 900, 999.99, 1000, 1500].map((x) => budgetLevel(x, b))).toEqual([null, 'warn', 'warn', 'alert', 'alert']);
    expect(budgetUse(912.5, b)).toBe(91.25);
    expect(budgetLevel(1, { amount: 0, warnPercent: 90, alertPercent: 100 })).toBe('alert');
  });
});
