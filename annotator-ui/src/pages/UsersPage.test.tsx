import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServicesProvider } from '../app/services';
import { LocalJournal } from '../domain/localJournal';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { UsersPage } from './UsersPage';

describe('users page', () => {
  it('grants a role, disables an account and creates a user', async () => {
    const api = new InMemoryRlhfApi();
    render(<ServicesProvider services={{ api, journal: new LocalJournal(localStorage), now: () => 0 }}><UsersPage /></ServicesProvider>);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'rater1 is researcher' }));
    await waitFor(() => expect(api.users_[0].roles).toEqual(['rater', 'researcher']));
    await user.click(screen.getByRole('checkbox', { name: 'researcher enabled' }));
    await waitFor(() => expect(api.users_[1].enabled).toBe(false));
    await user.type(screen.getByLabelText('Username'), 'rater9');
    await user.type(screen.getByLabelText('Password'), 'secret-pass');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('User rater9 created.')).toBeInTheDocument();
    expect(api.users_[2]).toMatchObject({ username: 'rater9', roles: ['rater'] });
  });
});
