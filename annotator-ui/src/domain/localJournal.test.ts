import { LocalJournal, MemoryStore } from './localJournal';
import { newDraft } from './judgmentDraft';
import { pairTask } from '../test/fixtures';

describe('local journal', () => {
  it('keeps a draft across instances sharing one store, as across a reload', () => {
    const store = new MemoryStore();
    const draft = { ...newDraft(pairTask(), 'key-abcdefgh', 5), choice: 'A' as const, rationale: 'A cites a source' };
    new LocalJournal(store).saveDraft(draft);
    expect(new LocalJournal(store).draft('as-1')).toEqual(draft);
  });

  it('lists pending judgments oldest first and forgets them with their draft on acknowledgement', () => {
    const j = new LocalJournal(new MemoryStore());
    j.saveDraft(newDraft(pairTask(), 'key-abcdefgh', 0));
    j.enqueue({ assignmentId: 'as-2', campaignId: 'c', input: { idempotencyKey: 'k2-aaaaaaaa', timeOnTaskMs: 1 }, queuedAt: 20, attempts: 0 });
    j.enqueue({ assignmentId: 'as-1', campaignId: 'c', input: { idempotencyKey: 'k1-aaaaaaaa', timeOnTaskMs: 1 }, queuedAt: 10, attempts: 0 });
    expect(j.pending().map((p) => p.assignmentId)).toEqual(['as-1', 'as-2']);
    j.acknowledge('as-1');
    expect(j.pending().map((p) => p.assignmentId)).toEqual(['as-2']);
    expect(j.draft('as-1')).toBeUndefined();
    expect(j.isPending('as-2')).toBe(true);
  });

  it('survives a corrupted entry', () => {
    const store = new MemoryStore();
    store.setItem('rlhf.draft.x', '{not json');
    expect(new LocalJournal(store).draft('x')).toBeUndefined();
  });

  it('remembers which guidelines version was read per campaign', () => {
    const j = new LocalJournal(new MemoryStore());
    expect(j.guidelinesSeen('c')).toBe(0);
    j.markGuidelinesSeen('c', 3);
    expect(j.guidelinesSeen('c')).toBe(3);
    expect(j.guidelinesSeen('other')).toBe(0);
  });
});
