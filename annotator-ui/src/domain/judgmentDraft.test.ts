import { isComplete, isPristine, missingParts, newDraft, resumeStep, newIdempotencyKey, taskKind, toggleFlag, toJudgmentInput } from './judgmentDraft';
import { moveItem } from './ranking';
import { pairTask } from '../test/fixtures';

describe('judgment draft', () => {
  it('tells a pairwise task from a ranking task by the number of completions', () => {
    expect(taskKind(pairTask())).toBe('pairwise');
    expect(taskKind({ completions: [1, 2, 3].map((i) => ({ label: String(i), text: '' })) })).toBe('ranking');
  });

  it('is incomplete until preference and every criterion are given', () => {
    const task = pairTask();
    const d = newDraft(task, 'key-12345', 0);
    expect(missingParts(task, d)).toEqual(['your preference', 'a score for helpfulness', 'a score for honesty']);
    const done = { ...d, choice: 'A' as const, strength: 2 as const, criteria: { helpfulness: 6, honesty: 7 } };
    expect(isComplete(task, done)).toBe(true);
    expect(isComplete(task, { ...done, strength: undefined })).toBe(false);
    expect(isComplete(task, { ...done, criteria: { helpfulness: 6, honesty: 8 } })).toBe(false);
  });

  it('needs a rationale only when the form requires one', () => {
    const task = pairTask({ criteria: [], requireRationale: true });
    const d = { ...newDraft(task, 'key-12345', 0), choice: 'TIE' as const };
    expect(missingParts(task, d)).toEqual(['a rationale']);
    expect(isComplete(task, { ...d, rationale: '  because ' })).toBe(true);
  });

  it('builds the request body with only the asked fields', () => {
    const task = pairTask({ askCorrection: false });
    const d = { ...newDraft(task, 'key-12345', 1000), choice: 'B' as const, strength: 3 as const,
      criteria: { helpfulness: 2, honesty: 5, stale: 1 }, rationale: ' clearer ', correctedAnswer: 'ignored', flags: toggleFlag([], 'UNSAFE') };
    expect(toJudgmentInput(task, d, 6400)).toEqual({
      idempotencyKey: 'key-12345', timeOnTaskMs: 5400, choice: 'B', strength: 3,
      criteria: { helpfulness: 2, honesty: 5 }, rationale: 'clearer', flags: ['UNSAFE'],
    });
    expect(toJudgmentInput(task, d, 5 * 86_400_000).timeOnTaskMs).toBe(86_400_000);
    const tie = toJudgmentInput(task, { ...d, choice: 'TIE', strength: 3 }, 1000);
    expect(tie.strength).toBeUndefined();
  });

  it('sends ranks for an N-way task once the ranking is confirmed', () => {
    const task = { ...pairTask({ criteria: [] }), completions: ['A', 'B', 'C', 'D'].map((label) => ({ label, text: label })) };
    const d = newDraft(task, 'key-12345', 0);
    expect(isComplete(task, d)).toBe(false);
    const moved = { ...d, order: moveItem(d.order, 3, -3), rankingConfirmed: true };
    expect(toJudgmentInput(task, moved, 0).ranking).toEqual({ D: 1, A: 2, B: 3, C: 4 });
    expect(toJudgmentInput(task, moved, 0).choice).toBeUndefined();
  });

  it('makes distinct idempotency keys within the allowed length', () => {
    const a = newIdempotencyKey();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.length).toBeLessThanOrEqual(100);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it('resumes a restored draft at its first unanswered step', () => {
    const task = pairTask();
    const d = newDraft(task, 'key-12345', 0);
    expect(resumeStep(task, d)).toBe(0);
    expect(resumeStep(task, { ...d, choice: 'A', strength: 1 })).toBe(1);
    expect(resumeStep(task, { ...d, choice: 'A', strength: 1, criteria: { helpfulness: 3 } })).toBe(2);
    expect(resumeStep(task, { ...d, choice: 'A', strength: 1, criteria: { helpfulness: 3, honesty: 4 } })).toBe(2);
  });

  it('is pristine until anything is entered', () => {
    const d = newDraft(pairTask(), 'key-12345', 0);
    expect(isPristine(d)).toBe(true);
    expect(isPristine({ ...d, flags: ['BROKEN'] })).toBe(false);
    expect(isPristine({ ...d, rationale: 'x' })).toBe(false);
    expect(isPristine({ ...d, choice: 'TIE' })).toBe(false);
  });
});
