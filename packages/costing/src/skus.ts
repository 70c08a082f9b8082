import { PUBLIC_PRICE_BOOK, type TPrice, type TUnit } from './price-book';

/** The services each cloud's SKUs belong to (the part before the first `:`), with the units they are priced in. */
const SERVICES = new Map<string, Map<string, Set<TUnit>>>();
for (const p of PUBLIC_PRICE_BOOK.prices) {
  const service = p.sku.split(':')[0]!;
  const byService = SERVICES.get(p.cloud) ?? new Map<string, Set<TUnit>>();
  SERVICES.set(p.cloud, byService);
  byService.set(service, (byService.get(service) ?? new Set<TUnit>()).add(p.unit));
}
const KNOWN_UNIT = new Map(PUBLIC_PRICE_BOOK.prices.map((p) => [`${p.cloud}|${p.sku}`, p.unit]));

/**
 * Why a tenant's price for a SKU cannot be used, or null: a SKU of a service the estimator does not price is never
 * read (an unknown SKU), and a unit other than the one the SKU is priced in would be multiplied by the wrong quantity.
 */
export function priceProblem(p: Pick<TPrice, 'cloud' | 'sku' | 'unit'>): { field: 'sku' | 'unit'; message: string } | null {
  const services = SERVICES.get(p.cloud);
  const service = p.sku.split(':')[0] ?? '';
  const units = services?.get(service);
  if (!units || !p.sku.includes(':')) {
    return { field: 'sku', message: `unknown SKU ${p.sku}: ${p.cloud} SKUs are <service>:<name> with service one of ${[...(services?.keys() ?? [])].sort().join(', ')}` };
  }
  const known = KNOWN_UNIT.get(`${p.cloud}|${p.sku}`);
  if (known && known !== p.unit) return { field: 'unit', message: `${p.sku} is priced per ${known}, not per ${p.unit}` };
  if (!known && !units.has(p.unit)) return { field: 'unit', message: `${service} SKUs are priced per ${[...units].join(' or ')}, not per ${p.unit}` };
  return null;
}
