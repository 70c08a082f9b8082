import type { ReactNode } from 'react';

export function ChartCard({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <div className="card">
      <div className="card-header">
        <h3 data-testid={testId}>{title}</h3>
      </div>
      <div className="card-body" style={{ padding: '8px 8px 4px' }}>
        {children}
      </div>
    </div>
  );
}
