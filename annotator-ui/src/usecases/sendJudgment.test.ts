import { ApiError } from '../api/types';
import { newDraft } from '../domain/judgmentDraft';
import { LocalJournal, MemoryStore } from '../domain/localJournal';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { pairTask } from '../test/fixtures';
import { flushPending, sendJudgment } from './sendJudgment';

const task = pairTask({ criteria: [] });
const draft = { ...newDraft(task, 'key-0123456789', 0), choice: 'A' as const, strength: 1 as const };

describe('sending a judgment', () => {
  it('stores it and leaves nothing pending', async () => {
    const api = new InMemoryRlhfApi();
    const journal = new LocalJournal(new MemoryStore());
    const out = await sendJudgment(api, journal, task, draft, 100);
    expect(out.kind).toBe('stored');
    expect(journal.pending()).toEqual([]);
    expect([...api.judgments.values()][0].input).toMatchObject({ choice: 'A', strength: 1, timeOnTaskMs: 100 });
  });

  it('keeps it while offline and delivers it once, with the same key, when the network is back', async () => {
    const api = new InMemoryRlhfApi();
    const journal = new LocalJournal(new MemoryStore());
    api.offline = true;
    expect((await sendJudgment(api, journal, task, draft, 100)).kind).toBe('queued');
    expect(journal.pending()[0]).toMatchObject({ attempts: 1, input: { idempotencyKey: 'key-0123456789' } });
    api.offline = false;
    expect(await flushPending(api, journal)).toEqual({ stored: 1, rejected: [], waiting: 0 });
    expect(await flushPending(api, journal)).toEqual({ stored: 0, rejected: [], waiting: 0 });
    expect(api.judgments.size).toBe(1);
  });

  it('is stored only once when the answer was lost after the server stored it', async () => {
    const api = new InMemoryRlhfApi();
    const journal = new LocalJournal(new MemoryStore());
    const original = api.submitJudgment.bind(api);
    api.submitJudgment = async (id, input) => { await original(id, input); throw new ApiError(0, 'connection reset'); };
    expect((await sendJudgment(api, journal, task, draft)).kind).toBe('queued');
    api.submitJudgment = original;
    await flushPending(api, journal);
    expect(api.judgments.size).toBe(1);
    expect(journal.pending()).toEqual([]);
  });

  it('drops a judgment the server refuses for good and reports why', async () => {
    const api = new InMemoryRlhfApi();
    const journal = new LocalJournal(new MemoryStore());
    api.submitJudgment = async () => { throw new ApiError(409, 'Conflict', 'The task is full'); };
    const out = await sendJudgment(api, journal, task, draft);
    expect(out).toMatchObject({ kind: 'rejected', error: { status: 409, message: 'The task is full' } });
    expect(journal.pending()).toEqual([]);
  });
});
