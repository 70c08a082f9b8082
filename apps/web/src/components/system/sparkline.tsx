'use client';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

export interface TSeries {
  key: string;
  label: string;
  color: string;
}

/** A small live line chart over the kept samples; no animation, so each refresh just redraws. */
export function Sparkline({ data, series, unit, testId }: { data: readonly object[]; series: TSeries[]; unit?: string; testId: string }) {
  return (
    <div className="chart-box" data-testid={testId}>
      <LineChart responsive style={{ width: '100%', height: '100%' }} data={[...data]} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
        <CartesianGrid stroke="#eef2f7" vertical={false} />
        <XAxis dataKey="time" tick={{ fontSize: 10, fill: '#94a3b8' }} interval="preserveStartEnd" minTickGap={40} />
        <YAxis tick={{ fontSize: 10, fill: '#94a3b8' }} allowDecimals={false} width={48} unit={unit} />
        <Tooltip isAnimationActive={false} contentStyle={{ fontSize: 12 }} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} iconSize={8} />}
        {series.map((s) => (
          <Line key={s.key} type="linear" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </div>
  );
}
