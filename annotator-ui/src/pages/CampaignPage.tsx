import { useCallback, useEffect, useState } from 'react';
import type { Campaign, CampaignStatus, Guidelines, PromptView, TaskSummary } from '../api/types';
import { href, navigate } from '../app/route';
import { useServices } from '../app/services';
import { emptyCampaignForm, formFromCampaign, toCampaignInput } from '../domain/campaignForm';
import { CampaignForm } from '../ui/console/CampaignForm';
import { ExportPanel } from '../ui/console/ExportPanel';
import { GeneratePanel } from '../ui/console/GeneratePanel';
import { GuidelinesEditor } from '../ui/console/GuidelinesEditor';
import { ImportPanel } from '../ui/console/ImportPanel';
import { TaskBuilder } from '../ui/console/TaskBuilder';

const STATUSES: CampaignStatus[] = ['DRAFT', 'ACTIVE', 'PAUSED', 'CLOSED'];

export function CampaignPage({ campaignId }: { campaignId: string | null }) {
  const { api } = useServices();
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [versions, setVersions] = useState<Guidelines[]>([]);
  const [prompts, setPrompts] = useState<PromptView[]>([]);
  const [tasks, setTasks] = useState<TaskSummary[]>([]);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');

  const reload = useCallback(async () => {
    if (!campaignId) return;
    try {
      const [c, g, p, t] = await Promise.all([api.campaign(campaignId), api.guidelineVersions(campaignId),
        api.prompts(campaignId, 0), api.tasks(campaignId, 0)]);
      setCampaign(c);
      setVersions(g);
      setPrompts(p);
      setTasks(t);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, campaignId]);
  useEffect(() => { void reload(); }, [reload]);

  if (!campaignId) {
    return (
      <main className="page">
        <h1>New campaign</h1>
        <CampaignForm initial={emptyCampaignForm} withGuidelines submitLabel="Create campaign"
          onSubmit={async (v) => navigate(href.campaign((await api.createCampaign(toCampaignInput(v, true))).id))} />
      </main>
    );
  }
  if (error) return <main className="page"><p role="alert" className="error">{error}</p></main>;
  if (!campaign) return <main className="page"><p aria-busy="true">Loading…</p></main>;

  const setStatus = async (status: CampaignStatus) => {
    try { setCampaign(await api.setCampaignStatus(campaign.id, status)); } catch (e) { setSaved(`Status not changed: ${(e as Error).message}`); }
  };
  const remove = async () => {
    if (!window.confirm(`Delete campaign “${campaign.name}” with its prompts, completions and tasks? This cannot be undone.`)) return;
    try { await api.deleteCampaign(campaign.id); navigate(href.console); } catch (e) { setSaved(`Not deleted: ${(e as Error).message}`); }
  };

  return (
    <main className="page stack">
      <div className="row">
        <h1>{campaign.name}</h1>
        <span className="tie-badge">{campaign.status}</span>
        <span className="muted">{campaign.tasks} tasks · {campaign.judgments} judgments</span>
        <a href={href.quality(campaign.id)}>Quality</a>
        <a href={href.console}>All campaigns</a>
      </div>
      <div className="row" role="group" aria-label="Status">
        {STATUSES.filter((s) => s !== campaign.status).map((s) => (
          <button key={s} type="button" onClick={() => setStatus(s)}>{s === 'ACTIVE' ? 'Activate' : s === 'PAUSED' ? 'Pause' : s === 'CLOSED' ? 'Close' : 'Back to draft'}</button>
        ))}
        {/* Judgments are never deleted: a judged campaign is closed instead, so only an unjudged one offers this. */}
        {campaign.judgments === 0 && <button type="button" className="danger" onClick={remove}>Delete campaign</button>}
      </div>
      <div className="console-sections">
        <section className="card" aria-labelledby="s-settings">
          <h2 id="s-settings">Settings</h2>
          <CampaignForm key={campaign.id} initial={formFromCampaign(campaign)} withGuidelines={false} submitLabel="Save settings"
            onSubmit={async (v) => { setCampaign(await api.updateCampaign(campaign.id, toCampaignInput(v, false))); setSaved('Settings saved.'); }} />
          {saved && <p role="status">{saved}</p>}
        </section>
        <section className="card" aria-labelledby="s-guidelines">
          <h2 id="s-guidelines">Guidelines</h2>
          <GuidelinesEditor key={versions.length} versions={versions}
            onPublish={async (md) => { await api.publishGuidelines(campaign.id, md); await reload(); }} />
        </section>
        <section className="card" aria-labelledby="s-import">
          <h2 id="s-import">Import</h2>
          <ImportPanel onImport={async (jsonl) => { const r = await api.importJsonl(campaign.id, jsonl); void reload(); return r; }} />
        </section>
        <section className="card" aria-labelledby="s-tasks">
          <h2 id="s-tasks">Comparison tasks</h2>
          <GeneratePanel onGenerate={async (input) => { const r = await api.generateTasks(campaign.id, input); void reload(); return r; }} />
        </section>
        <section className="card" aria-labelledby="s-task">
          <h2 id="s-task">One task by hand (gold)</h2>
          <TaskBuilder key={prompts.length} prompts={prompts} tasks={tasks} findPrompts={(q) => api.prompts(campaign.id, 0, q)}
            onCreate={async (ids, gold) => { await api.createTask(campaign.id, ids, gold); await reload(); }} />
        </section>
        <section className="card" aria-labelledby="s-export">
          <h2 id="s-export">Export</h2>
          <ExportPanel onExport={(format) => api.exportJudgments(campaign.id, format)} />
        </section>
      </div>
    </main>
  );
}
