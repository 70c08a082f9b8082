'use client';
import { useState } from 'react';
import { REGIONS } from '@dharma/catalog/catalog';
import type { TPropSpec } from '@dharma/catalog/properties';
import type { TFinding } from '@dharma/catalog/validate';
import type { TComponentEstimate } from '@dharma/costing/estimate';
import type { TGuardrailFinding } from '@dharma/guardrails/evaluate';
import type { TComponent } from '@dharma/db/blueprint-graph';
import { formatUsd } from '../../lib/format';


/** One property's input, by its spec's type; a value it cannot read stays as typed and is reported by validation. */
function PropertyInput({ spec, value, onChange }: { spec: TPropSpec; value: unknown; onChange: (v: unknown) => void }) {
  const id = `prop-${spec.name}`;
  if (spec.type === 'boolean') {
    return <input id={id} type="checkbox" checked={value === undefined ? spec.default === true : value === true} onChange={(e) => onChange(e.target.checked)} data-testid={id} />;
  }
  if (spec.type === 'string' && spec.enum) {
    return (
      <select id={id} className="select" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={id}>
        <option value="">{spec.default !== undefined ? `(default: ${String(spec.default)})` : '—'}</option>
        {spec.enum.map((v) => <option key={v}>{v}</option>)}
      </select>
    );
  }
  if (spec.type === 'integer' || spec.type === 'number') {
    return <input id={id} className="input" type="number" min={spec.min} max={spec.max} placeholder={spec.default !== undefined ? String(spec.default) : ''} value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} data-testid={id} />;
  }
  if (spec.type === 'string[]') {
    return <input id={id} className="input" placeholder="comma-separated" value={Array.isArray(value) ? value.join(', ') : ''} onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} data-testid={id} />;
  }
  if (spec.type === 'object' || spec.type === 'object[]') return <JsonInput id={id} value={value} onChange={onChange} />;
  return <input id={id} className="input" placeholder={spec.pattern ? spec.pattern.means : spec.default !== undefined ? String(spec.default) : ''} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={id} />;
}

function JsonInput({ id, value, onChange }: { id: string; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        id={id}
        className={`textarea mono${bad ? ' invalid' : ''}`}
        rows={2}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(e.target.value.trim() === '' ? undefined : JSON.parse(e.target.value));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
        data-testid={id}
      />
      {bad && <div className="field-error">not valid JSON yet</div>}
    </>
  );
}

/**
 * The selected component's form, generated from its catalog entry: identity, region, every property of its kind
 * (with defaults and formats as placeholders), tags; with what validation, the guardrails and the estimate say of it.
 */
export function PropertyForm({ component: c, properties, findings, guardrails, cost, onChange, onRemove }: {
  component: TComponent;
  properties: TPropSpec[];
  findings: TFinding[];
  guardrails: TGuardrailFinding[];
  cost: TComponentEstimate | null;
  onChange: (patch: Partial<TComponent>) => void;
  onRemove: () => void;
}) {
  const fieldIssues = (field: string) => findings.filter((f) => f.field === field);
  const setProp = (name: string, v: unknown) => {
    const next = { ...c.properties };
    if (v === undefined) delete next[name];
    else next[name] = v as never;
    onChange({ properties: next });
  };
  const [tagsText, setTagsText] = useState(JSON.stringify(c.tags));
  return (
    <div className="stack" data-testid="property-form">
      <h3>{c.kind.replace(/_/g, ' ')} <span className="faint small">{c.cloud}</span></h3>
      <label className="field"><span>Id</span><input className="input mono" value={c.id} onChange={(e) => onChange({ id: e.target.value })} data-testid="prop-id" /></label>
      <label className="field">
        <span>Name</span>
        <input className="input" value={c.name} onChange={(e) => onChange({ name: e.target.value })} data-testid="prop-name" />
        {fieldIssues('name').map((f) => <span key={f.code} className="field-error small">{f.message}</span>)}
      </label>
      <label className="field">
        <span>Region</span>
        <select className="select" value={c.region} onChange={(e) => onChange({ region: e.target.value })} data-testid="prop-region">
          {!REGIONS[c.cloud].includes(c.region) && <option>{c.region}</option>}
          {REGIONS[c.cloud].map((r) => <option key={r}>{r}</option>)}
        </select>
        {fieldIssues('region').map((f) => <span key={f.code} className="field-error small">{f.message}</span>)}
      </label>
      {properties.filter((p) => !p.secret).map((p) => (
        <label key={p.name} className="field" htmlFor={`prop-${p.name}`}>
          <span>{p.label}{p.required ? ' *' : ''}</span>
          <PropertyInput spec={p} value={c.properties[p.name]} onChange={(v) => setProp(p.name, v)} />
          {fieldIssues(`properties.${p.name}`).map((f) => <span key={f.code} className="field-error small" data-testid="prop-error">{f.message}</span>)}
        </label>
      ))}
      {properties.some((p) => p.secret) && <div className="muted small">Secrets ({properties.filter((p) => p.secret).map((p) => p.label).join(', ')}) are never stored: the generated code asks for them.</div>}
      <label className="field">
        <span>Tags (JSON)</span>
        <textarea className="textarea mono" rows={2} value={tagsText} onChange={(e) => { setTagsText(e.target.value); try { onChange({ tags: JSON.parse(e.target.value) as Record<string, string> }); } catch { /* kept as typed until it parses */ } }} data-testid="prop-tags" />
      </label>
      {findings.filter((f) => !f.field?.startsWith('properties.') && f.field !== 'name' && f.field !== 'region').map((f) => <div key={f.code} className="alert alert-warning small">{f.message}</div>)}
      {guardrails.length > 0 && (
        <div className="stack small" data-testid="inspector-guardrails">
          <strong>Guardrails</strong>
          {guardrails.map((g) => <div key={g.policyKey} className={g.enforcement === 'advisory' ? 'muted' : 'field-error'}>{g.policyName} ({g.enforcement}): {g.message}</div>)}
        </div>
      )}
      {cost && (
        <div className="small" data-testid="inspector-cost">
          <strong>Cost</strong> {cost.status === 'priced' || cost.status === 'partial' ? `${formatUsd(cost.monthly)} a month` : cost.status}
          {cost.notes.map((n) => <div key={n} className="muted">{n}</div>)}
        </div>
      )}
      <button type="button" className="btn btn-danger btn-sm" onClick={onRemove} data-testid="prop-remove">Remove component</button>
    </div>
  );
}
