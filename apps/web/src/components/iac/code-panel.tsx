'use client';
import { useQuery } from '@tanstack/react-query';
import { strToU8, zipSync } from 'fflate';
import Prism from 'prismjs';
import 'prismjs/components/prism-hcl';
import 'prismjs/components/prism-json';
import { useMemo, useState } from 'react';
import { download } from '../../lib/download';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, SkeletonBlock } from '../ui/states';

const FORMAT_LABELS = { terraform: 'Terraform (HCL)', cloudformation: 'CloudFormation (JSON, AWS)' } as const;
type TFormat = keyof typeof FORMAT_LABELS;


/** A file name's safe form: the blueprint's name in a download. */
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'blueprint';

/**
 * Generated code of one version: pick a version and a format, browse the files with highlighting, download a zip.
 * Generation happens in the services (the SDK's `iac.generate` gives the same files) and is refused, naming the
 * first problem, while the version has validation errors.
 */
export function CodePanel({ blueprintId, versions, current }: { blueprintId: string; versions: number[]; current: number }) {
  const trpc = useTRPC();
  const [version, setVersion] = useState(current);
  const [format, setFormat] = useState<TFormat>('terraform');
  const [asked, setAsked] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const generation = useQuery({ ...trpc.iac.generate.queryOptions({ id: blueprintId, number: version, format }), enabled: asked, retry: false });
  const file = generation.data?.files.find((f) => f.path === open) ?? generation.data?.files.find((f) => f.path === 'main.tf') ?? generation.data?.files[0];
  // Another format or version is a new generation: its files, not the last one's.
  const choose = (f: TFormat) => { setFormat(f); setOpen(null); };
  const language = file?.path.endsWith('.json') ? 'json' : 'hcl';
  const highlighted = useMemo(() => (file ? Prism.highlight(file.content, Prism.languages[language]!, language) : ''), [file, language]);

  const zip = () => {
    if (!generation.data) return;
    const root = `${slug(generation.data.blueprint)}-v${generation.data.version}-${generation.data.format}`;
    const bytes = zipSync(Object.fromEntries(generation.data.files.map((f) => [`${root}/${f.path}`, strToU8(f.content)])), { mtime: new Date('2026-01-01T00:00:00Z') });
    download(`${root}.zip`, bytes, 'application/zip');
  };

  return (
    <div className="stack card-body">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(true);
          void generation.refetch();
        }}
      >
        <label className="field">
          <span>Version</span>
          <select className="select" value={version} onChange={(e) => { setVersion(Number(e.target.value)); setOpen(null); }} data-testid="code-version">
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}{v === current ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Format</span>
          <select className="select" value={format} onChange={(e) => choose(e.target.value as TFormat)} data-testid="code-format">
            {Object.entries(FORMAT_LABELS).map(([k, label]) => (
              <option key={k} value={k}>{label}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={generation.isFetching} data-testid="code-generate">
          {generation.isFetching ? 'Generating…' : 'Generate'}
        </button>
        {generation.data && (
          <button type="button" className="btn" onClick={zip} data-testid="code-download">
            Download .zip
          </button>
        )}
      </form>
      {generation.isError && <ErrorState error={generation.error} title="Could not generate code" />}
      {generation.isFetching && !generation.data && <SkeletonBlock lines={8} />}
      {generation.data && file && (
        <div className="code-browser">
          <ul className="code-files" data-testid="code-files">
            {generation.data.files.map((f) => (
              <li key={f.path}>
                <button type="button" className={`btn btn-ghost btn-sm${f.path === file.path ? ' active' : ''}`} onClick={() => setOpen(f.path)} data-testid="code-file">
                  {f.path}
                </button>
                <span className="faint small"> {f.content.split('\n').length - 1} lines</span>
              </li>
            ))}
          </ul>
          <pre className="code-view" data-testid="code-view" data-path={file.path}>
            <code className={`language-${language}`} dangerouslySetInnerHTML={{ __html: highlighted }} />
          </pre>
        </div>
      )}
      {generation.data && generation.data.warnings > 0 && <div className="muted small">Generated with {generation.data.warnings} validation warning(s): see the Validation tab.</div>}
    </div>
  );
}
