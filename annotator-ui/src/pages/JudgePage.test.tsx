import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServicesProvider } from '../app/services';
import { LocalJournal } from '../domain/localJournal';
import { InMemoryRlhfApi } from '../test/InMemoryRlhfApi';
import { pairTask, rankingTask } from '../test/fixtures';
import { JudgePage } from './JudgePage';

function mount(api: InMemoryRlhfApi) {
  const services = { api, journal: new LocalJournal(localStorage), now: () => Date.now() };
  return render(<ServicesProvider services={services}><JudgePage campaignId="c-1" /></ServicesProvider>);
}

const shown = () => document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id');

describe('judging a pair with the keyboard', () => {
  it('submits preference and criteria typed as digits, then shows the next pair', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1'), pairTask({}, 'a2')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    const submit = screen.getByRole('button', { name: /submit/i });
    expect(submit).toBeDisabled();
    const user = userEvent.setup();
    await user.keyboard('2');
    expect(screen.getByRole('radio', { name: /A clearly better/ })).toHaveAttribute('aria-checked', 'true');
    expect(submit).toBeDisabled();
    await user.keyboard('67u');
    expect(submit).toBeEnabled();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(shown()).toBe('a2'));
    const [stored] = [...api.judgments.values()];
    expect(stored.assignmentId).toBe('a1');
    expect(stored.input).toMatchObject({ choice: 'A', strength: 2, criteria: { helpfulness: 6, honesty: 7 }, flags: ['UNSAFE'] });
  });

  it('does not submit on Enter while the form is incomplete', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    await userEvent.setup().keyboard('4{Enter}');
    expect(api.judgments.size).toBe(0);
    expect(screen.getByText(/Still needed: a score for helpfulness/)).toBeInTheDocument();
  });

  it('restores the judgment in progress after a reload', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1')];
    const first = mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    const user = userEvent.setup();
    await user.keyboard('7');
    await user.keyboard('r');
    await user.keyboard('B is sourced');
    first.unmount();
    mount(api); // same lease comes back, as the contract says
    await waitFor(() => expect(shown()).toBe('a1'));
    expect(screen.getByRole('radio', { name: /B much better/ })).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByLabelText(/Rationale/)).toHaveValue('B is sourced');
  });

  it('keeps a judgment made offline and sends it once the network is back', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({ criteria: [] }, 'a1'), pairTask({ criteria: [] }, 'a2')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    api.offline = true;
    await userEvent.setup().keyboard('1{Enter}');
    await screen.findByText(/Saved on this device/);
    expect(localStorage.getItem('rlhf.pending.a1')).toContain('idempotencyKey');
    api.offline = false;
    await act(async () => { window.dispatchEvent(new Event('online')); });
    await waitFor(() => expect(shown()).toBe('a2'));
    expect(api.judgments.size).toBe(1);
    expect(localStorage.getItem('rlhf.pending.a1')).toBeNull();
  });

  it('opens the guidelines with g and closes them with Escape', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    const user = userEvent.setup();
    expect(await screen.findByText(/Guidelines version 2 is new to you/)).toBeInTheDocument();
    await user.keyboard('g');
    expect(await screen.findByRole('dialog', { name: /Guidelines \(version 2\)/ })).toBeInTheDocument();
    expect(screen.getByText('truthful')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByText(/is new to you/)).toBeNull();
  });

  it('skips with a reason', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1'), pairTask({}, 'a2')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    const user = userEvent.setup();
    await user.keyboard('s');
    expect(await screen.findByRole('radio', { name: /I lack the expertise/ })).toHaveFocus();
    await user.keyboard('2{Enter}');
    await waitFor(() => expect(shown()).toBe('a2'));
    expect(api.calls).toContain('skip:a1');
    expect(api.skipReasons).toEqual(['The prompt is unclear']);
  });
});

describe('Enter on a focused control', () => {
  it('activates a focused action button instead of submitting', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({ criteria: [] }, 'a1')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    const user = userEvent.setup();
    await user.keyboard('1');
    screen.getByRole('button', { name: /Guidelines/ }).focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(api.judgments.size).toBe(0);
  });
});

describe('leaving the page', () => {
  it('hands an untouched task back, and keeps a started one', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [pairTask({}, 'a1')];
    const first = mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    first.unmount();
    expect(api.calls).toContain('release:a1');

    const api2 = new InMemoryRlhfApi();
    api2.queue = [pairTask({}, 'b1')];
    const second = mount(api2);
    await waitFor(() => expect(shown()).toBe('b1'));
    await userEvent.setup().keyboard('4');
    second.unmount();
    expect(api2.calls).not.toContain('release:b1');
    expect(localStorage.getItem('rlhf.draft.b1')).toContain('TIE');
  });
});

describe('lease', () => {
  it('warns when the hold on the task is about to expire', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [{ ...pairTask({}, 'a1'), expiresAt: new Date(Date.now() + 65_000).toISOString() }];
    mount(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(/^1:0\d left on this task$/);
  });

  it('says an expired task can still be submitted', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [{ ...pairTask({}, 'a1'), expiresAt: new Date(Date.now() - 1000).toISOString() }];
    mount(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(/expired.*still submit/);
  });
});

describe('ranking with the keyboard', () => {
  it('moves an answer to the top and sends dense ranks', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [rankingTask(4, 'r1')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('r1'));
    const user = userEvent.setup();
    // select D, move it to the top, then tie C (now last) with B above it
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{Shift>}{ArrowUp}{ArrowUp}{ArrowUp}{/Shift}');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}t{Enter}');
    await waitFor(() => expect(api.judgments.size).toBe(1));
    expect([...api.judgments.values()][0].input.ranking).toEqual({ D: 1, A: 2, B: 3, C: 3 });
  });

  it('requires the rater to touch the ranking before submitting', async () => {
    const api = new InMemoryRlhfApi();
    api.queue = [rankingTask(3, 'r1')];
    mount(api);
    await waitFor(() => expect(shown()).toBe('r1'));
    const user = userEvent.setup();
    await user.keyboard('{Enter}');
    expect(api.judgments.size).toBe(0);
    await user.keyboard('k{Enter}');
    await waitFor(() => expect(api.judgments.size).toBe(1));
    expect([...api.judgments.values()][0].input.ranking).toEqual({ A: 1, B: 2, C: 3 });
  });
});
