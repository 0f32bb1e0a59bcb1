import type { Campaign, CampaignInput } from '../api/types';

/** The campaign form as typed: numbers and the criteria list are still text. */
export interface CampaignFormValues {
  name: string;
  description: string;
  overlap: string;
  goldRatio: string;
  leaseMinutes: string;
  criteria: string;
  askStrength: boolean;
  askRationale: boolean;
  requireRationale: boolean;
  askCorrection: boolean;
  /** Active learning: serve first the pairs the reward model is least sure about. */
  preferUncertain: boolean;
  guidelines: string;
}

export const emptyCampaignForm: CampaignFormValues = {
  name: '', description: '', overlap: '3', goldRatio: '0.1', leaseMinutes: '10', criteria: 'helpfulness, honesty',
  askStrength: true, askRationale: true, requireRationale: false, askCorrection: false, preferUncertain: false,
  guidelines: '',
};

export function formFromCampaign(c: Campaign): CampaignFormValues {
  return {
    name: c.name, description: c.description ?? '', overlap: String(c.overlap), goldRatio: String(c.goldRatio),
    leaseMinutes: String(c.leaseMinutes ?? 10), criteria: c.form.criteria.join(', '),
    askStrength: c.form.askStrength, askRationale: c.form.askRationale, requireRationale: c.form.requireRationale,
    askCorrection: c.form.askCorrection, preferUncertain: c.preferUncertain ?? false, guidelines: '',
  };
}

export function parseCriteria(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}

/** Field errors keyed by field name, with the ranges of the API contract. */
export function campaignFormErrors(v: CampaignFormValues): Partial<Record<keyof CampaignFormValues, string>> {
  const e: Partial<Record<keyof CampaignFormValues, string>> = {};
  if (!v.name.trim()) e.name = 'Give the campaign a name.';
  const overlap = Number(v.overlap);
  if (!Number.isInteger(overlap) || overlap < 1 || overlap > 50) e.overlap = 'Overlap is a whole number from 1 to 50.';
  const gold = Number(v.goldRatio);
  if (v.goldRatio.trim() === '' || Number.isNaN(gold) || gold < 0 || gold > 1) e.goldRatio = 'Gold ratio is between 0 and 1.';
  const lease = Number(v.leaseMinutes);
  if (!Number.isInteger(lease) || lease < 1 || lease > 240) e.leaseMinutes = 'Lease is 1 to 240 minutes.';
  if (v.requireRationale && !v.askRationale) e.requireRationale = 'A rationale can only be required when it is asked for.';
  return e;
}

export function toCampaignInput(v: CampaignFormValues, includeGuidelines: boolean): CampaignInput {
  const input: CampaignInput = {
    name: v.name.trim(), overlap: Number(v.overlap), goldRatio: Number(v.goldRatio), leaseMinutes: Number(v.leaseMinutes),
    form: { criteria: parseCriteria(v.criteria), askStrength: v.askStrength, askRationale: v.askRationale,
      requireRationale: v.askRationale && v.requireRationale, askCorrection: v.askCorrection },
    preferUncertain: v.preferUncertain,
  };
  if (v.description.trim()) input.description = v.description.trim();
  if (includeGuidelines && v.guidelines.trim()) input.guidelines = v.guidelines;
  return input;
}
