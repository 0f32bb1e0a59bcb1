import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServicesProvider } from '../app/services';
import { LocalJournal } from '../domain/localJournal';
import type { CampaignInput } from '../api/types';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { CampaignPage } from './CampaignPage';

const input: CampaignInput = {
  name: 'Helpfulness', overlap: 3, goldRatio: 0, leaseMinutes: 10,
  form: { criteria: [], askStrength: true, askRationale: false, requireRationale: false, askCorrection: false },
};

async function showCampaign(judgments: number) {
  const api = new InMemoryRlhfApi();
  const campaign = await api.createCampaign(input);
  campaign.judgments = judgments;
  render(<ServicesProvider services={{ api, journal: new LocalJournal(localStorage), now: () => 0 }}>
    <CampaignPage campaignId={campaign.id} /></ServicesProvider>);
  await screen.findByRole('heading', { name: 'Helpfulness' });
  return { api, campaign };
}

describe('campaign page', () => {
  afterEach(() => { vi.restoreAllMocks(); window.location.hash = ''; });

  it('deletes an unjudged campaign once confirmed, and goes back to the list', async () => {
    const { api } = await showCampaign(0);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Delete campaign' }));
    expect(api.campaigns_).toHaveLength(1); // declined
    await user.click(screen.getByRole('button', { name: 'Delete campaign' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('Delete campaign “Helpfulness”'));
    await vi.waitFor(() => expect(api.campaigns_).toHaveLength(0));
    expect(window.location.hash).toBe('#/console');
  });

  it('says why when the server refuses: the campaign was judged since the page loaded', async () => {
    const { api, campaign } = await showCampaign(0);
    campaign.judgments = 2;
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Delete campaign' }));
    expect(await screen.findByText(/Not deleted: .*has 2 judgments, which are never deleted: close it instead/)).toBeInTheDocument();
    expect(api.campaigns_).toHaveLength(1);
  });

  it('offers no delete for a campaign with judgments: those are closed, never deleted', async () => {
    await showCampaign(4);
    expect(screen.getByRole('button', { name: 'Close' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete campaign' })).toBeNull();
  });
});
