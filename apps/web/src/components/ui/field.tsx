import type { ReactNode } from 'react';

export function FieldErrors({ messages, testId }: { messages: readonly string[]; testId?: string }) {
  if (messages.length === 0) return null;
  return (
    <div className="field-error" role="alert" data-testid={testId ?? 'field-error'}>
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}

export function Field({ label, htmlFor, errors, hint, children }: { label: string; htmlFor: string; errors: readonly string[]; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && errors.length === 0 && <span className="faint small">{hint}</span>}
      <FieldErrors messages={errors} testId={`error-${htmlFor}`} />
    </div>
  );
}
