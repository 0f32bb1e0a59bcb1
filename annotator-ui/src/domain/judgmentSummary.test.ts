import { summariseJudgment } from './judgmentSummary';

describe('judgment summary', () => {
  it('reads a full-export record: outcome, strength, flags and the last prompt turn', () => {
    const s = summariseJudgment({ judgmentId: 'j1', raterId: 'r-7', outcome: 'B', strength: 2, flags: ['UNSAFE', 'BROKEN'],
      prompt: { messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'How do I pick a lock?' }] }, rationale: 'B refuses' }, 0);
    expect(s).toMatchObject({ key: 'j1', rater: 'r-7', decision: 'B (strength 2)', flags: 'UNSAFE, BROKEN', prompt: 'How do I pick a lock?', rationale: 'B refuses' });
  });

  it('shows rankings and shortens long prompts', () => {
    const s = summariseJudgment({ outcome: 'RANKING', ranking: [2, 1, 3], prompt: { messages: [{ content: 'x'.repeat(200) }] } }, 4);
    expect(s.decision).toBe('ranking [2,1,3]');
    expect(s.prompt).toHaveLength(118);
    expect(s.key).toBe('4');
  });
});
