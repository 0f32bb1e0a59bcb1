import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { pairTask } from '../test/fixtures';
import { RaterSession } from './RaterSession';

describe('rater session', () => {
  it('fetches the next task after submit when the backend keeps one lease per rater', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1'), pairTask({}, 'a2')];
    const s = new RaterSession(api, 'c-1');
    const first = await s.first();
    expect(first?.assignmentId).toBe('a1');
    await api.submitJudgment('a1', { idempotencyKey: 'k-12345678', timeOnTaskMs: 1 });
    expect((await s.advance(first!))?.assignmentId).toBe('a2');
  });

  it('shows the prefetched task without another request when a second lease is given', async () => {
    const api = new InMemoryRlhfApi();
    api.secondLease = true;
    api.queue = [pairTask({}, 'a1'), pairTask({}, 'a2'), pairTask({}, 'a3')];
    const s = new RaterSession(api, 'c-1');
    const first = await s.first();
    await Promise.resolve();
    const before = api.calls.filter((c) => c === 'next').length;
    expect(before).toBe(2);
    const second = await s.advance(first!);
    expect(second?.assignmentId).toBe('a2');
    expect(api.calls.filter((c) => c === 'next').length).toBe(3); // only the new prefetch
  });

  it('says when nothing is left', async () => {
    const s = new RaterSession(new InMemoryRlhfApi(), 'c-1');
    expect(await s.first()).toBeNull();
  });
});
