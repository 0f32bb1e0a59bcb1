import type {
  Campaign, CampaignInput, CampaignStats, CampaignStatus, ExportResult, GenerateTasksInput, Guidelines,
  GoldAnswer, ImportReport, JudgmentInput, PromptView, TaskSummary, JudgmentReceipt, JudgmentRecord, RaterCampaign, TaskView, User, UserInput,
  RewardModelDataset, RewardModelTraining, RewardModelVersion } from './types';

/** Window event an implementation fires when the server answers 401 outside /api/auth (session ended). */
export const SESSION_EXPIRED = 'rlhf:session-expired';

/** What the UI needs from the backend. Components depend on this, never on fetch. */
export interface RlhfApi {
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  me(): Promise<User | null>;

  raterCampaigns(): Promise<RaterCampaign[]>;
  raterGuidelines(campaignId: string): Promise<Guidelines>;
  /**
   * null when nothing is left for this rater (HTTP 204). Without prefetch the lease already held comes
   * back; with it the server takes a second lease (at most two), so the next pair is ready before submit.
   */
  nextTask(campaignId: string, prefetch?: boolean): Promise<TaskView | null>;
  submitJudgment(assignmentId: string, input: JudgmentInput): Promise<JudgmentReceipt>;
  skip(assignmentId: string, reason: string): Promise<void>;
  release(assignmentId: string): Promise<void>;

  campaigns(): Promise<Campaign[]>;
  campaign(id: string): Promise<Campaign>;
  createCampaign(input: CampaignInput): Promise<Campaign>;
  updateCampaign(id: string, input: CampaignInput): Promise<Campaign>;
  setCampaignStatus(id: string, status: CampaignStatus): Promise<Campaign>;
  /** Deletes a campaign with no judgments and all that is its own; one with judgments is refused (409): close it. */
  deleteCampaign(id: string): Promise<void>;
  guidelineVersions(id: string): Promise<Guidelines[]>;
  publishGuidelines(id: string, markdown: string): Promise<Guidelines>;
  importJsonl(id: string, jsonl: string): Promise<ImportReport>;
  generateTasks(id: string, input: GenerateTasksInput): Promise<{ created: number }>;
  /** One page of 50 prompts in import order; with a query, only those whose messages contain it. */
  prompts(id: string, page: number, query?: string): Promise<PromptView[]>;
  tasks(id: string, page: number): Promise<TaskSummary[]>;
  createTask(id: string, completionIds: string[], gold: GoldAnswer | null): Promise<TaskSummary>;
  exportJudgments(id: string, format: 'trl' | 'full'): Promise<ExportResult>;
  stats(id: string): Promise<CampaignStats>;
  flaggedJudgments(id: string, page: number): Promise<JudgmentRecord[]>;

  /** Reward-model versions, oldest first, through the backend (503 when no worker runs). */
  rewardModelVersions(): Promise<RewardModelVersion[]>;
  rewardModelDataset(): Promise<RewardModelDataset>;
  rewardModelTraining(): Promise<RewardModelTraining>;
  /** Starts training the next version now (rejected while a run is going). */
  trainRewardModel(): Promise<void>;

  users(): Promise<User[]>;
  createUser(input: UserInput & { username: string; password: string }): Promise<User>;
  updateUser(id: string, input: UserInput): Promise<User>;
  disableUser(id: string): Promise<void>;
}
