import type { JudgmentInput } from '../api/types';
import type { JudgmentDraft } from './judgmentDraft';

/** The subset of Web Storage used here, so tests can pass a Map-backed one. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

/** A judgment that was submitted but not yet acknowledged by the server. */
export interface PendingJudgment {
  assignmentId: string;
  campaignId: string;
  input: JudgmentInput;
  queuedAt: number;
  attempts: number;
  lastError?: string;
}

const DRAFT = 'rlhf.draft.';
const PENDING = 'rlhf.pending.';
const SEEN = 'rlhf.guidelines-seen.';

/**
 * Everything a rater has typed but the server has not stored yet: drafts being composed and
 * judgments awaiting acknowledgement. Both live in localStorage, keyed by assignment, so a reload,
 * a crash or a dropped network loses nothing. The idempotency key travels inside each entry.
 */
export class LocalJournal {
  constructor(private readonly store: KeyValueStore) {}

  saveDraft(d: JudgmentDraft) { this.write(DRAFT + d.assignmentId, d); }
  draft(assignmentId: string): JudgmentDraft | undefined { return this.read<JudgmentDraft>(DRAFT + assignmentId); }
  dropDraft(assignmentId: string) { this.store.removeItem(DRAFT + assignmentId); }

  enqueue(p: PendingJudgment) { this.write(PENDING + p.assignmentId, p); }
  pending(): PendingJudgment[] {
    return this.keys(PENDING).map((k) => this.read<PendingJudgment>(k)!).filter(Boolean).sort((a, b) => a.queuedAt - b.queuedAt);
  }
  isPending(assignmentId: string) { return this.store.getItem(PENDING + assignmentId) !== null; }
  acknowledge(assignmentId: string) {
    this.store.removeItem(PENDING + assignmentId);
    this.store.removeItem(DRAFT + assignmentId);
  }

  /** The guidelines version this rater last opened in a campaign, to point out newer ones. */
  guidelinesSeen(campaignId: string): number { return this.read<number>(SEEN + campaignId) ?? 0; }
  markGuidelinesSeen(campaignId: string, version: number) { this.write(SEEN + campaignId, version); }

  private keys(prefix: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.store.length; i++) {
      const k = this.store.key(i);
      if (k?.startsWith(prefix)) out.push(k);
    }
    return out;
  }
  private write(key: string, value: unknown) {
    try {
      this.store.setItem(key, JSON.stringify(value));
    } catch {
      // Quota full or storage disabled: the judgment still goes to the server, it just is not journaled.
    }
  }
  private read<T>(key: string): T | undefined {
    const raw = this.store.getItem(key);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }
}

export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  get length() { return this.map.size; }
}
