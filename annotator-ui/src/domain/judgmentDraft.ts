import type { Choice, Flag, JudgmentInput, TaskView } from '../api/types';
import { initialRanking, toRanks, type RankedItem } from './ranking';

/** The API refuses more than a day; a draft restored days later still submits. */
export const MAX_TIME_ON_TASK_MS = 86_400_000;

export type TaskKind = 'pairwise' | 'ranking';

export function taskKind(task: Pick<TaskView, 'completions'>): TaskKind {
  return task.completions.length === 2 ? 'pairwise' : 'ranking';
}

/** The judgment a rater is composing. Saved locally on every change so a reload loses nothing. */
export interface JudgmentDraft {
  assignmentId: string;
  idempotencyKey: string;
  startedAt: number;
  choice?: Choice;
  strength?: 1 | 2 | 3;
  order: RankedItem[];
  /** A ranking counts as given once the rater moved, tied or confirmed the order. */
  rankingConfirmed: boolean;
  criteria: Record<string, number>;
  rationale: string;
  correctedAnswer: string;
  flags: Flag[];
}

export function newDraft(task: TaskView, idempotencyKey: string, now: number): JudgmentDraft {
  return {
    assignmentId: task.assignmentId,
    idempotencyKey,
    startedAt: now,
    order: initialRanking(task.completions.map((c) => c.label)),
    rankingConfirmed: false,
    criteria: {},
    rationale: '',
    correctedAnswer: '',
    flags: [],
  };
}

/** Nothing entered yet: leaving such a task may hand it back to the queue without losing anyone's work. */
export function isPristine(d: JudgmentDraft): boolean {
  return !d.choice && !d.rankingConfirmed && Object.keys(d.criteria).length === 0 && d.rationale.trim() === ''
    && d.correctedAnswer.trim() === '' && d.flags.length === 0;
}

/** What still keeps the submit button disabled, in words a rater can act on. */
export function missingParts(task: TaskView, d: JudgmentDraft): string[] {
  const missing: string[] = [];
  if (taskKind(task) === 'pairwise') {
    if (!d.choice) missing.push('your preference');
    else if (task.form.askStrength && (d.choice === 'A' || d.choice === 'B') && !d.strength) missing.push('how much better');
  } else if (!d.rankingConfirmed) {
    missing.push('the ranking (move an item, or press k to keep the order)');
  }
  for (const c of task.form.criteria) {
    const v = d.criteria[c];
    if (!(Number.isInteger(v) && v >= 1 && v <= 7)) missing.push(`a score for ${c}`);
  }
  if (task.form.askRationale && task.form.requireRationale && d.rationale.trim() === '') missing.push('a rationale');
  return missing;
}

/** Where a restored draft continues: the first unanswered step (0 = preference or ranking, n = criterion n). */
export function resumeStep(task: TaskView, d: JudgmentDraft): number {
  const started = taskKind(task) === 'pairwise' ? !!d.choice : d.rankingConfirmed;
  if (!started) return 0;
  const i = task.form.criteria.findIndex((c) => d.criteria[c] === undefined);
  return i < 0 ? task.form.criteria.length : i + 1;
}

export function isComplete(task: TaskView, d: JudgmentDraft): boolean {
  return missingParts(task, d).length === 0;
}

/** The request body for a complete draft; only the fields the form asks for are sent. */
export function toJudgmentInput(task: TaskView, d: JudgmentDraft, now: number): JudgmentInput {
  const input: JudgmentInput = { idempotencyKey: d.idempotencyKey, timeOnTaskMs: Math.min(MAX_TIME_ON_TASK_MS, Math.max(0, Math.round(now - d.startedAt))) };
  if (taskKind(task) === 'pairwise') {
    input.choice = d.choice;
    if (task.form.askStrength && (d.choice === 'A' || d.choice === 'B')) input.strength = d.strength;
  } else {
    input.ranking = toRanks(d.order);
  }
  if (task.form.criteria.length > 0) {
    input.criteria = Object.fromEntries(task.form.criteria.map((c) => [c, d.criteria[c]]));
  }
  if (task.form.askRationale && d.rationale.trim() !== '') input.rationale = d.rationale.trim();
  if (task.form.askCorrection && d.correctedAnswer.trim() !== '') input.correctedAnswer = d.correctedAnswer;
  if (d.flags.length > 0) input.flags = [...d.flags];
  return input;
}

export function toggleFlag(flags: Flag[], flag: Flag): Flag[] {
  return flags.includes(flag) ? flags.filter((f) => f !== flag) : [...flags, flag];
}

/** 8..100 characters as the API requires; works outside secure contexts too (no randomUUID there). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'j-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
