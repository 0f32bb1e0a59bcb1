import { useState, type FormEvent } from 'react';
import type { GenerateTasksInput } from '../../api/types';

export function GeneratePanel({ onGenerate }: { onGenerate: (input: GenerateTasksInput) => Promise<{ created: number }> }) {
  const [strategy, setStrategy] = useState<GenerateTasksInput['strategy']>('ALL_PAIRS');
  const [pairsPerPrompt, setPairs] = useState('1');
  const [seed, setSeed] = useState('42');
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const { created } = await onGenerate({ strategy, pairsPerPrompt: Number(pairsPerPrompt), seed: Number(seed) });
      setResult(`${created} comparison tasks created.`);
    } catch (err) {
      setResult(`Failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      <div className="grid-form">
        <label>Strategy
          <select value={strategy} onChange={(e) => setStrategy(e.target.value as GenerateTasksInput['strategy'])}>
            <option value="ALL_PAIRS">All pairs of each prompt</option>
            <option value="RANDOM_PAIRS">Random pairs</option>
          </select>
        </label>
        {strategy === 'RANDOM_PAIRS' && (
          <label>Pairs per prompt<input type="number" min={1} value={pairsPerPrompt} onChange={(e) => setPairs(e.target.value)} /></label>
        )}
        <label>Seed<input type="number" value={seed} onChange={(e) => setSeed(e.target.value)} /></label>
      </div>
      <button type="submit" className="primary" disabled={busy}>Generate tasks</button>
      {result && <p role="status">{result}</p>}
    </form>
  );
}
