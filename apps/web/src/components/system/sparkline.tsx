'use client';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

export interface TSeries {
  key: string;
  label: string;
  color: string;
}

/** About how wide one character of the 10 px axis labels is, and the room the tick mark and gap take. */
const CHAR_PX = 6.2;
const TICK_PX = 12;

/** The longest label the axis may draw: its top tick is the data's maximum rounded up to the next power of ten. */
function axisWidth(data: readonly object[], series: TSeries[], format: (v: number) => string): number {
  let max = 0;
  for (const row of data) {
    for (const s of series) {
      const v = (row as Record<string, unknown>)[s.key];
      if (typeof v === 'number' && v > max) max = v;
    }
  }
  const top = max <= 1 ? 1 : 10 ** Math.ceil(Math.log10(max));
  const widest = Math.max(format(0).length, format(top).length, format(max).length);
  return Math.ceil(widest * CHAR_PX + TICK_PX);
}

/**
 * A small live line chart over the kept samples; no animation, so each refresh just redraws. The value axis is as
 * wide as its longest label (labels used to be cut off on the left), with values written by `format`.
 */
export function Sparkline({ data, series, format = String, testId }: { data: readonly object[]; series: TSeries[]; format?: (v: number) => string; testId: string }) {
  return (
    <div className="chart-box" data-testid={testId}>
      <LineChart responsive style={{ width: '100%', height: '100%' }} data={[...data]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#eef2f7" vertical={false} />
        <XAxis dataKey="time" tick={{ fontSize: 10, fill: '#94a3b8' }} interval="preserveStartEnd" minTickGap={40} />
        <YAxis tick={{ fontSize: 10, fill: '#94a3b8' }} allowDecimals={false} width={axisWidth(data, series, format)} tickFormatter={format} />
        <Tooltip isAnimationActive={false} contentStyle={{ fontSize: 12 }} formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} iconSize={8} />}
        {series.map((s) => (
          <Line key={s.key} type="linear" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </div>
  );
}

/**
 * Milliseconds on an axis: `250 ms`, `1.5 s`. The space is a no-break space: Recharts wraps a tick label at spaces
 * when it thinks the label is too wide, which put the unit on a second line under the number.
 */
export const formatMs = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}\u00a0s` : `${v}\u00a0ms`);
export const formatPct = (v: number) => `${v}%`;
