import { useState } from 'react';
import type { ExportResult } from '../../api/types';

export function ExportPanel({ onExport }: { onExport: (format: 'trl' | 'full') => Promise<ExportResult> }) {
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (format: 'trl' | 'full') => {
    setBusy(true);
    try {
      const r = await onExport(format);
      download(r.body, r.filename);
      setSummary(format === 'trl'
        ? `TRL export: ${r.exportedPairs ?? '?'} pairs; skipped ${r.skippedTies ?? 0} ties and ${r.skippedBothBad ?? 0} both-bad judgments`
          + (r.skippedTiedPairs ? `, and ${r.skippedTiedPairs} tied pairs inside rankings.` : '.')
        : `Full export downloaded (${r.body.size} bytes).`);
    } catch (e) {
      setSummary(`Export failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack">
      <div className="row">
        <button type="button" onClick={() => run('trl')} disabled={busy}>Export TRL preference JSONL</button>
        <button type="button" onClick={() => run('full')} disabled={busy}>Export full JSONL</button>
      </div>
      {summary && <p role="status">{summary}</p>}
    </div>
  );
}

function download(blob: Blob, filename: string) {
  if (typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
