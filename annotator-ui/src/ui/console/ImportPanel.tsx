import { useState, type ChangeEvent } from 'react';
import type { ImportReport } from '../../api/types';

/** JSONL upload; every rejected line is listed with its number and the server's reason. */
export function ImportPanel({ onImport }: { onImport: (jsonl: string) => Promise<ImportReport> }) {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setBusy(true);
    setError('');
    setReport(null);
    try {
      setReport(await onImport(await readText(file)));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      e.target.value = '';
    }
  };

  return (
    <div className="stack">
      <label>Prompts and completions (JSONL file, one prompt per line)
        <input type="file" name="import-file" accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,text/plain" onChange={onFile} disabled={busy} />
      </label>
      {busy && <p aria-busy="true">Importing…</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {report && (
        <div role="status" className="import-report">
          <p className={report.errors.length ? 'notice warning' : 'notice'}>
            {report.lines} lines: {report.importedPrompts} prompts and {report.importedCompletions} completions imported
            {report.errors.length > 0 && `, ${report.errors.length} lines rejected (nothing of them was written)`}.
          </p>
          {report.errors.length > 0 && (
            <div className="import-errors">
              <table className="data" aria-label="Rejected lines">
                <thead><tr><th scope="col">Line</th><th scope="col">Problem</th></tr></thead>
                <tbody>{report.errors.map((e) => <tr key={e.line + e.message}><td>{e.line}</td><td>{e.message}</td></tr>)}</tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** FileReader rather than Blob.text(): works in every browser this app supports and in jsdom. */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file'));
    reader.readAsText(file);
  });
}
