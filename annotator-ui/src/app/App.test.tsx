import { act, render, screen } from '@testing-library/react';
import { SESSION_EXPIRED } from '../api/RlhfApi';
import { ApiError } from '../api/types';
import userEvent from '@testing-library/user-event';
import { LocalJournal } from '../domain/localJournal';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { App } from './App';
import { ServicesProvider } from './services';

function mount(api: InMemoryRlhfApi) {
  window.location.hash = '#/';
  render(<ServicesProvider services={{ api, journal: new LocalJournal(localStorage), now: () => Date.now() }}><App /></ServicesProvider>);
}

describe('app', () => {
  it('logs a rater in and shows their campaigns with progress', async () => {
    const api = new InMemoryRlhfApi();
    mount(api);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Username'), 'rater1');
    await user.type(screen.getByLabelText('Password'), 'pw{Enter}');
    expect(await screen.findByRole('heading', { name: 'Hello, Rater One' })).toBeInTheDocument();
    expect(screen.getByText(/0 judged, 0 left/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Research console' })).toBeNull();
  });

  it('asks for the password again when the session ends, and stays on the same page', async () => {
    const api = new InMemoryRlhfApi();
    api.user = api.users_[0];
    mount(api);
    expect(await screen.findByRole('heading', { name: 'Hello, Rater One' })).toBeInTheDocument();
    window.location.hash = '#/judge/c-1';
    act(() => { window.dispatchEvent(new Event(SESSION_EXPIRED)); });
    expect(await screen.findByText(/Your session ended/)).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'rater1');
    await user.type(screen.getByLabelText('Password'), 'pw{Enter}');
    expect(await screen.findByRole('heading', { name: 'All done' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/judge/c-1');
  });

  it('sends judgments left on this device after login and says which the server refused', async () => {
    const api = new InMemoryRlhfApi();
    api.user = api.users_[0];
    const journal = new LocalJournal(localStorage);
    journal.enqueue({ assignmentId: 'gone', campaignId: 'c-1', input: { idempotencyKey: 'k-gone-1234', timeOnTaskMs: 1 }, queuedAt: 1, attempts: 2 });
    journal.enqueue({ assignmentId: 'ok', campaignId: 'c-1', input: { idempotencyKey: 'k-ok-123456', timeOnTaskMs: 1 }, queuedAt: 2, attempts: 2 });
    const submit = api.submitJudgment.bind(api);
    api.submitJudgment = async (id, input) => {
      if (id === 'gone') throw new ApiError(409, 'Conflict', 'the task is full');
      return submit(id, input);
    };
    mount(api);
    expect(await screen.findByRole('alert')).toHaveTextContent('1 judgment(s) saved on this device were refused by the server: the task is full');
    expect(api.judgments.size).toBe(1);
    expect(journal.pending()).toEqual([]);
  });

  it('says why a login failed', async () => {
    mount(new InMemoryRlhfApi());
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Username'), 'rater1');
    await user.type(screen.getByLabelText('Password'), 'wrong{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password');
  });

  it('creates a campaign from the research console', async () => {
    const api = new InMemoryRlhfApi();
    api.user = api.users_[1];
    window.location.hash = '#/console/new';
    render(<ServicesProvider services={{ api, journal: new LocalJournal(localStorage), now: () => Date.now() }}><App /></ServicesProvider>);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Name'), 'Code answers');
    await user.clear(screen.getByLabelText(/Overlap/));
    await user.type(screen.getByLabelText(/Overlap/), '0');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(screen.getByText(/Overlap is a whole number/)).toBeInTheDocument();
    expect(api.campaigns_).toHaveLength(0);
    await user.clear(screen.getByLabelText(/Overlap/));
    await user.type(screen.getByLabelText(/Overlap/), '2');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByRole('heading', { name: 'Code answers' })).toBeInTheDocument();
    expect(api.campaigns_[0]).toMatchObject({ name: 'Code answers', overlap: 2, form: { criteria: ['helpfulness', 'honesty'] } });
  });
});
