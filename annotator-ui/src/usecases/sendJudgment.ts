import type { RlhfApi } from '../api/RlhfApi';
import { ApiError, type JudgmentReceipt, type TaskView } from '../api/types';
import { toJudgmentInput, type JudgmentDraft } from '../domain/judgmentDraft';
import type { LocalJournal, PendingJudgment } from '../domain/localJournal';

export type SendOutcome =
  | { kind: 'stored'; receipt: JudgmentReceipt }
  | { kind: 'queued'; error: ApiError }
  | { kind: 'rejected'; error: ApiError };

/** Journal first, then send: whatever happens to the request, the judgment is not lost. */
export async function sendJudgment(api: RlhfApi, journal: LocalJournal, task: TaskView, draft: JudgmentDraft, now = Date.now()): Promise<SendOutcome> {
  const pending: PendingJudgment = {
    assignmentId: task.assignmentId, campaignId: task.campaignId,
    input: toJudgmentInput(task, draft, now), queuedAt: now, attempts: 0,
  };
  journal.enqueue(pending);
  return deliver(api, journal, pending);
}

/** What one pass over the journal did; `rejected` are refused for good (and dropped), `waiting` still on this device. */
export interface FlushResult { stored: number; rejected: { judgment: PendingJudgment; error: ApiError }[]; waiting: number }

/**
 * Retries every journaled judgment with its original idempotency key; the server replays duplicates.
 * `inFlight` names judgments whose first request has not answered yet: those are left to it.
 */
export async function flushPending(api: RlhfApi, journal: LocalJournal, inFlight: (assignmentId: string) => boolean = () => false): Promise<FlushResult> {
  let stored = 0;
  const rejected: FlushResult['rejected'] = [];
  for (const p of journal.pending()) {
    if (inFlight(p.assignmentId)) continue;
    const outcome = await deliver(api, journal, p);
    if (outcome.kind === 'stored') stored++;
    else if (outcome.kind === 'rejected') rejected.push({ judgment: p, error: outcome.error });
    else break; // still offline: keep the rest for the next attempt
  }
  return { stored, rejected, waiting: journal.pending().length };
}

async function deliver(api: RlhfApi, journal: LocalJournal, p: PendingJudgment): Promise<SendOutcome> {
  try {
    const receipt = await api.submitJudgment(p.assignmentId, p.input);
    journal.acknowledge(p.assignmentId);
    return { kind: 'stored', receipt };
  } catch (e) {
    const error = e instanceof ApiError ? e : new ApiError(0, 'Unexpected error', String(e));
    // 401 means "log in again", not "your judgment is wrong": keep it for after the login.
    if (error.retryable || error.status === 401) {
      journal.enqueue({ ...p, attempts: p.attempts + 1, lastError: error.message });
      return { kind: 'queued', error };
    }
    journal.acknowledge(p.assignmentId);
    return { kind: 'rejected', error };
  }
}
