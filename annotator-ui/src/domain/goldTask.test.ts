import { emptyTaskDraft, goldAnswer, taskDraftProblems, togglePicked } from './goldTask';

describe('hand-made task', () => {
  it('keeps completions in the order they were picked and unpicks on a second click', () => {
    let d = togglePicked(togglePicked(togglePicked(emptyTaskDraft, 'c3'), 'c1'), 'c2');
    expect(d.completionIds).toEqual(['c3', 'c1', 'c2']);
    d = togglePicked(d, 'c1');
    expect(d.completionIds).toEqual(['c3', 'c2']);
  });

  it('needs 2 to 6 completions', () => {
    expect(taskDraftProblems(togglePicked(emptyTaskDraft, 'c1'))).toHaveLength(1);
    expect(taskDraftProblems({ ...emptyTaskDraft, completionIds: ['a', 'b'] })).toEqual([]);
  });

  it('sends a pairwise gold as a choice and an N-way gold as ranks in canonical order', () => {
    expect(goldAnswer({ ...emptyTaskDraft, completionIds: ['a', 'b'] })).toBeNull();
    expect(goldAnswer({ ...emptyTaskDraft, completionIds: ['a', 'b'], gold: 'set', choice: 'B' })).toEqual({ choice: 'B' });
    const three = { ...emptyTaskDraft, completionIds: ['x', 'y', 'z'], gold: 'set' as const, ranks: { x: '2', y: '1', z: '3' } };
    expect(taskDraftProblems(three)).toEqual([]);
    expect(goldAnswer(three)).toEqual({ ranking: [2, 1, 3] });
    expect(taskDraftProblems({ ...three, ranks: { x: '2', y: '9' } })).toEqual(['Give every completion a gold rank from 1 to 3.']);
  });
});
