import { useState } from 'react';
import type { Guidelines } from '../../api/types';
import { Markdown } from '../markdown/Markdown';

interface Props {
  versions: Guidelines[];
  onPublish: (markdown: string) => Promise<void>;
}

/** Guidelines are append-only: editing publishes a new version; raters see the newest. */
export function GuidelinesEditor({ versions, onPublish }: Props) {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const [text, setText] = useState(sorted[0]?.markdown ?? '');
  const [shown, setShown] = useState<number | null>(sorted[0]?.version ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const current = sorted.find((g) => g.version === shown);

  const publish = async () => {
    setBusy(true);
    setError('');
    try { await onPublish(text); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };

  return (
    <div className="stack">
      <label>New version (Markdown)
        <textarea name="guidelines-markdown" rows={8} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="button" className="primary" onClick={publish} disabled={busy || !text.trim()}>Publish as version {(sorted[0]?.version ?? 0) + 1}</button>
      {error && <p role="alert" className="error">{error}</p>}
      {sorted.length > 0 && (
        <>
          <label>Show version
            <select value={shown ?? ''} onChange={(e) => setShown(Number(e.target.value))}>
              {sorted.map((g) => <option key={g.version} value={g.version}>v{g.version}{g.createdAt ? ` · ${new Date(g.createdAt).toLocaleString()}` : ''}</option>)}
            </select>
          </label>
          {current && <div className="card"><Markdown text={current.markdown} /></div>}
        </>
      )}
    </div>
  );
}
