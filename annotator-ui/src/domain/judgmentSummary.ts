import type { JudgmentRecord } from '../api/types';

/** One row of the flagged-judgments table, from a full judgment record (fields as in the full export). */
export interface JudgmentSummary {
  key: string;
  flags: string;
  rater: string;
  decision: string;
  prompt: string;
  rationale: string;
  submittedAt: string;
}

export function summariseJudgment(j: JudgmentRecord, index: number): JudgmentSummary {
  const r = j as Record<string, unknown>;
  const outcome = str(r.outcome ?? r.choice);
  const ranking = r.ranking;
  const decision = Array.isArray(ranking) || (ranking && typeof ranking === 'object')
    ? `ranking ${JSON.stringify(ranking)}`
    : `${outcome}${r.strength ? ` (strength ${str(r.strength)})` : ''}`;
  const messages = (r.prompt as { messages?: { content?: string }[] } | undefined)?.messages;
  const lastTurn = messages?.length ? str(messages[messages.length - 1].content) : '';
  return {
    key: str(r.judgmentId ?? r.id ?? index),
    flags: Array.isArray(r.flags) ? r.flags.join(', ') : '',
    rater: str(r.raterUsername ?? r.username ?? r.raterId),
    decision,
    prompt: lastTurn.length > 120 ? lastTurn.slice(0, 117) + '…' : lastTurn,
    rationale: str(r.rationale),
    submittedAt: str(r.submittedAt),
  };
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
