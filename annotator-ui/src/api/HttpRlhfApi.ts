import { SESSION_EXPIRED, type RlhfApi } from './RlhfApi';
import { ApiError } from './types';
import type {
  Campaign, CampaignInput, CampaignStats, CampaignStatus, ExportResult, GenerateTasksInput, Guidelines,
  GoldAnswer, ImportReport, JudgmentInput, PromptView, TaskSummary, JudgmentReceipt, JudgmentRecord, RaterCampaign, TaskView, User, UserInput,
  RewardModelDataset, RewardModelTraining, RewardModelVersion } from './types';

/**
 * fetch-based client. Authentication rides on the HttpOnly `rlhf_session` cookie the backend sets
 * at login, so no token is kept in script-reachable storage.
 */
export class HttpRlhfApi implements RlhfApi {
  constructor(private readonly base = '') {}

  private async call(method: string, path: string, body?: unknown, contentType = 'application/json',
    accept = 'application/json, application/problem+json'): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: accept } : { 'Content-Type': contentType, Accept: accept },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'Network unreachable', 'The server could not be reached. Your work is kept and will be retried.');
    }
    if (!res.ok) {
      // A session that ran out mid-work: tell the app so it can ask for the password again; drafts stay journaled.
      if (res.status === 401 && !path.startsWith('/api/auth/')) window.dispatchEvent(new Event(SESSION_EXPIRED));
      throw await toApiError(res);
    }
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    return (await res.json()) as T;
  }

  async login(username: string, password: string): Promise<User> {
    return (await this.json<{ token: string; user: User }>('POST', '/api/auth/login', { username, password })).user;
  }
  async logout() { await this.call('POST', '/api/auth/logout'); }
  async me(): Promise<User | null> {
    try {
      return await this.json<User>('GET', '/api/auth/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  }

  raterCampaigns() { return this.json<RaterCampaign[]>('GET', '/api/rater/campaigns'); }
  raterGuidelines(id: string) { return this.json<Guidelines>('GET', `/api/rater/campaigns/${enc(id)}/guidelines`); }
  async nextTask(id: string, prefetch = false): Promise<TaskView | null> {
    const res = await this.call('POST', `/api/rater/campaigns/${enc(id)}/next${prefetch ? '?prefetch=true' : ''}`);
    return res.status === 204 ? null : ((await res.json()) as TaskView);
  }
  submitJudgment(assignmentId: string, input: JudgmentInput) {
    return this.json<JudgmentReceipt>('POST', `/api/rater/assignments/${enc(assignmentId)}/judgment`, input);
  }
  async skip(assignmentId: string, reason: string) { await this.call('POST', `/api/rater/assignments/${enc(assignmentId)}/skip`, { reason }); }
  async release(assignmentId: string) { await this.call('POST', `/api/rater/assignments/${enc(assignmentId)}/release`); }

  campaigns() { return this.json<Campaign[]>('GET', '/api/campaigns'); }
  campaign(id: string) { return this.json<Campaign>('GET', `/api/campaigns/${enc(id)}`); }
  createCampaign(input: CampaignInput) { return this.json<Campaign>('POST', '/api/campaigns', input); }
  updateCampaign(id: string, input: CampaignInput) { return this.json<Campaign>('PUT', `/api/campaigns/${enc(id)}`, input); }
  async deleteCampaign(id: string) { await this.call('DELETE', `/api/campaigns/${enc(id)}`); }
  setCampaignStatus(id: string, status: CampaignStatus) { return this.json<Campaign>('PUT', `/api/campaigns/${enc(id)}/status`, { status }); }
  guidelineVersions(id: string) { return this.json<Guidelines[]>('GET', `/api/campaigns/${enc(id)}/guidelines`); }
  publishGuidelines(id: string, markdown: string) { return this.json<Guidelines>('PUT', `/api/campaigns/${enc(id)}/guidelines`, { markdown }); }
  async importJsonl(id: string, jsonl: string): Promise<ImportReport> {
    const res = await this.call('POST', `/api/campaigns/${enc(id)}/import`, jsonl, 'application/x-ndjson');
    return (await res.json()) as ImportReport;
  }
  generateTasks(id: string, input: GenerateTasksInput) { return this.json<{ created: number }>('POST', `/api/campaigns/${enc(id)}/tasks/generate`, input); }
  prompts(id: string, page: number, query = '') {
    const q = query.trim() ? `&q=${encodeURIComponent(query.trim())}` : '';
    return this.json<PromptView[]>('GET', `/api/campaigns/${enc(id)}/prompts?page=${page}&size=50${q}`);
  }
  tasks(id: string, page: number) { return this.json<TaskSummary[]>('GET', `/api/campaigns/${enc(id)}/tasks?page=${page}&size=50`); }
  createTask(id: string, completionIds: string[], gold: GoldAnswer | null) {
    return this.json<TaskSummary>('POST', `/api/campaigns/${enc(id)}/tasks`, { completionIds, gold });
  }
  async exportJudgments(id: string, format: 'trl' | 'full'): Promise<ExportResult> {
    const res = await this.call('GET', `/api/campaigns/${enc(id)}/export?format=${format}`, undefined, undefined,
      'application/x-ndjson, application/problem+json');
    const num = (...names: string[]) => {
      const v = names.map((h) => res.headers.get(h)).find((x) => x !== null);
      return v === undefined || v === null ? undefined : Number(v);
    };
    const filename = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
    return {
      filename: filename ?? `campaign-${id}-${format}.jsonl`,
      body: await res.blob(),
      // X-Exported-Pairs counts the lines of the body; a backend before it sent only X-Pairwise-Preferences.
      exportedPairs: num('X-Exported-Pairs', 'X-Pairwise-Preferences'),
      skippedTies: num('X-Skipped-Ties'),
      skippedTiedPairs: num('X-Skipped-Tied-Pairs'),
      skippedBothBad: num('X-Skipped-Both-Bad'),
    };
  }
  stats(id: string) { return this.json<CampaignStats>('GET', `/api/campaigns/${enc(id)}/stats`); }
  flaggedJudgments(id: string, page: number) {
    return this.json<JudgmentRecord[]>('GET', `/api/campaigns/${enc(id)}/judgments?flagged=true&page=${page}&size=50`);
  }

  rewardModelVersions() { return this.json<RewardModelVersion[]>('GET', '/api/reward-models/versions'); }
  rewardModelDataset() { return this.json<RewardModelDataset>('GET', '/api/reward-models/dataset'); }
  rewardModelTraining() { return this.json<RewardModelTraining>('GET', '/api/reward-models/training'); }
  async trainRewardModel() { await this.json<unknown>('POST', '/api/reward-models/versions'); }

  users() { return this.json<User[]>('GET', '/api/users'); }
  createUser(input: UserInput & { username: string; password: string }) { return this.json<User>('POST', '/api/users', input); }
  updateUser(id: string, input: UserInput) { return this.json<User>('PUT', `/api/users/${enc(id)}`, input); }
  async disableUser(id: string) { await this.call('DELETE', `/api/users/${enc(id)}`); }
}

const enc = encodeURIComponent;

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const p = (await res.json()) as { title?: string; detail?: string; errors?: { field: string; message: string }[] };
    return new ApiError(res.status, p.title ?? res.statusText, p.detail, p.errors ?? []);
  } catch {
    return new ApiError(res.status, res.statusText || `HTTP ${res.status}`);
  }
}
