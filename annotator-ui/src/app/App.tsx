import { useCallback, useEffect, useState } from 'react';
import type { User } from '../api/types';
import { LoginPage } from '../pages/LoginPage';
import { RaterHomePage } from '../pages/RaterHomePage';
import { JudgePage } from '../pages/JudgePage';
import { CampaignsPage } from '../pages/CampaignsPage';
import { CampaignPage } from '../pages/CampaignPage';
import { QualityPage } from '../pages/QualityPage';
import { UsersPage } from '../pages/UsersPage';
import { RewardModelsPage } from '../pages/RewardModelsPage';
import { flushPending } from '../usecases/sendJudgment';
import { SESSION_EXPIRED } from '../api/RlhfApi';
import { href, navigate, useRoute } from './route';
import { useServices } from './services';

export function App() {
  const { api, journal } = useServices();
  const route = useRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    api.me().then(setUser, () => setUser(null));
  }, [api]);

  const [flushNotice, setFlushNotice] = useState('');
  useEffect(() => {
    if (!user) return;
    flushPending(api, journal).then((r) => {
      if (r.rejected.length > 0) {
        setFlushNotice(`${r.rejected.length} judgment(s) saved on this device were refused by the server: ${r.rejected.map((r) => r.error.message).join('; ')}`);
      }
    }, () => undefined);
  }, [api, journal, user]);

  // Back to the login form when the session ends; the route is kept, so the rater returns to the same task.
  useEffect(() => {
    const expired = () => { setUser(null); setExpired(true); };
    window.addEventListener(SESSION_EXPIRED, expired);
    return () => window.removeEventListener(SESSION_EXPIRED, expired);
  }, []);

  const onLogin = useCallback((u: User) => {
    setUser(u);
    if (expired) return setExpired(false); // stay where the rater was
    navigate(u.roles.includes('rater') || !u.roles.includes('researcher') ? href.home : href.console);
  }, [expired]);

  const onLogout = async () => {
    await api.logout().catch(() => undefined);
    setUser(null);
    navigate(href.login);
  };

  if (user === undefined) return <main className="page" aria-busy="true"><p>Loading…</p></main>;
  if (user === null) return <LoginPage onLogin={onLogin} expired={expired} />;

  const is = (role: string) => user.roles.includes(role as never);
  const page = (() => {
    switch (route.name) {
      case 'home':
      case 'login':
        return is('rater') || !is('researcher') ? <RaterHomePage user={user} /> : <CampaignsPage />;
      case 'judge': return <JudgePage campaignId={route.campaignId} />;
      case 'console': return <CampaignsPage />;
      case 'newCampaign': return <CampaignPage campaignId={null} />;
      case 'campaign': return <CampaignPage campaignId={route.campaignId} />;
      case 'quality': return <QualityPage campaignId={route.campaignId} />;
      case 'users': return <UsersPage />;
      case 'rewardModels': return <RewardModelsPage />;
      default: return <main className="page"><h1>Not found</h1><p><a href={href.home}>Back home</a></p></main>;
    }
  })();

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar" data-keys-native>
        <span className="brand">RLHF annotator</span>
        <nav aria-label="Main">
          {is('rater') && <a href={href.home}>Campaigns</a>}
          {is('researcher') && <a href={href.console}>Research console</a>}
          {is('researcher') && <a href={href.rewardModels}>Reward models</a>}
          {is('admin') && <a href={href.users}>Users</a>}
        </nav>
        <span className="who">{user.displayName || user.username}</span>
        <button type="button" className="link" onClick={onLogout}>Log out</button>
      </header>
      {flushNotice && <p role="alert" className="error page-notice">{flushNotice}</p>}
      <div id="main">{page}</div>
    </>
  );
}
