import type { RlhfApi } from '../api/RlhfApi';
import {
  ApiError, type Campaign, type CampaignInput, type CampaignStats, type CampaignStatus, type ExportResult, type Guidelines,
  type GoldAnswer, type ImportReport, type PromptView, type TaskSummary, type JudgmentInput, type JudgmentReceipt, type JudgmentRecord, type RaterCampaign, type TaskView,
  type User, type UserInput, type RewardModelDataset, type RewardModelTraining, type RewardModelVersion,
} from '../api/types';

/** A small in-memory backend honouring the contract's rules that the UI relies on. */
export class InMemoryRlhfApi implements RlhfApi {
  user: User | null = null;
  users_: User[] = [
    { id: 'u1', username: 'rater1', displayName: 'Rater One', roles: ['rater'], enabled: true },
    { id: 'u2', username: 'researcher', displayName: 'Researcher', roles: ['researcher'], enabled: true },
  ];
  queue: TaskView[] = [];
  /** Live leases, oldest first. */
  held: TaskView[] = [];
  /** Honour `next?prefetch=true` with a second lease, as the backend does; off, every `next` returns the held lease. */
  secondLease = false;
  judgments = new Map<string, { assignmentId: string; input: JudgmentInput; receipt: JudgmentReceipt }>();
  offline = false;
  calls: string[] = [];
  campaigns_: Campaign[] = [];
  importReport: ImportReport = { lines: 0, importedPrompts: 0, importedCompletions: 0, errors: [] };
  imported: string[] = [];

  private net(call: string) {
    this.calls.push(call);
    if (this.offline) return Promise.reject(new ApiError(0, 'Network unreachable'));
    return Promise.resolve();
  }

  async login(username: string, password: string) {
    await this.net('login');
    const u = this.users_.find((x) => x.username === username);
    if (!u || password !== 'pw') throw new ApiError(401, 'Unauthorized', 'Wrong username or password');
    return (this.user = u);
  }
  async logout() { await this.net('logout'); this.user = null; }
  async me() { await this.net('me'); return this.user; }

  async raterCampaigns(): Promise<RaterCampaign[]> {
    await this.net('raterCampaigns');
    return [{ id: 'c-1', name: 'Demo', status: 'ACTIVE', guidelineVersion: 1, judgedByMe: this.judgments.size, remainingForMe: this.queue.length }];
  }
  async raterGuidelines(): Promise<Guidelines> { await this.net('guidelines'); return { version: 2, markdown: '# Be honest\nPrefer **truthful** answers.' }; }
  /** As the backend: a rater holds at most two leases; at the limit `next` returns the oldest, a prefetch the newest. */
  async nextTask(_campaignId?: string, prefetch = false): Promise<TaskView | null> {
    await this.net(prefetch ? 'next?prefetch' : 'next');
    if (this.held.length >= (prefetch && this.secondLease ? 2 : 1)) return prefetch ? this.held[this.held.length - 1] : this.held[0];
    const t = this.queue.shift() ?? null;
    if (t) this.held.push(t);
    return t;
  }
  private settle(assignmentId: string) { this.held = this.held.filter((t) => t.assignmentId !== assignmentId); }
  async submitJudgment(assignmentId: string, input: JudgmentInput): Promise<JudgmentReceipt> {
    await this.net('judgment:' + assignmentId);
    const prior = [...this.judgments.values()].find((j) => j.input.idempotencyKey === input.idempotencyKey);
    if (prior) return { ...prior.receipt, replayed: true };
    const receipt = { judgmentId: 'j' + this.judgments.size, assignmentId, submittedAt: new Date(0).toISOString(), replayed: false };
    this.judgments.set(receipt.judgmentId, { assignmentId, input, receipt });
    this.settle(assignmentId);
    return receipt;
  }
  skipReasons: string[] = [];
  async skip(assignmentId: string, reason: string) { await this.net('skip:' + assignmentId); this.skipReasons.push(reason); this.settle(assignmentId); }
  async release(assignmentId: string) { await this.net('release:' + assignmentId); this.settle(assignmentId); }

  async campaigns() { await this.net('campaigns'); return this.campaigns_; }
  async campaign(id: string) { await this.net('campaign'); return this.campaigns_.find((c) => c.id === id)!; }
  async createCampaign(input: CampaignInput) {
    await this.net('createCampaign');
    const c: Campaign = { ...input, id: 'c' + (this.campaigns_.length + 1), status: 'DRAFT', guidelineVersion: 1, createdAt: '', tasks: 0, judgments: 0 };
    this.campaigns_.push(c);
    return c;
  }
  async updateCampaign(id: string, input: CampaignInput) {
    await this.net('updateCampaign');
    const i = this.campaigns_.findIndex((c) => c.id === id);
    this.campaigns_[i] = { ...this.campaigns_[i], ...input };
    return this.campaigns_[i];
  }
  async setCampaignStatus(id: string, status: CampaignStatus) {
    await this.net('status');
    const c = this.campaigns_.find((x) => x.id === id)!;
    c.status = status;
    return c;
  }
  async deleteCampaign(id: string) {
    await this.net('deleteCampaign');
    const c = this.campaigns_.find((x) => x.id === id)!;
    if (c.judgments > 0) throw new ApiError(409, 'Conflict', `campaign ${id} has ${c.judgments} judgments, which are never deleted: close it instead`);
    this.campaigns_ = this.campaigns_.filter((x) => x !== c);
  }
  async guidelineVersions() { await this.net('guidelineVersions'); return [{ version: 1, markdown: 'v1', createdAt: '2026-01-01T00:00:00Z' }]; }
  async publishGuidelines(_id: string, markdown: string) { await this.net('publish'); return { version: 2, markdown, createdAt: '' }; }
  async importJsonl(_id: string, jsonl: string) { await this.net('import'); this.imported.push(jsonl); return this.importReport; }
  prompts_: PromptView[] = [];
  tasks_: TaskSummary[] = [];
  async prompts(_id: string, _page: number, query = '') {
    await this.net('prompts');
    const q = query.trim().toLowerCase();
    return this.prompts_.filter((p) => !q || p.messages.some((m) => m.content.toLowerCase().includes(q)));
  }
  async tasks() { await this.net('tasks'); return this.tasks_; }
  async createTask(_id: string, completionIds: string[], gold: GoldAnswer | null) {
    await this.net('createTask');
    const t: TaskSummary = { id: 't' + (this.tasks_.length + 1), promptId: 'p', completionIds, gold, judgments: 0 };
    this.tasks_.push(t);
    return t;
  }
  async generateTasks() { await this.net('generate'); return { created: 3 }; }
  async exportJudgments(_id: string, format: 'trl' | 'full'): Promise<ExportResult> {
    await this.net('export:' + format);
    return { filename: `x-${format}.jsonl`, body: new Blob(['{}\n']), exportedPairs: 1, skippedTies: 0, skippedBothBad: 0 };
  }
  async stats(): Promise<CampaignStats> {
    await this.net('stats');
    return { judgments: 3, flagged: 1, raters: [], pairwiseKappa: [], krippendorffAlpha: 0.5, throughputPerHour: [] };
  }
  async flaggedJudgments(): Promise<JudgmentRecord[]> { await this.net('flagged'); return []; }

  rewardModelVersions_: RewardModelVersion[] = [];
  training_ = false;
  async rewardModelVersions() { await this.net('rmVersions'); return this.rewardModelVersions_; }
  async rewardModelDataset(): Promise<RewardModelDataset> {
    await this.net('rmDataset');
    return { judgments: 10, judgmentsByOutcome: { A: 4, B: 4, TIE: 2 }, goldJudgments: 1, flaggedJudgments: 0, raterPairs: 8, rankingPairs: 0, goldAnswerPairs: 1 };
  }
  async rewardModelTraining(): Promise<RewardModelTraining> {
    await this.net('rmTraining');
    return { running: this.training_, nextVersion: this.rewardModelVersions_.length + 1, lastFailure: null };
  }
  async trainRewardModel() {
    await this.net('rmTrain');
    if (this.training_) throw new Error('a run is going');
    this.training_ = true;
  }

  async users() { await this.net('users'); return this.users_; }
  async createUser(input: UserInput & { username: string; password: string }) {
    await this.net('createUser');
    const u: User = { id: 'u' + (this.users_.length + 1), username: input.username, displayName: input.displayName, roles: input.roles ?? [], enabled: true };
    this.users_.push(u);
    return u;
  }
  async updateUser(id: string, input: UserInput) {
    await this.net('updateUser');
    const u = this.users_.find((x) => x.id === id)!;
    Object.assign(u, input);
    return u;
  }
  async disableUser(id: string) { await this.net('disableUser'); this.users_.find((x) => x.id === id)!.enabled = false; }
}
