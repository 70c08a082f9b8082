'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { TBlueprintDetail, TRouterInputs } from '../../lib/api-types';
import { checkMeta, focusFirstInvalid, submitFailure, validateBlueprintForm } from '../../lib/blueprint-form';
import { isMissing, toApiError, type TFieldIssue } from '../../lib/errors';
import { formMatchesGraph, loadedGraphJson } from '../../lib/graph-compare';
import { announceNavigation } from '../../lib/navigation-events';
import { graphToForm, issuesAt, type TGraphForm } from '../../lib/graph-form';
import { rebaseForm } from '../../lib/rebase-form';
import { canEditBlueprint } from '../../lib/roles';
import { keyedMutation, useTRPC, useTRPCClient } from '../../lib/trpc/client';
import { useSubmissionKey } from '../../lib/use-submission-key';
import { useSessionUser } from '../shell/session-context';
import { UnsavedChangesGuard } from '../shell/unsaved-changes-guard';
import { Field } from '../ui/field';
import { ErrorState, NotFoundState, SkeletonBlock } from '../ui/states';
import { BlueprintHeader } from './blueprint-header';
import { ConflictPanel } from './conflict-panel';
import { DescriptionField } from './description-field';
import { FormIssues } from './form-issues';
import { GraphEditor } from './graph-editor';

type TSaveInput = TRouterInputs['blueprints']['saveVersion'];

export function EditBlueprint({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useSessionUser();
  const bp = useQuery(trpc.blueprints.byId.queryOptions({ id }));

  if (bp.isPending) return <div className="card card-body"><SkeletonBlock lines={8} /></div>;
  if (bp.isError) {
    if (isMissing(bp.error)) return <NotFoundState />;
    return <ErrorState error={bp.error} title="Could not load the blueprint" />;
  }
  const b = bp.data;
  if (b.archivedAt) {
    return (
      <div className="stack">
        <BlueprintHeader blueprint={b} crumb="Edit" />
        <div className="alert alert-warning">Archived blueprints cannot be edited. Restore it first.</div>
      </div>
    );
  }
  if (!canEditBlueprint(user.permissions, user.id, b.createdBy)) {
    return (
      <div className="stack">
        <BlueprintHeader blueprint={b} crumb="Edit" />
        <div className="alert alert-warning" data-testid="no-edit-permission">Your roles do not allow editing this blueprint.</div>
      </div>
    );
  }
  // Keyed by the blueprint only: a newer version arriving (after a conflict) must never reset what the user typed.
  return <EditForm key={b.id} latest={b} loadingLatest={bp.isFetching} onReloadLatest={() => void bp.refetch()} />;
}

/** The version an edit builds on: what Save compares against and sends as `baseVersion`. */
interface TBase {
  version: number;
  graph: TBlueprintGraph;
  name: string;
  description: string;
}
const baseOf = (b: TBlueprintDetail): TBase => ({ version: b.currentVersion, graph: b.graph, name: b.name, description: b.description });

function EditForm({ latest, loadingLatest, onReloadLatest }: { latest: TBlueprintDetail; loadingLatest: boolean; onReloadLatest: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const router = useRouter();
  const id = latest.id;
  const [base, setBase] = useState<TBase>(() => baseOf(latest));
  const [name, setName] = useState(latest.name);
  const [description, setDescription] = useState(latest.description);
  const [message, setMessage] = useState('');
  const [form, setForm] = useState<TGraphForm>(() => graphToForm(latest.graph));
  const [issues, setIssues] = useState<TFieldIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [rebased, setRebased] = useState<{ from: number; to: number; conflicts: string[] } | null>(null);
  const [saved, setSaved] = useState(false);
  // The server found nothing to save: kept with the form it was said about, so it disappears with the next edit.
  const [unchanged, setUnchanged] = useState<{ version: number; form: TGraphForm; name: string; description: string } | null>(null);

  const baseJson = useMemo(() => loadedGraphJson(base.graph), [base.graph]);
  const graphUnchanged = useMemo(() => formMatchesGraph(form, baseJson), [form, baseJson]);
  const designChanged = !graphUnchanged || name.trim() !== base.name || description.trim() !== base.description;
  const dirty = !saved && (designChanged || message.trim() !== '');
  // The services keep a graph-identical save in the current version (only its name or description change), so the
  // button says what a save will do.
  const detailsOnly = graphUnchanged && designChanged;
  const saveLabel = detailsOnly ? 'Save name and description' : `Save version ${base.version + 1}`;

  const submission = useSubmissionKey();
  useEffect(() => submission.renew(), [submission, name, description, message, form, base.version]);

  const save = useMutation({
    ...trpc.blueprints.saveVersion.mutationOptions({
      onSuccess: async ({ version, unchanged: same }) => {
        submission.renew();
        if (same) {
          setUnchanged({ version, form, name, description });
          return;
        }
        setSaved(true);
        await qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() });
        announceNavigation();
        router.push(version === base.version ? `/blueprints/${id}?updated=${version}` : `/blueprints/${id}?tab=versions&saved=${version}`);
      },
      onError: (error) => {
        const e = toApiError(error);
        if (e.code === 'CONFLICT' && e.issues.some((i) => i.field === 'baseVersion')) {
          setConflict(true);
          setRebased(null);
          // The panel compares against the newest version: fetch it (the form is keyed so it survives the refetch).
          void qc.invalidateQueries({ queryKey: trpc.blueprints.byId.queryKey({ id }) });
          return;
        }
        const { message: text, issues: found } = submitFailure(error, saveLabel);
        setIssues(found);
        setFailure(text);
        focusFirstInvalid();
      },
    }),
    mutationFn: (input: TSaveInput) => client.blueprints.saveVersion.mutate(input, keyedMutation(submission.take())),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!designChanged) return;
    setFailure(null);
    const meta = checkMeta({ name, description, message }, { messageRequired: true });
    const graph = validateBlueprintForm(meta, form, setIssues);
    if (!graph) return;
    save.mutate({
      id,
      baseVersion: base.version,
      graph,
      message: message.trim(),
      ...(name.trim() !== base.name ? { name: name.trim() } : {}),
      ...(description.trim() !== base.description ? { description: description.trim() } : {}),
    });
  };

  const applyOnLatest = (newest: TBlueprintDetail) => {
    const merged = rebaseForm({
      base: { form: graphToForm(base.graph), name: base.name, description: base.description },
      mine: { form, name, description },
      theirs: { form: graphToForm(newest.graph), name: newest.name, description: newest.description, version: newest.currentVersion },
    });
    setForm(merged.form);
    setName(merged.name);
    setDescription(merged.description);
    setRebased({ from: base.version, to: newest.currentVersion, conflicts: merged.conflicts });
    setBase(baseOf(newest));
    setConflict(false);
    setIssues([]);
    setFailure(null);
  };

  const discardForLatest = (newest: TBlueprintDetail) => {
    setForm(graphToForm(newest.graph));
    setName(newest.name);
    setDescription(newest.description);
    setMessage('');
    setBase(baseOf(newest));
    setConflict(false);
    setRebased(null);
    setIssues([]);
    setFailure(null);
  };

  const err = (k: string) => issuesAt(issues, k);
  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="edit-form">
      <UnsavedChangesGuard dirty={dirty} what="your edits to this blueprint" />
      <BlueprintHeader blueprint={latest} crumb="Edit" />
      {conflict && (
        <ConflictPanel
          blueprintId={id}
          baseVersion={base.version}
          latest={latest}
          loadingLatest={loadingLatest}
          onReloadLatest={onReloadLatest}
          onApply={applyOnLatest}
          onDiscard={discardForLatest}
        />
      )}
      {rebased && (
        <div className="alert alert-info" data-testid="rebased">
          <strong>
            Your edits now build on v{rebased.to} (you started from v{rebased.from}). Review them, then save version {rebased.to + 1}.
          </strong>
          {rebased.conflicts.length > 0 ? (
            <>
              <div>Where you and v{rebased.to} changed the same thing, your value was kept:</div>
              <ul data-testid="rebase-conflicts">
                {rebased.conflicts.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </>
          ) : (
            <div>No change of yours overlapped with v{rebased.to}.</div>
          )}
        </div>
      )}
      {unchanged && unchanged.form === form && unchanged.name === name && unchanged.description === description && (
        <div className="alert alert-info" role="status" data-testid="unchanged-notice">
          No changes: version {unchanged.version} already has this design. Nothing was saved.
        </div>
      )}
      <FormIssues issues={issues} message={failure} />

      <div className="card card-body">
        <div className="grid-2">
          <Field label="Name" htmlFor="name" errors={err('name')}>
            <input id="name" className={err('name').length ? 'input invalid' : 'input'} value={name} onChange={(e) => setName(e.target.value)} data-testid="name" />
          </Field>
          <Field label="Change message" htmlFor="message" errors={err('message')} hint={detailsOnly ? `The design is unchanged: v${base.version} keeps it, with the new name and description.` : `Saved as version ${base.version + 1}, on top of v${base.version}.`}>
            <input
              id="message"
              className={err('message').length ? 'input invalid' : 'input'}
              value={message}
              placeholder="What changed, and why"
              onChange={(e) => setMessage(e.target.value)}
              data-testid="message"
            />
          </Field>
        </div>
        <div style={{ marginTop: 12 }}>
          <DescriptionField value={description} onChange={setDescription} errors={err('description')} />
        </div>
      </div>

      <GraphEditor form={form} onChange={setForm} issues={issues} defaultCloud={latest.cloud} disabled={save.isPending} />

      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || conflict || !designChanged} aria-describedby={designChanged ? undefined : 'no-changes'} data-testid="save">
          {save.isPending ? 'Saving…' : saveLabel}
        </button>
        {!designChanged && !conflict && (
          <span id="no-changes" className="muted small" data-testid="no-changes">
            No changes: the design is the same as v{base.version}.
          </span>
        )}
        <Link href={`/blueprints/${id}`} className="btn" data-testid="cancel">
          Cancel
        </Link>
      </div>
    </form>
  );
}
