// Wire types of the backend HTTP API (backend/API.md). Kept 1:1 with the contract.

export type Role = 'rater' | 'researcher' | 'admin';

export interface User {
  id: string;
  username: string;
  displayName?: string | null;
  roles: Role[];
  enabled: boolean;
}

export interface RaterCampaign {
  id: string;
  name: string;
  status: string;
  guidelineVersion: number;
  judgedByMe: number;
  remainingForMe: number;
}

export interface Guidelines {
  version: number;
  markdown: string;
  createdAt?: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | string;
  content: string;
}

export interface JudgmentForm {
  criteria: string[];
  askStrength: boolean;
  askRationale: boolean;
  requireRationale: boolean;
  askCorrection: boolean;
}

export interface TaskView {
  assignmentId: string;
  campaignId: string;
  campaignName: string;
  guidelineVersion: number;
  expiresAt: string;
  prompt: { messages: ChatMessage[] };
  completions: { label: string; text: string }[];
  form: JudgmentForm;
}

export type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';
export type Flag = 'UNSAFE' | 'BROKEN' | 'OFF_TOPIC';

export interface JudgmentInput {
  idempotencyKey: string;
  choice?: Choice;
  strength?: 1 | 2 | 3;
  ranking?: Record<string, number>;
  criteria?: Record<string, number>;
  rationale?: string;
  correctedAnswer?: string;
  flags?: Flag[];
  timeOnTaskMs: number;
}

export interface JudgmentReceipt {
  judgmentId: string;
  assignmentId: string;
  submittedAt: string;
  replayed: boolean;
}

export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'CLOSED';

export interface CampaignInput {
  name: string;
  description?: string;
  overlap: number;
  goldRatio: number;
  leaseMinutes: number;
  form: JudgmentForm;
  guidelines?: string;
  /** Active learning: the queue serves first the tasks the reward model is least sure about. */
  preferUncertain?: boolean;
}

export interface Campaign extends CampaignInput {
  id: string;
  status: CampaignStatus;
  guidelineVersion: number;
  createdAt: string;
  tasks: number;
  judgments: number;
}

export interface ImportReport {
  lines: number;
  importedPrompts: number;
  importedCompletions: number;
  errors: { line: number; message: string }[];
}

export interface GenerateTasksInput {
  strategy: 'ALL_PAIRS' | 'RANDOM_PAIRS';
  pairsPerPrompt: number;
  seed: number;
}

export interface PromptView {
  id: string;
  messages: ChatMessage[];
  tags?: string[];
  source?: string | null;
  completions: { id: string; text: string; model?: Record<string, unknown> | null; tokenCount?: number | null }[];
}

/** Known answer of a gold task, canonical order: a pairwise choice, or each completion's rank (1 = best). */
export interface GoldAnswer {
  choice?: Choice | null;
  ranking?: number[] | null;
}

export interface TaskSummary {
  id: string;
  promptId: string;
  completionIds: string[];
  gold: GoldAnswer | null;
  judgments: number;
}

export interface ExportResult {
  filename: string;
  body: Blob;
  exportedPairs?: number;
  skippedTies?: number;
  /** Pairs that an N-way ranking ranks equal, left out of the TRL rows. */
  skippedTiedPairs?: number;
  skippedBothBad?: number;
}

export interface CampaignStats {
  judgments: number;
  flagged: number;
  raters: { raterId: string; username: string; judgments: number; goldJudged: number; goldCorrect: number; goldAccuracy: number | null }[];
  pairwiseKappa: { raterA: string; raterB: string; sharedTasks: number; kappa: number | null }[];
  krippendorffAlpha: number | null;
  throughputPerHour: { hour: string; judgments: number }[];
}

/** A stored judgment as the research endpoints return it ("every field"); unknown fields are kept. */
export type JudgmentRecord = Record<string, unknown> & { id?: string; flags?: Flag[] };

export interface UserInput {
  username?: string;
  displayName?: string;
  password?: string;
  roles?: Role[];
  enabled?: boolean;
}

/** RFC 7807 problem, thrown by the client for every non-2xx answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly fieldErrors: { field: string; message: string }[] = [],
  ) {
    super(detail || title || `HTTP ${status}`);
  }
  /** Network failures and 5xx are worth retrying; 4xx answers will not change by themselves. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** One reward-model version as the worker lists it (metrics absent when they cannot be measured). */
export interface RewardModelVersion {
  modelId: string;
  version: number;
  createdAt: string;
  baseModel: string;
  warmStartedFrom: number | null;
  judgmentsSeen: number;
  judgmentsUsed: number;
  metrics: Partial<Record<'validation_accuracy' | 'gold_accuracy' | 'validation_ece' | 'majority_agreement' | 'validation_margin' | 'pairs_per_second', number>>;
}

export interface RewardModelTraining { running: boolean; nextVersion: number; lastFailure: string | null }

/** The worker's preference dataset. */
export interface RewardModelDataset {
  judgments: number;
  judgmentsByOutcome: Record<string, number>;
  goldJudgments: number;
  flaggedJudgments: number;
  raterPairs: number;
  rankingPairs: number;
  goldAnswerPairs: number;
}
