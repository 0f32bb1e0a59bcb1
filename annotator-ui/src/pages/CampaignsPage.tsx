import { useEffect, useState } from 'react';
import type { Campaign } from '../api/types';
import { href } from '../app/route';
import { useServices } from '../app/services';

export function CampaignsPage() {
  const { api } = useServices();
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api.campaigns().then(setCampaigns, (e: Error) => setError(e.message)); }, [api]);

  return (
    <main className="page">
      <div className="row"><h1>Research console</h1><a className="button primary" href={href.newCampaign}>New campaign</a></div>
      {error && <p role="alert" className="error">{error}</p>}
      {campaigns === null && !error && <p aria-busy="true">Loading…</p>}
      {campaigns && (
        <table className="data" aria-label="Campaigns">
          <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Tasks</th><th scope="col">Judgments</th><th scope="col">Guidelines</th><th scope="col">Quality</th></tr></thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <td><a href={href.campaign(c.id)}>{c.name}</a></td>
                <td>{c.status}</td><td>{c.tasks}</td><td>{c.judgments}</td><td>v{c.guidelineVersion}</td>
                <td><a href={href.quality(c.id)}>Quality<span className="sr-only"> of {c.name}</span></a></td>
              </tr>
            ))}
            {campaigns.length === 0 && <tr><td colSpan={6}>No campaigns yet.</td></tr>}
          </tbody>
        </table>
      )}
    </main>
  );
}
