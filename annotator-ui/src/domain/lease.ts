export type LeaseLevel = 'ok' | 'warning' | 'expired';

/** Warn this long before a lease ends: enough to finish a judgment without rushing. */
export const LEASE_WARNING_MS = 2 * 60 * 1000;

export function leaseState(expiresAt: string, now: number): { msLeft: number; level: LeaseLevel; text: string } {
  const msLeft = Date.parse(expiresAt) - now;
  if (Number.isNaN(msLeft)) return { msLeft: Infinity, level: 'ok', text: '' };
  if (msLeft <= 0) {
    return { msLeft, level: 'expired', text: 'Your hold on this task has expired. You can still submit while the task has room.' };
  }
  const total = Math.ceil(msLeft / 1000);
  const text = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')} left on this task`;
  return { msLeft, level: msLeft <= LEASE_WARNING_MS ? 'warning' : 'ok', text };
}
