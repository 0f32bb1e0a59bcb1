import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type JudgmentInput, type JudgmentReceipt } from '../api/types';
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

/** Holds judgment requests until `open` (a slow network); `fail` answers the held ones with an error instead. */
function holdJudgments(api: InMemoryRlhfApi) {
  const original = api.submitJudgment.bind(api);
  const held: { input: JudgmentInput; run: () => void; fail: (e: ApiError) => void }[] = [];
  api.submitJudgment = (id: string, input: JudgmentInput) => new Promise<JudgmentReceipt>((resolve, reject) => {
    held.push({ input, run: () => original(id, input).then(resolve, reject), fail: reject });
  });
  return {
    held,
    open: () => act(async () => { api.submitJudgment = original; held.splice(0).forEach((h) => h.run()); }),
    fail: (e: ApiError) => act(async () => { held.splice(0).forEach((h) => h.fail(e)); }),
  };
}

/** Two pairs without criteria, the backend giving a second lease; the page has prefetched a2 when this returns. */
async function judgingWithPrefetch() {
  const api = new InMemoryRlhfApi();
  api.secondLease = true;
  api.queue = [pairTask({ criteria: [] }, 'a1'), pairTask({ criteria: [] }, 'a2'), pairTask({ criteria: [] }, 'a3')];
  mount(api);
  await waitFor(() => expect(shown()).toBe('a1'));
  await waitFor(() => expect(api.calls).toContain('next?prefetch'));
  await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
  return api;
}

describe('submitting while the judgment is sent in the background', () => {
  it('shows the prefetched pair before the server has answered, with focus and an announcement', async () => {
    const api = await judgingWithPrefetch();
    const net = holdJudgments(api);
    await userEvent.setup().keyboard('1{Enter}');
    expect(shown()).toBe('a2');
    expect(net.held).toHaveLength(1);
    expect(api.judgments.size).toBe(0);
    expect(JSON.parse(localStorage.getItem('rlhf.pending.a1')!)).toMatchObject({ input: { choice: 'A', idempotencyKey: net.held[0].input.idempotencyKey } });
    expect(document.activeElement).toBe(screen.getByRole('main'));
    expect(screen.getByText(/Judgment 1 submitted\. Next pair on screen\./)).toBeInTheDocument();
    await net.open();
    await waitFor(() => expect(localStorage.getItem('rlhf.pending.a1')).toBeNull());
    expect([...api.judgments.values()].map((j) => j.assignmentId)).toEqual(['a1']);
    expect(screen.queryByText(/Saved on this device/)).toBeNull();
  });

  it('shows a judgment the server refused after the next pair was shown, until dismissed', async () => {
    const api = await judgingWithPrefetch();
    const net = holdJudgments(api);
    await userEvent.setup().keyboard('1{Enter}');
    expect(shown()).toBe('a2');
    await net.fail(new ApiError(409, 'Conflict', 'The lease on this task expired and the task is full'));
    const alert = await screen.findByText(/did not store your judgment of “Hi”.*The lease on this task expired and the task is full/);
    expect(alert.closest('[role=alert]')).not.toBeNull();
    expect(localStorage.getItem('rlhf.pending.a1')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/did not store your judgment/)).toBeNull();
  });

  it('keeps a judgment that failed to send while the next pair is on screen and retries it with the same key', async () => {
    const api = await judgingWithPrefetch();
    const net = holdJudgments(api);
    await userEvent.setup().keyboard('7{Enter}');
    expect(shown()).toBe('a2');
    const key = net.held[0].input.idempotencyKey;
    await net.fail(new ApiError(0, 'Network unreachable'));
    expect(await screen.findByText(/Saved on this device: your previous judgment is not on the server yet/)).toBeInTheDocument();
    expect(JSON.parse(localStorage.getItem('rlhf.pending.a1')!)).toMatchObject({ attempts: 1, input: { idempotencyKey: key } });
    expect(shown()).toBe('a2'); // the rater goes on judging
    await net.open(); // the network is back
    await act(async () => { window.dispatchEvent(new Event('online')); });
    await waitFor(() => expect(localStorage.getItem('rlhf.pending.a1')).toBeNull());
    expect([...api.judgments.values()].map((j) => [j.assignmentId, j.input.idempotencyKey, j.input.choice])).toEqual([['a1', key, 'B']]);
    expect(await screen.findByText('Your saved judgment was sent.')).toBeInTheDocument();
    expect(screen.queryByText(/Saved on this device/)).toBeNull();
  });

  it('after a reload sends the judgment left unanswered with its key, and does not show that pair again', async () => {
    const api = new InMemoryRlhfApi();
    api.secondLease = true;
    api.queue = [pairTask({ criteria: [] }, 'a1'), pairTask({ criteria: [] }, 'a2'), pairTask({ criteria: [] }, 'a3')];
    const page = mount(api);
    await waitFor(() => expect(shown()).toBe('a1'));
    await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
    const net = holdJudgments(api);
    await userEvent.setup().keyboard('4{Enter}');
    expect(shown()).toBe('a2');
    const key = net.held[0].input.idempotencyKey;
    page.unmount(); // the reload: the request in flight never answers
    api.submitJudgment = InMemoryRlhfApi.prototype.submitJudgment.bind(api);

    mount(api);
    await waitFor(() => expect(localStorage.getItem('rlhf.pending.a1')).toBeNull());
    await waitFor(() => expect(shown()).toBeDefined());
    expect(shown()).not.toBe('a1');
    expect([...api.judgments.values()].map((j) => [j.assignmentId, j.input.idempotencyKey, j.input.choice])).toEqual([['a1', key, 'TIE']]);
  });
});
