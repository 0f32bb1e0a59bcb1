import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ImportPanel } from './ImportPanel';

describe('import panel', () => {
  it('uploads the file text and lists every rejected line with its reason', async () => {
    const sent: string[] = [];
    render(<ImportPanel onImport={async (text) => {
      sent.push(text);
      return { lines: 3, importedPrompts: 1, importedCompletions: 2, errors: [{ line: 2, message: 'completions: at least 2 needed' }, { line: 3, message: 'not JSON' }] };
    }} />);
    const file = new File(['{"prompt":"a"}\n{"prompt":"b"}\nnope\n'], 'batch.jsonl', { type: 'application/x-ndjson' });
    await userEvent.upload(screen.getByLabelText(/JSONL file/), file);
    expect(await screen.findByText(/3 lines: 1 prompts and 2 completions imported, 2 lines rejected/)).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Rejected lines' })).getAllByRole('row');
    expect(rows.slice(1).map((r) => r.textContent)).toEqual(['2completions: at least 2 needed', '3not JSON']);
    expect(sent[0]).toContain('nope');
  });

  it('shows a failed upload as an alert', async () => {
    render(<ImportPanel onImport={async () => { throw new Error('Payload too large'); }} />);
    await userEvent.upload(screen.getByLabelText(/JSONL file/), new File(['x'], 'x.jsonl'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Payload too large');
  });
});
