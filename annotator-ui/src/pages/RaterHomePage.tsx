import { useEffect, useState } from 'react';
import type { RaterCampaign, User } from '../api/types';
import { href } from '../app/route';
import { useServices } from '../app/services';

export function RaterHomePage({ user }: { user: User }) {
  const { api, journal } = useServices();
  const [campaigns, setCampaigns] = useState<RaterCampaign[] | null>(null);
  const [error, setError] = useState('');
  const waiting = journal.pending().length;

  useEffect(() => {
    api.raterCampaigns().then(setCampaigns, (e: Error) => setError(e.message));
  }, [api]);

  return (
    <main className="page">
      <h1>Hello, {user.displayName || user.username}</h1>
      {waiting > 0 && <p className="notice" role="status">{waiting} judgment(s) saved on this device are waiting to be sent.</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {campaigns === null && !error && <p aria-busy="true">Loading campaigns…</p>}
      {campaigns?.length === 0 && <p>No campaign is open to you right now.</p>}
      <ul className="campaign-list" aria-label="Your campaigns">
        {campaigns?.map((c) => {
          const total = c.judgedByMe + c.remainingForMe;
          return (
            <li key={c.id} className="card">
              <h2>{c.name}</h2>
              <p>
                <progress max={Math.max(total, 1)} value={c.judgedByMe} aria-label={`Progress in ${c.name}`} />{' '}
                {c.judgedByMe} judged, {c.remainingForMe} left · guidelines v{c.guidelineVersion}
              </p>
              {c.remainingForMe > 0
                ? <a className="button primary" href={href.judge(c.id)}>Start judging<span className="sr-only"> {c.name}</span></a>
                : <span className="muted">All done here. Thank you!</span>}
            </li>
          );
        })}
      </ul>
    </main>
  );
}
