import type { Campaign } from '../api/types';
import { campaignFormErrors, emptyCampaignForm, formFromCampaign, parseCriteria, toCampaignInput } from './campaignForm';

describe('campaign form', () => {
  it('splits criteria on commas and lines, dropping blanks and repeats', () => {
    expect(parseCriteria(' helpfulness,honesty\n\nharmlessness, honesty ')).toEqual(['helpfulness', 'honesty', 'harmlessness']);
  });

  it('reports out-of-range numbers the way the API would refuse them', () => {
    const errors = campaignFormErrors({ ...emptyCampaignForm, name: ' ', overlap: '0', goldRatio: '1.5', leaseMinutes: '241' });
    expect(Object.keys(errors).sort()).toEqual(['goldRatio', 'leaseMinutes', 'name', 'overlap']);
    expect(campaignFormErrors({ ...emptyCampaignForm, name: 'x' })).toEqual({});
  });

  it('builds the request body with numbers and the criteria list', () => {
    const input = toCampaignInput({ ...emptyCampaignForm, name: ' Helpful ', guidelines: '# Rules', requireRationale: true, askRationale: false }, true);
    expect(input).toEqual({
      name: 'Helpful', overlap: 3, goldRatio: 0.1, leaseMinutes: 10, guidelines: '# Rules', preferUncertain: false,
      form: { criteria: ['helpfulness', 'honesty'], askStrength: true, askRationale: false, requireRationale: false, askCorrection: false },
    });
    expect(toCampaignInput({ ...emptyCampaignForm, guidelines: 'x' }, false).guidelines).toBeUndefined();
  });

  it('keeps the active-learning option through an edit, and sends it off unless ticked', () => {
    const campaign = { ...toCampaignInput({ ...emptyCampaignForm, name: 'AL', preferUncertain: true }, false),
      id: 'c1', status: 'ACTIVE', guidelineVersion: 1, createdAt: '', tasks: 0, judgments: 0 } as Campaign;
    expect(campaign.preferUncertain).toBe(true);
    expect(toCampaignInput(formFromCampaign(campaign), false).preferUncertain).toBe(true);
    expect(toCampaignInput(formFromCampaign({ ...campaign, preferUncertain: undefined }), false).preferUncertain).toBe(false);
  });
});
