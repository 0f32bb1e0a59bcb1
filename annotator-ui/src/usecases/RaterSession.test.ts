import { ApiError, type JudgmentInput, type JudgmentReceipt } from '../api/types';
import { newDraft, type JudgmentDraft } from '../domain/judgmentDraft';
import { LocalJournal, MemoryStore } from '../domain/localJournal';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { pairTask } from '../test/fixtures';
import type { TaskView } from '../api/types';
import { RaterSession } from './RaterSession';

const judged = (t: TaskView, key = 'key-' + t.assignmentId + '-0123'): JudgmentDraft => ({ ...newDraft(t, key, 0), choice: 'A', strength: 1 });
const tasks = (...ids: string[]) => ids.map((id) => pairTask({ criteria: [] }, id));
/** Lets every pending promise callback run (the in-memory API answers in microtasks). */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** Holds the judgment requests until `open`, as a slow network would; `fail` makes the held ones fail instead. */
function gateJudgments(api: InMemoryRlhfApi) {
  const original = api.submitJudgment.bind(api);
  const waiting: { run: () => void; fail: (e: ApiError) => void }[] = [];
  api.submitJudgment = (id: string, input: JudgmentInput) => new Promise<JudgmentReceipt>((resolve, reject) => {
    api.calls.push('sent:' + id);
    waiting.push({ run: () => original(id, input).then(resolve, reject), fail: reject });
  });
  return {
    open() { waiting.splice(0).forEach((w) => w.run()); api.submitJudgment = original; },
    fail(e: ApiError) { waiting.splice(0).forEach((w) => w.fail(e)); },
    get held() { return waiting.length; },
  };
}

function withSecondLease(...ids: string[]) {
  const api = new InMemoryRlhfApi();
  api.secondLease = true;
  api.queue = tasks(...ids);
  const journal = new LocalJournal(new MemoryStore());
  return { api, journal, session: new RaterSession(api, journal, 'c-1') };
}

describe('rater session', () => {
  it('fetches the next task once the judgment is stored when the backend keeps one lease per rater', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = tasks('a1', 'a2');
    const s = new RaterSession(api, new LocalJournal(new MemoryStore()), 'c-1');
    const first = (await s.first())!;
    expect(first.assignmentId).toBe('a1');
    await settle(); // the prefetch came back with a1 itself: nothing to hand over
    const { delivery, next } = s.submit(first, judged(first), 5);
    expect(next).toBeNull();
    expect(await s.advance(delivery)).toEqual({ kind: 'task', task: expect.objectContaining({ assignmentId: 'a2' }) });
    expect(api.judgments.size).toBe(1);
  });

  it('hands over the prefetched pair at once while the judgment is still on its way, journaled', async () => {
    const { api, journal, session } = withSecondLease('a1', 'a2', 'a3');
    const first = (await session.first())!;
    await settle();
    const gate = gateJudgments(api);
    const { delivery, next } = session.submit(first, judged(first), 5);
    expect(next?.assignmentId).toBe('a2');
    expect(gate.held).toBe(1);
    expect(api.judgments.size).toBe(0);
    expect(journal.pending()).toMatchObject([{ assignmentId: 'a1', input: { idempotencyKey: 'key-a1-0123' } }]);
    gate.open();
    expect((await delivery).kind).toBe('stored');
    expect(journal.pending()).toEqual([]);
  });

  it('refills the prefetch when the judgment is answered, so the pair after next is ready too', async () => {
    const { api, session } = withSecondLease('a1', 'a2', 'a3', 'a4');
    const first = (await session.first())!;
    await settle();
    const gate = gateJudgments(api);
    const second = session.submit(first, judged(first), 5).next!;
    await settle();
    // Holding a1 and a2, the server would only hand back a2: no prefetch is asked for while a1 is on its way.
    expect(api.calls.filter((c) => c === 'next?prefetch')).toHaveLength(1);
    gate.open();
    await settle();
    expect(api.calls.filter((c) => c === 'next?prefetch')).toHaveLength(2);
    expect(session.submit(second, judged(second), 6).next?.assignmentId).toBe('a3');
    await settle();
    expect(session.takeReady()?.assignmentId).toBe('a4'); // refilled again once a2's judgment was answered
    expect(api.held.map((t) => t.assignmentId)).toEqual(['a3', 'a4']);
  });

  it('waits for the prefetch in flight instead of the judgment when the pair was not there yet', async () => {
    const { api, session } = withSecondLease('a1', 'a2');
    const first = (await session.first())!; // the prefetch is asked for but has not answered
    const gate = gateJudgments(api);
    const { delivery, next } = session.submit(first, judged(first), 5);
    expect(next).toBeNull();
    expect(await session.advance(delivery)).toMatchObject({ kind: 'task', task: { assignmentId: 'a2' } });
    expect(gate.held).toBe(1); // shown before the judgment was answered
    gate.open();
    await delivery;
  });

  it('keeps a judgment that could not be sent and retries it with the same idempotency key', async () => {
    const { api, journal, session } = withSecondLease('a1', 'a2', 'a3');
    const first = (await session.first())!;
    await settle();
    const gate = gateJudgments(api);
    const { delivery, next } = session.submit(first, judged(first, 'key-kept-0001'), 5);
    expect(next?.assignmentId).toBe('a2');
    gate.fail(new ApiError(0, 'Network unreachable'));
    expect((await delivery).kind).toBe('queued');
    expect(journal.pending()).toMatchObject([{ assignmentId: 'a1', attempts: 1, input: { idempotencyKey: 'key-kept-0001' } }]);
    expect(session.unsent()).toBe(1);
    await settle();
    expect(session.takeReady()).toBeNull(); // a1 still held by the server: no third lease

    gate.open();
    expect(await session.flush()).toMatchObject({ stored: 1, rejected: [] });
    expect([...api.judgments.values()].map((j) => [j.assignmentId, j.input.idempotencyKey])).toEqual([['a1', 'key-kept-0001']]);
    expect(session.unsent()).toBe(0);
    await settle();
    expect(session.submit(next!, judged(next!), 6).next?.assignmentId).toBe('a3'); // refilled after the retry
  });

  it('says the judgment is unsent when no other pair is at hand, so the page keeps it on screen', async () => {
    const { api, session } = withSecondLease('a1');
    const first = (await session.first())!;
    await settle(); // nothing left to prefetch
    api.offline = true;
    const { delivery, next } = session.submit(first, judged(first), 5);
    expect(next).toBeNull();
    expect(await session.advance(delivery)).toEqual({ kind: 'unsent' });
  });

  it('reports a judgment the server refuses, and drops it from the journal', async () => {
    const { api, journal, session } = withSecondLease('a1', 'a2');
    const first = (await session.first())!;
    await settle();
    const gate = gateJudgments(api);
    const { delivery, next } = session.submit(first, judged(first), 5);
    expect(next?.assignmentId).toBe('a2');
    gate.fail(new ApiError(409, 'Conflict', 'The lease on this task expired and the task is full'));
    expect(await delivery).toMatchObject({ kind: 'rejected', error: { status: 409, message: 'The lease on this task expired and the task is full' } });
    expect(journal.pending()).toEqual([]);
  });

  it('does not send a judgment twice while its first request is still on its way', async () => {
    const { api, session } = withSecondLease('a1', 'a2');
    const first = (await session.first())!;
    await settle();
    const gate = gateJudgments(api);
    session.submit(first, judged(first), 5);
    expect(await session.flush()).toMatchObject({ stored: 0, waiting: 1 });
    expect(gate.held).toBe(1);
  });

  it('after a reload sends the journaled judgment with its key before asking for a task', async () => {
    const store = new MemoryStore();
    const api = new InMemoryRlhfApi();
    api.secondLease = true;
    api.queue = tasks('a1', 'a2', 'a3');
    const before = new RaterSession(api, new LocalJournal(store), 'c-1');
    const first = (await before.first())!;
    await settle();
    const gate = gateJudgments(api);
    expect(before.submit(first, judged(first, 'key-reload-01'), 5).next?.assignmentId).toBe('a2');
    // The page is reloaded before the server answered: that request never comes back.
    expect(gate.held).toBe(1);
    api.submitJudgment = InMemoryRlhfApi.prototype.submitJudgment.bind(api);

    const after = new RaterSession(api, new LocalJournal(store), 'c-1');
    expect(await after.flush()).toMatchObject({ stored: 1, waiting: 0 });
    expect((await after.first())?.assignmentId).toBe('a2');
    expect([...api.judgments.values()].map((j) => j.input.idempotencyKey)).toEqual(['key-reload-01']);
  });

  it('hands the prefetched lease back when the page is left', async () => {
    const { api, session } = withSecondLease('a1', 'a2');
    await session.first();
    await settle();
    session.close();
    await settle();
    expect(api.calls).toContain('release:a2');
    expect(api.calls).not.toContain('release:a1');
  });

  it('says when nothing is left', async () => {
    const s = new RaterSession(new InMemoryRlhfApi(), new LocalJournal(new MemoryStore()), 'c-1');
    expect(await s.first()).toBeNull();
  });
});
