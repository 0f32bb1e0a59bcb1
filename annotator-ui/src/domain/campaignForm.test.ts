import { campaignFormErrors, emptyCampaignForm, parseCriteria, toCampaignInput } from './campaignForm';

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
      name: 'Helpful', overlap: 3, goldRatio: 0.1, leaseMinutes: 10, guidelines: '# Rules',
      form: { criteria: ['helpfulness', 'honesty'], askStrength: true, askRationale: false, requireRationale: false, askCorrection: false },
    });
    expect(toCampaignInput({ ...emptyCampaignForm, guidelines: 'x' }, false).guidelines).toBeUndefined();
  });
});
