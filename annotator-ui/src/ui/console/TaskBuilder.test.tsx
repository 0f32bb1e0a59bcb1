import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TaskBuilder } from './TaskBuilder';

const prompts = [{ id: 'p1', messages: [{ role: 'user', content: 'Name a prime' }],
  completions: [{ id: 'c1', text: 'Two' }, { id: 'c2', text: 'Nine' }, { id: 'c3', text: 'Seven' }] }];

describe('task builder', () => {
  it('creates a 3-way gold task with ranks in the picked order', async () => {
    const created: unknown[] = [];
    render(<TaskBuilder prompts={prompts} tasks={[]} onCreate={async (ids, gold) => { created.push({ ids, gold }); }} />);
    const user = userEvent.setup();
    const create = screen.getByRole('button', { name: 'Create task' });
    await user.click(screen.getByRole('checkbox', { name: /Seven/ }));
    expect(create).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: /Two/ }));
    await user.click(screen.getByRole('checkbox', { name: /Nine/ }));
    await user.click(screen.getByRole('checkbox', { name: /Gold task/ }));
    expect(create).toBeDisabled();
    await user.type(screen.getByLabelText('Gold rank of A'), '1');
    await user.type(screen.getByLabelText('Gold rank of B'), '1');
    await user.type(screen.getByLabelText('Gold rank of C'), '3');
    await user.click(create);
    expect(created).toEqual([{ ids: ['c3', 'c1', 'c2'], gold: { ranking: [1, 1, 3] } }]);
    expect(await screen.findByRole('status')).toHaveTextContent('Task created (gold).');
  });
});

describe('task builder search', () => {
  it('finds prompts beyond the first page through the search callback and picks the first match', async () => {
    const later = { id: 'p77', messages: [{ role: 'user', content: 'Name a colour' }],
      completions: [{ id: 'c7', text: 'Blue' }, { id: 'c8', text: 'Loud' }] };
    const queries: string[] = [];
    const created: unknown[] = [];
    render(<TaskBuilder prompts={prompts} tasks={[]} onCreate={async (ids) => { created.push(ids); }}
      findPrompts={async (q) => { queries.push(q); return q.includes('colour') ? [later] : []; }} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Find a prompt'), 'colour');
    expect(await screen.findByText(/1 prompts contain “colour”/)).toBeInTheDocument();
    expect(queries[queries.length - 1]).toBe('colour');
    expect(queries.length).toBeLessThan(6);      // debounced, not one request per key
    await user.click(screen.getByRole('checkbox', { name: /Blue/ }));
    await user.click(screen.getByRole('checkbox', { name: /Loud/ }));
    await user.click(screen.getByRole('button', { name: 'Create task' }));
    expect(created).toEqual([['c7', 'c8']]);
  });
});
