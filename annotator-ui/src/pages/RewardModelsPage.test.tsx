import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServicesProvider } from '../app/services';
import { LocalJournal } from '../domain/localJournal';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { RewardModelsPage } from './RewardModelsPage';

const version = (n: number, acc: number, from: number | null) => ({
  modelId: 'rm-default', version: n, createdAt: '2026-11-22T10:00:00Z', baseModel: 'smollm2.gguf', warmStartedFrom: from,
  judgmentsSeen: 100 * n, judgmentsUsed: 90 * n, metrics: { validation_accuracy: acc, validation_ece: 0.05, pairs_per_second: 12.34 },
});

describe('reward models page', () => {
  it('lists versions oldest first with their metrics, and a missing metric as a dash', async () => {
    const api = new InMemoryRlhfApi();
    api.rewardModelVersions_ = [version(2, 0.8125, 1), version(1, 0.7, null)];
    render(<ServicesProvider services={{ api, journal: new LocalJournal(localStorage), now: () => 0 }}><RewardModelsPage /></ServicesProvider>);
    const table = await screen.findByRole('table', { name: /Versions/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['v1', 'v2']);
    expect(rows[0]).toHaveTextContent('smollm2.gguf');
    expect(rows[1]).toHaveTextContent('v1');            // warm-started from v1
    expect(rows[1]).toHaveTextContent('200 / 180');
    expect(rows[1]).toHaveTextContent('81.3%');
    expect(within(rows[1]).getAllByRole('cell')[4]).toHaveTextContent('—');   // no gold tasks: no gold accuracy
    expect(screen.getByText('preference pairs').parentElement).toHaveTextContent('8');
  });

  it('starts a run once and then shows it running', async () => {
    const api = new InMemoryRlhfApi();
    render(<ServicesProvider services={{ api, journal: new LocalJournal(localStorage), now: () => 0 }}><RewardModelsPage /></ServicesProvider>);
    expect(await screen.findByText(/No versions yet/)).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Train now' }));
    expect(await screen.findByText(/Training started/)).toBeInTheDocument();
    expect(await screen.findByText('Training version 1…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Train now' })).toBeDisabled();
  });
});
