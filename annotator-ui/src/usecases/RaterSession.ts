import type { RlhfApi } from '../api/RlhfApi';
import type { TaskView } from '../api/types';
import type { JudgmentDraft } from '../domain/judgmentDraft';
import type { LocalJournal } from '../domain/localJournal';
import { flushPending, sendJudgment, type FlushResult, type SendOutcome } from './sendJudgment';

/** What waiting for the next task found: a task (null when nothing is left), or none yet because the judgment is only on this device. */
export type Advance = { kind: 'task'; task: TaskView | null } | { kind: 'unsent' };

/** A prefetched lease: the request, and once it has answered, the task (null when there was none to take). */
interface Upcoming {
  promise: Promise<TaskView | null>;
  settled: boolean;
  task: TaskView | null;
}

/**
 * The rater's queue in one campaign: the task on screen, the next one already leased (`next?prefetch=true`),
 * and the judgments on their way to the server.
 *
 * A submit journals the judgment and sends it in the background; when the prefetched task is already here it
 * is handed over at once, so the rater never waits for the judgment's round trip. The server lets a rater hold
 * two leases, so the prefetch is refilled as soon as every judgment sent has been answered (before that the
 * server would hand back a lease already held). A lease the server hands back that is on screen or still has
 * a judgment on its way is never shown as "next".
 */
export class RaterSession {
  private shown: TaskView | null = null;
  private upcoming: Upcoming | null = null;
  private readonly sending = new Map<string, Promise<SendOutcome>>();
  private closed = false;

  constructor(
    private readonly api: RlhfApi,
    private readonly journal: LocalJournal,
    readonly campaignId: string,
    /** Told about each prefetched task, e.g. to render its Markdown ahead of time. */
    private readonly onPrefetched: (task: TaskView) => void = () => undefined,
  ) {}

  /** The task to show on arrival: the lease already held (a reload shows the same task), else a new one. */
  async first(): Promise<TaskView | null> {
    this.closed = false;
    return this.showing(await this.api.nextTask(this.campaignId));
  }

  /**
   * Journals the judgment of the task on screen (synchronously: it survives a reload from here on) and sends it.
   * `next` is the following task when the prefetch already holds it; otherwise call {@link advance}.
   */
  submit(task: TaskView, draft: JudgmentDraft, now: number): { delivery: Promise<SendOutcome>; next: TaskView | null } {
    const id = task.assignmentId;
    const delivery = sendJudgment(this.api, this.journal, task, draft, now).then((outcome) => {
      this.sending.delete(id);
      this.refill();
      return outcome;
    });
    this.sending.set(id, delivery);
    return { delivery, next: this.takeReady() };
  }

  /** The prefetched task when it has arrived and may be shown, taken off the queue; null otherwise. */
  takeReady(): TaskView | null {
    const u = this.upcoming;
    if (!u?.settled || !u.task || !this.usable(u.task)) return null;
    this.upcoming = null;
    return this.showing(u.task);
  }

  /**
   * Waits for the next task after the one on screen was judged (`delivery`) or skipped: the prefetch in flight
   * if it brings one, else, once the server has every judgment, whatever `next` answers. `unsent` when the
   * judgment could not be delivered: the server still holds that lease and would only hand it back.
   */
  async advance(delivery?: Promise<SendOutcome>): Promise<Advance> {
    const prefetched = await this.takeUpcoming();
    if (prefetched) return { kind: 'task', task: this.showing(prefetched) };
    if (delivery && (await delivery).kind === 'queued') return { kind: 'unsent' };
    await Promise.all(this.sending.values());
    const refilled = await this.takeUpcoming();
    if (refilled) return { kind: 'task', task: this.showing(refilled) };
    // A lease still held comes back here, e.g. `current` itself when the server refused its judgment.
    return { kind: 'task', task: this.showing(await this.api.nextTask(this.campaignId)) };
  }

  /** Sends every journaled judgment not already on its way, then refills the prefetch if that freed a lease. */
  async flush(): Promise<FlushResult> {
    const result = await flushPending(this.api, this.journal, (id) => this.sending.has(id));
    this.refill();
    return result;
  }

  /** Judgments kept on this device that are not on their way right now: they wait for a retry. */
  unsent(): number {
    return this.journal.pending().filter((p) => !this.sending.has(p.assignmentId)).length;
  }

  /** Leaving the page: hand the prefetched lease back so another rater can take that task. */
  close() {
    this.closed = true;
    const u = this.upcoming;
    this.upcoming = null;
    void u?.promise.then((t) => { if (t && t.assignmentId !== this.shown?.assignmentId) return this.api.release(t.assignmentId); }).catch(() => undefined);
  }

  /** Asks for a second lease when none is prefetched and the server can give one. */
  refill() {
    if (this.closed || !this.shown || this.sending.size > 0) return;
    if (this.upcoming && (!this.upcoming.settled || this.upcoming.task)) return;
    // A judgment on its way or kept on this device leaves its lease held: the server would only hand back a
    // lease we hold. (`sending` also covers a judgment the journal could not store, e.g. storage full.)
    if (this.journal.pending().some((p) => p.campaignId === this.campaignId)) return;
    const u: Upcoming = { promise: Promise.resolve(null), settled: false, task: null };
    u.promise = this.api.nextTask(this.campaignId, true).then(
      (t) => {
        u.settled = true;
        u.task = t && this.usable(t) ? t : null;
        if (u.task) this.onPrefetched(u.task);
        return u.task;
      },
      () => { u.settled = true; return null; },
    );
    this.upcoming = u;
  }

  private async takeUpcoming(): Promise<TaskView | null> {
    const u = this.upcoming;
    if (!u) return null;
    const t = await u.promise;
    if (this.upcoming === u) this.upcoming = null;
    return t && this.usable(t) ? t : null;
  }

  /** Not the task on screen, and not one whose judgment is on its way or kept on this device. */
  private usable(t: TaskView) {
    return t.assignmentId !== this.shown?.assignmentId && !this.sending.has(t.assignmentId) && !this.journal.isPending(t.assignmentId);
  }

  private showing(t: TaskView | null): TaskView | null {
    this.shown = t;
    this.refill();
    return t;
  }
}
