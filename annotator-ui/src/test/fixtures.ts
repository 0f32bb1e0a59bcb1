import type { TaskView } from '../api/types';

export function pairTask(over: Partial<TaskView['form']> = {}, assignmentId = 'as-1'): TaskView {
  return {
    assignmentId, campaignId: 'c-1', campaignName: 'Demo', guidelineVersion: 1,
    expiresAt: '2030-01-01T00:00:00Z',
    prompt: { messages: [{ role: 'user', content: 'Hi' }] },
    completions: [{ label: 'A', text: 'Hello' }, { label: 'B', text: 'Hey' }],
    form: { criteria: ['helpfulness', 'honesty'], askStrength: true, askRationale: true, requireRationale: false, askCorrection: true, ...over },
  };
}

export function rankingTask(n = 4, assignmentId = 'as-r'): TaskView {
  const labels = 'ABCDEF'.slice(0, n).split('');
  return { ...pairTask({ criteria: [] }, assignmentId), completions: labels.map((label) => ({ label, text: `Answer ${label}` })) };
}
