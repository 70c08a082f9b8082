'use client';
import { RELATION_TYPES } from '@dharma/db/blueprint-graph';
import type { TFieldIssue } from '../../lib/errors';
import { issuesAt, newComponentRow, newRelationRow, renameComponent, type TComponentRow, type TGraphForm, type TRelationRow } from '../../lib/graph-form';
import { ComponentRowEditor } from './component-row-editor';
import { FieldErrors } from '../ui/field';

/**
 * The graph as editable rows: components (id, kind, name, cloud, region, JSON properties and tags) and relations
 * (from, to, type, JSON properties). Used by both "new" and "edit". Errors are shown under the field they name.
 */
export function GraphEditor({
  form, onChange, issues, defaultCloud, disabled,
}: {
  form: TGraphForm;
  onChange: (next: TGraphForm) => void;
  issues: readonly TFieldIssue[];
  defaultCloud: string;
  disabled?: boolean;
}) {
  const ids = form.components.map((c) => c.id.trim()).filter(Boolean);
  const setComponent = (i: number, patch: Partial<TComponentRow>) =>
    onChange({ ...form, components: form.components.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const setRelation = (i: number, patch: Partial<TRelationRow>) =>
    onChange({ ...form, relations: form.relations.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const addComponent = () => {
    const last = form.components[form.components.length - 1];
    onChange({ ...form, components: [...form.components, newComponentRow({ cloud: last?.cloud ?? defaultCloud, region: last?.region })] });
  };
  // Relations to a removed component are kept on purpose: they show up as errors instead of vanishing silently.
  const removeComponent = (i: number) => onChange({ ...form, components: form.components.filter((_, j) => j !== i) });
  const addRelation = () => onChange({ ...form, relations: [...form.relations, newRelationRow(ids[0] ?? '', ids[1] ?? '')] });
  const removeRelation = (i: number) => onChange({ ...form, relations: form.relations.filter((_, j) => j !== i) });
  const err = (key: string, nested = true) => issuesAt(issues, key, nested);
  const cls = (base: string, key: string) => (err(key).length > 0 ? `${base} invalid` : base);

  return (
    <div className="stack" data-testid="graph-editor">
      <div className="card">
        <div className="card-header">
          <h2>
            Components <span className="muted">({form.components.length})</span>
          </h2>
          <button type="button" className="btn btn-sm" onClick={addComponent} disabled={disabled} data-testid="add-component">
            + Add component
          </button>
        </div>
        <FieldErrors messages={err('graph.components', false)} />
        {form.components.length === 0 ? (
          <div className="state small" data-testid="no-components">
            No components yet. Add one to start the design.
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table editor" data-testid="component-editor">
              <thead>
                <tr>
                  <th style={{ width: '14%' }}>Id</th>
                  <th style={{ width: '15%' }}>Kind</th>
                  <th>Name</th>
                  <th style={{ width: 90 }}>Cloud</th>
                  <th style={{ width: '13%' }}>Region</th>
                  <th style={{ width: 40 }} />
                </tr>
              </thead>
              {form.components.map((c, i) => (
                <ComponentRowEditor
                  key={c.key}
                  row={c}
                  index={i}
                  issues={issues}
                  disabled={disabled}
                  onPatch={(patch) => setComponent(i, patch)}
                  onRename={(id) => onChange(renameComponent(form, i, id))}
                  onRemove={() => removeComponent(i)}
                />
              ))}
            </table>
          </div>
        )}
      </div>

      <div className="card">
        <div className="card-header">
          <h2>
            Relations <span className="muted">({form.relations.length})</span>
          </h2>
          <button type="button" className="btn btn-sm" onClick={addRelation} disabled={disabled || ids.length < 2} data-testid="add-relation">
            + Add relation
          </button>
        </div>
        <FieldErrors messages={err('graph.relations', false)} />
        {form.relations.length === 0 ? (
          <div className="state small">No relations. They need at least two components.</div>
        ) : (
          <div className="table-wrap">
            <table className="table editor" data-testid="relation-editor">
              <thead>
                <tr>
                  <th>From</th>
                  <th>To</th>
                  <th style={{ width: 150 }}>Type</th>
                  <th>Properties (JSON)</th>
                  <th style={{ width: 40 }} />
                </tr>
              </thead>
              <tbody>
                {form.relations.map((r, i) => {
                  const k = `graph.relations[${i}]`;
                  return (
                    <tr key={r.key} className="editor-fields" data-testid={`relation-${i}`}>
                      <td data-label="From">
                        <IdSelect value={r.from} ids={ids} invalid={err(`${k}.from`).length > 0} label={`Relation ${i + 1} from`} testId={`relation-${i}-from`} disabled={disabled} onChange={(from) => setRelation(i, { from })} />
                        <FieldErrors messages={err(`${k}.from`)} testId={`error-${k}.from`} />
                        <FieldErrors messages={err(k, false)} testId={`error-${k}`} />
                      </td>
                      <td data-label="To">
                        <IdSelect value={r.to} ids={ids} invalid={err(`${k}.to`).length > 0} label={`Relation ${i + 1} to`} testId={`relation-${i}-to`} disabled={disabled} onChange={(to) => setRelation(i, { to })} />
                        <FieldErrors messages={err(`${k}.to`)} testId={`error-${k}.to`} />
                      </td>
                      <td data-label="Type">
                        <select
                          className={cls('select', `${k}.type`)}
                          aria-label={`Relation ${i + 1} type`}
                          data-testid={`relation-${i}-type`}
                          value={r.type}
                          disabled={disabled}
                          onChange={(e) => setRelation(i, { type: e.target.value })}
                        >
                          {RELATION_TYPES.map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td data-label="Properties (JSON)">
                        <input
                          className={cls('input mono', `${k}.properties`)}
                          aria-label={`Relation ${i + 1} properties`}
                          data-testid={`relation-${i}-properties`}
                          value={r.properties}
                          spellCheck={false}
                          disabled={disabled}
                          onChange={(e) => setRelation(i, { properties: e.target.value })}
                        />
                        <FieldErrors messages={err(`${k}.properties`)} testId={`error-${k}.properties`} />
                      </td>
                      <td className="editor-actions">
                        <button
                          type="button"
                          className="btn btn-sm btn-ghost btn-danger"
                          title="Remove relation"
                          aria-label={`Remove relation ${i + 1}`}
                          data-testid={`relation-${i}-remove`}
                          disabled={disabled}
                          onClick={() => removeRelation(i)}
                        >
                          ✕
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

/** A component id picker; an id that no longer exists stays selectable (and flagged) rather than silently changing. */
function IdSelect({
  value, ids, invalid, label, testId, disabled, onChange,
}: {
  value: string;
  ids: string[];
  invalid: boolean;
  label: string;
  testId: string;
  disabled?: boolean;
  onChange: (id: string) => void;
}) {
  const known = ids.includes(value);
  return (
    <select className={invalid ? 'select mono invalid' : 'select mono'} aria-label={label} data-testid={testId} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      {!known && <option value={value}>{value ? `${value} (missing)` : '— choose —'}</option>}
      {[...new Set(ids)].map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </select>
  );
}
