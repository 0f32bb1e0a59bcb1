import type { RlhfApi } from '../api/RlhfApi';
import type { TaskView } from '../api/types';

/**
 * The rater's queue in one campaign: the task on screen plus, when the backend hands out a second
 * lease, the next one already loaded so it appears at once after submit.
 *
 * The prefetch asks the server for a second lease (`next?prefetch=true`); should it come back with
 * the assignment on screen anyway, that is recognised and the next task is fetched right after submit.
 */
export class RaterSession {
  private upcoming: Promise<TaskView | null> | null = null;

  constructor(private readonly api: RlhfApi, readonly campaignId: string) {}

  async first(): Promise<TaskView | null> {
    const task = await this.api.nextTask(this.campaignId);
    if (task) this.prefetchAfter(task);
    return task;
  }

  /** Call after the current task was judged or skipped (and the server knows it). */
  async advance(current: TaskView): Promise<TaskView | null> {
    const prefetched = this.upcoming ? await this.upcoming.catch(() => null) : null;
    this.upcoming = null;
    const next = prefetched && prefetched.assignmentId !== current.assignmentId ? prefetched : await this.api.nextTask(this.campaignId);
    if (next) this.prefetchAfter(next);
    return next;
  }

  private prefetchAfter(task: TaskView) {
    this.upcoming = this.api.nextTask(this.campaignId, true).then((t) => (t && t.assignmentId !== task.assignmentId ? t : null));
    this.upcoming.catch(() => undefined);
  }
}
