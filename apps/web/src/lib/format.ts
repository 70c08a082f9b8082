const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago", "yesterday"; `now` is passed in so server and browser render the same text. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? 'just now' : rtf.format(seconds, 'second');
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
export const formatDate = (iso: string) => `${dateFmt.format(new Date(iso))} UTC`;

const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });
export const formatTime = (iso: string) => timeFmt.format(new Date(iso));

const numFmt = new Intl.NumberFormat('en-US');
export const formatNumber = (n: number | null | undefined) => (n === null || n === undefined ? '—' : numFmt.format(n));

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const formatPercent = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`);

export const shortHash = (hash: string) => hash.slice(0, 10);

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((p) => p[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

/** A compact one-line rendering of a JSON value for tables. */
export function inlineValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** `{ instanceType: "m5.large", min: 2 }` → ["instanceType=m5.large", "min=2"]. */
export function summariseRecord(record: Record<string, unknown> | undefined): string[] {
  return Object.entries(record ?? {}).map(([k, v]) => `${k}=${inlineValue(v)}`);
}

const usdFmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usdWholeFmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const unitPriceFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
/** "$1,012.91"; `whole` rounds to dollars ("$110", for badges). */
export const formatUsd = (n: number, { whole = false } = {}) => (whole ? usdWholeFmt : usdFmt).format(n);
/** A unit price keeps its precision: an hour of a small instance is a fraction of a cent ("$0.0252"). */
export const formatUnitPrice = (n: number) => `$${unitPriceFmt.format(n)}`;
