import { leaseState } from './lease';

describe('lease state', () => {
  const at = Date.parse('2026-11-22T15:10:00Z');
  it('is ok with time to spare, warns in the last two minutes, and says when it expired', () => {
    expect(leaseState('2026-11-22T15:10:00Z', at - 5 * 60_000)).toMatchObject({ level: 'ok', text: '5:00 left on this task' });
    expect(leaseState('2026-11-22T15:10:00Z', at - 90_500)).toMatchObject({ level: 'warning', text: '1:31 left on this task' });
    expect(leaseState('2026-11-22T15:10:00Z', at + 1).level).toBe('expired');
  });
});
