import { useEffect, useMemo, useState } from 'react';
import type { CampaignStats, JudgmentRecord } from '../api/types';
import { href } from '../app/route';
import { useServices } from '../app/services';
import { ChartCanvas } from '../ui/console/ChartCanvas';
import { summariseJudgment } from '../domain/judgmentSummary';

export function QualityPage({ campaignId }: { campaignId: string }) {
  const { api } = useServices();
  const [stats, setStats] = useState<CampaignStats | null>(null);
  const [flagged, setFlagged] = useState<JudgmentRecord[]>([]);
  const [page, setPage] = useState(0);
  const [error, setError] = useState('');

  useEffect(() => { api.stats(campaignId).then(setStats, (e: Error) => setError(e.message)); }, [api, campaignId]);
  useEffect(() => { api.flaggedJudgments(campaignId, page).then(setFlagged, (e: Error) => setError(e.message)); }, [api, campaignId, page]);

  const raterLabels = useMemo(() => stats?.raters.map((r) => r.username) ?? [], [stats]);
  const counts = useMemo(() => [{ label: 'Judgments', data: stats?.raters.map((r) => r.judgments) ?? [] }], [stats]);
  const gold = useMemo(() => [{ label: 'Gold accuracy', data: stats?.raters.map((r) => r.goldAccuracy) ?? [] }], [stats]);
  const hours = useMemo(() => stats?.throughputPerHour.map((h) => new Date(h.hour).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit' })) ?? [], [stats]);
  const throughput = useMemo(() => [{ label: 'Judgments per hour', data: stats?.throughputPerHour.map((h) => h.judgments) ?? [] }], [stats]);

  return (
    <main className="page stack">
      <div className="row"><h1>Quality</h1><a href={href.campaign(campaignId)}>Campaign</a></div>
      {error && <p role="alert" className="error">{error}</p>}
      {stats && (
        <>
          <div className="stat-tiles">
            <div className="card"><strong>{stats.judgments}</strong>judgments</div>
            <div className="card"><strong>{stats.flagged}</strong>flagged</div>
            <div className="card"><strong>{stats.krippendorffAlpha === null ? '—' : stats.krippendorffAlpha.toFixed(2)}</strong>Krippendorff's α</div>
            <div className="card"><strong>{stats.raters.length}</strong>raters</div>
          </div>
          <div className="console-sections">
            <section className="card"><ChartCanvas type="bar" title="Judgments per rater" labels={raterLabels} series={counts} /></section>
            <section className="card"><ChartCanvas type="bar" title="Gold accuracy per rater" labels={raterLabels} series={gold} yMax={1} /></section>
            <section className="card"><ChartCanvas type="line" title="Throughput over time" labels={hours} series={throughput} /></section>
            <section className="card">
              <h2>Agreement between raters (Cohen's κ)</h2>
              <table className="data">
                <thead><tr><th scope="col">Rater A</th><th scope="col">Rater B</th><th scope="col">Shared tasks</th><th scope="col">κ</th></tr></thead>
                <tbody>
                  {stats.pairwiseKappa.map((k) => (
                    <tr key={k.raterA + k.raterB}><td>{k.raterA}</td><td>{k.raterB}</td><td>{k.sharedTasks}</td><td>{k.kappa === null ? '—' : k.kappa.toFixed(2)}</td></tr>
                  ))}
                  {stats.pairwiseKappa.length === 0 && <tr><td colSpan={4}>No tasks judged by two raters yet.</td></tr>}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
      <section className="card">
        <h2>Flagged judgments</h2>
        <table className="data" aria-label="Flagged judgments">
          <thead><tr><th scope="col">Flags</th><th scope="col">Rater</th><th scope="col">Decision</th><th scope="col">Prompt</th><th scope="col">Rationale</th><th scope="col">When</th></tr></thead>
          <tbody>
            {flagged.map(summariseJudgment).map((j) => (
              <tr key={j.key}><td>{j.flags}</td><td>{j.rater}</td><td>{j.decision}</td><td>{j.prompt}</td><td>{j.rationale}</td><td>{j.submittedAt}</td></tr>
            ))}
            {flagged.length === 0 && <tr><td colSpan={6}>Nothing flagged on this page.</td></tr>}
          </tbody>
        </table>
        <div className="row">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
          <span>Page {page + 1}</span>
          <button type="button" disabled={flagged.length < 50} onClick={() => setPage(page + 1)}>Next</button>
        </div>
      </section>
    </main>
  );
}

