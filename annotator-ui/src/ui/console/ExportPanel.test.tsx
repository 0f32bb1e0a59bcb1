import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ExportPanel } from './ExportPanel';

describe('export panel', () => {
  it('says what the TRL file holds and what it left out, tied pairs of rankings included', async () => {
    render(<ExportPanel onExport={async (format) => ({
      filename: `c-${format}.jsonl`, body: new Blob(['{}\n']), exportedPairs: 14, skippedTies: 1, skippedTiedPairs: 3, skippedBothBad: 2,
    })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export TRL preference JSONL' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'TRL export: 14 pairs; skipped 1 ties and 2 both-bad judgments, and 3 tied pairs inside rankings.');
  });

  it('leaves tied pairs out of the summary when no ranking had any', async () => {
    render(<ExportPanel onExport={async () => ({ filename: 'c-trl.jsonl', body: new Blob([]), exportedPairs: 2, skippedTies: 0,
      skippedTiedPairs: 0, skippedBothBad: 0 })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export TRL preference JSONL' }));
    expect(await screen.findByRole('status')).toHaveTextContent(/^TRL export: 2 pairs; skipped 0 ties and 0 both-bad judgments\.$/);
  });
});
