import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RewardModelDataset, RewardModelTraining, RewardModelVersion } from '../api/types';
import { useServices } from '../app/services';
import { ChartCanvas } from '../ui/console/ChartCanvas';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | undefined, digits = 3) => (x === undefined ? '—' : x.toFixed(digits));

/** The reward-model worker's versions (a table and a chart of their metrics), its dataset, and "train now". */
export function RewardModelsPage() {
  const { api } = useServices();
  const [versions, setVersions] = useState<RewardModelVersion[] | null>(null);
  const [dataset, setDataset] = useState<RewardModelDataset | null>(null);
  const [training, setTraining] = useState<RewardModelTraining | null>(null);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    try {
      const [v, d, t] = await Promise.all([api.rewardModelVersions(), api.rewardModelDataset(), api.rewardModelTraining()]);
      setVersions([...v].sort((a, b) => a.version - b.version));
      setDataset(d);
      setTraining(t);
      setError('');
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);
  useEffect(() => { void load(); }, [load]);

  const labels = useMemo(() => versions?.map((v) => `v${v.version}`) ?? [], [versions]);
  const accuracy = useMemo(() => [
    { label: 'Validation accuracy', data: versions?.map((v) => v.metrics.validation_accuracy ?? null) ?? [] },
    { label: 'Gold accuracy', data: versions?.map((v) => v.metrics.gold_accuracy ?? null) ?? [] },
    { label: 'Agreement with majority', data: versions?.map((v) => v.metrics.majority_agreement ?? null) ?? [] },
    { label: 'Calibration error (ECE)', data: versions?.map((v) => v.metrics.validation_ece ?? null) ?? [] },
  ], [versions]);

  const trainNow = async () => {
    try {
      await api.trainRewardModel();
      setMessage('Training started; the new version appears here when it is done.');
      void load();
    } catch (e) {
      setMessage(`Not started: ${(e as Error).message}`);
    }
  };

  return (
    <main className="page stack">
      <div className="row"><h1>Reward models</h1></div>
      {error && <p role="alert" className="error">{error}</p>}
      {dataset && (
        <div className="stat-tiles">
          <div className="card"><strong>{dataset.judgments}</strong>judgments received</div>
          <div className="card"><strong>{dataset.raterPairs}</strong>preference pairs</div>
          <div className="card"><strong>{(dataset.judgmentsByOutcome.TIE ?? 0) + (dataset.judgmentsByOutcome.BOTH_BAD ?? 0)}</strong>ties and both-bad</div>
          <div className="card"><strong>{dataset.goldAnswerPairs}</strong>gold pairs</div>
        </div>
      )}
      {training && (
        <div className="row">
          <p className="muted" role="status">
            {training.running ? `Training version ${training.nextVersion}…` : `Next version: ${training.nextVersion}.`}
            {training.lastFailure && ` Last run failed: ${training.lastFailure}`}
          </p>
          <button type="button" onClick={trainNow} disabled={training.running}>Train now</button>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      {versions && versions.length === 0 && <p className="muted">No versions yet: the worker trains once enough judgments have arrived.</p>}
      {versions && versions.length > 0 && (
        <>
          <section className="card"><ChartCanvas type="line" title="Metrics per version" labels={labels} series={accuracy} yMax={1} /></section>
          <section className="card">
            <table className="data">
              <caption>Versions, newest last</caption>
              <thead>
                <tr><th scope="col">Version</th><th scope="col">Trained</th><th scope="col">From</th><th scope="col">Judgments seen / used</th>
                  <th scope="col">Validation acc.</th><th scope="col">Gold acc.</th><th scope="col">ECE</th><th scope="col">Majority agr.</th><th scope="col">Pairs/s</th></tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <th scope="row">v{v.version}</th>
                    <td>{new Date(v.createdAt).toLocaleString()}</td>
                    <td>{v.warmStartedFrom === null ? v.baseModel : `v${v.warmStartedFrom}`}</td>
                    <td>{v.judgmentsSeen} / {v.judgmentsUsed}</td>
                    <td>{pct(v.metrics.validation_accuracy)}</td>
                    <td>{pct(v.metrics.gold_accuracy)}</td>
                    <td>{num(v.metrics.validation_ece)}</td>
                    <td>{pct(v.metrics.majority_agreement)}</td>
                    <td>{num(v.metrics.pairs_per_second, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </main>
  );
}
