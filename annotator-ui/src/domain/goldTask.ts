import type { Choice, GoldAnswer } from '../api/types';

/** A task being put together by hand: completions in the order picked (that order is the canonical A, B, …). */
export interface TaskDraft {
  completionIds: string[];
  gold: 'none' | 'set';
  choice: Choice;
  ranks: Record<string, string>;
}

export const emptyTaskDraft: TaskDraft = { completionIds: [], gold: 'none', choice: 'A', ranks: {} };

export function togglePicked(d: TaskDraft, completionId: string): TaskDraft {
  const picked = d.completionIds.includes(completionId)
    ? d.completionIds.filter((id) => id !== completionId)
    : [...d.completionIds, completionId];
  return { ...d, completionIds: picked };
}

/** What keeps the task from being created, or an empty list. */
export function taskDraftProblems(d: TaskDraft): string[] {
  const n = d.completionIds.length;
  const problems: string[] = [];
  if (n < 2 || n > 6) problems.push('Pick 2 to 6 completions of one prompt.');
  if (d.gold === 'set' && n > 2) {
    const ranks = d.completionIds.map((id) => Number(d.ranks[id]));
    if (ranks.some((r) => !Number.isInteger(r) || r < 1 || r > n)) problems.push(`Give every completion a gold rank from 1 to ${n}.`);
  }
  return problems;
}

export function goldAnswer(d: TaskDraft): GoldAnswer | null {
  if (d.gold === 'none') return null;
  if (d.completionIds.length === 2) return { choice: d.choice };
  return { ranking: d.completionIds.map((id) => Number(d.ranks[id])) };
}
