import { useEffect, useState } from 'react';

/** Hash routes, so the backend serves only `/` and every client route survives a reload. */
export type Route =
  | { name: 'login' }
  | { name: 'home' }
  | { name: 'judge'; campaignId: string }
  | { name: 'console' }
  | { name: 'campaign'; campaignId: string }
  | { name: 'newCampaign' }
  | { name: 'quality'; campaignId: string }
  | { name: 'users' }
  | { name: 'rewardModels' }
  | { name: 'notFound'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (parts.length === 0) return { name: 'home' };
  if (a === 'login') return { name: 'login' };
  if (a === 'judge' && b) return { name: 'judge', campaignId: b };
  if (a === 'console' && !b) return { name: 'console' };
  if (a === 'console' && b === 'new') return { name: 'newCampaign' };
  if (a === 'console' && b === 'reward-models' && !c) return { name: 'rewardModels' };
  if (a === 'console' && b && c === 'quality') return { name: 'quality', campaignId: b };
  if (a === 'console' && b) return { name: 'campaign', campaignId: b };
  if (a === 'users') return { name: 'users' };
  return { name: 'notFound', path };
}

export const href = {
  home: '#/',
  login: '#/login',
  judge: (id: string) => `#/judge/${encodeURIComponent(id)}`,
  console: '#/console',
  newCampaign: '#/console/new',
  campaign: (id: string) => `#/console/${encodeURIComponent(id)}`,
  quality: (id: string) => `#/console/${encodeURIComponent(id)}/quality`,
  users: '#/users',
  rewardModels: '#/console/reward-models',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(to: string) {
  window.location.hash = to.replace(/^#/, '');
}
