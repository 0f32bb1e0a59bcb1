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
