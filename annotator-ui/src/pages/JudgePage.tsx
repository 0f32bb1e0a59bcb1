import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, Guidelines, TaskView } from '../api/types';
import { href } from '../app/route';
import { useServices } from '../app/services';
import { isComplete, isPristine, newDraft, resumeStep, newIdempotencyKey, taskKind, toggleFlag, type JudgmentDraft } from '../domain/judgmentDraft';
import { commandForKey, type Command } from '../domain/keymap';
import { leaseState } from '../domain/lease';
import { moveItem, moveLabelTo, toggleTie } from '../domain/ranking';
import type { PendingJudgment } from '../domain/localJournal';
import { RaterSession } from '../usecases/RaterSession';
import type { SendOutcome } from '../usecases/sendJudgment';
import { renderAhead } from '../ui/markdown/renderMarkdown';
import { GuidelinesDialog } from '../ui/rater/GuidelinesDialog';
import { JudgmentWorkspace } from '../ui/rater/JudgmentWorkspace';
import { SkipDialog } from '../ui/rater/SkipDialog';

const RETRY_MS = 3000;

/** A judgment the server refused for good, shown until the rater dismisses it. */
interface Refusal { id: string; text: string }

function refusal(judgment: Pick<PendingJudgment, 'assignmentId' | 'queuedAt'>, prompt: string | undefined, error: ApiError): Refusal {
  const at = new Date(judgment.queuedAt).toLocaleTimeString();
  const about = prompt ? `of “${prompt.length > 60 ? prompt.slice(0, 60) + '…' : prompt}” ` : '';
  return { id: `${judgment.assignmentId}-${judgment.queuedAt}`, text: `The server did not store your judgment ${about}(submitted at ${at}): ${error.message}` };
}

/** The measurement read by the end-to-end test: a mark at the submit key press, measures when the next pair has painted. */
function markSubmit(at: number | undefined) {
  performance.clearMarks('rlhf-submit');
  performance.clearMarks('rlhf-next');
  // The key event's own time stamp, so time the event waited for the main thread counts too.
  const start = at !== undefined && at > 0 && at <= performance.now() ? at : performance.now();
  performance.mark('rlhf-submit', { startTime: start });
  return start;
}

export function JudgePage({ campaignId }: { campaignId: string }) {
  const { api, journal, now } = useServices();
  const session = useMemo(() => new RaterSession(api, journal, campaignId,
    (t) => renderAhead([...t.prompt.messages.map((m) => m.content), ...t.completions.map((c) => c.text)])), [api, journal, campaignId]);
  const [task, setTask] = useState<TaskView | null | undefined>(undefined);
  const [draft, setDraft] = useState<JudgmentDraft | null>(null);
  const [step, setStep] = useState(0);
  const [rankSelected, setRankSelected] = useState(0);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [dialog, setDialog] = useState<'guidelines' | 'skip' | null>(null);
  const [guidelines, setGuidelines] = useState<Guidelines | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [unsent, setUnsent] = useState(0);
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const judgedCount = useRef(0);
  const [clock, setClock] = useState(now());
  const [announcement, setAnnouncement] = useState('');
  const mainRef = useRef<HTMLElement>(null);

  const show = useCallback((t: TaskView | null) => {
    setTask(t);
    setStep(0);
    setRankSelected(0);
    setBusy(false);
    setError('');
    if (!t) return setDraft(null);
    const restored = journal.draft(t.assignmentId);
    setDraft(restored ?? newDraft(t, newIdempotencyKey(), now()));
    if (restored) setStep(resumeStep(t, restored));
    setWaiting(journal.isPending(t.assignmentId));
  }, [journal, now]);

  const refused = useCallback((more: Refusal[]) => {
    if (more.length) setRefusals((r) => [...r.filter((x) => !more.some((m) => m.id === x.id)), ...more]);
  }, []);

  /** The outcome of a judgment sent in the background: refusals are shown, unsent ones counted. */
  const settled = useCallback((judged: TaskView, submittedAt: number, queuedAt: number, outcome: SendOutcome) => {
    performance.measure('rlhf-judgment-http', { start: submittedAt, end: performance.now() });
    if (outcome.kind === 'rejected') {
      refused([refusal({ assignmentId: judged.assignmentId, queuedAt }, judged.prompt.messages.at(-1)?.content, outcome.error)]);
    }
    setUnsent(session.unsent());
  }, [session, refused]);

  /** The next task after a submit or skip is on hand: show it and say so to screen readers. */
  const moveTo = useCallback((next: TaskView | null, what: string) => {
    performance.mark('rlhf-next');
    show(next);
    setAnnouncement(next ? `${what} Next pair on screen.` : `${what} Nothing is left in this campaign.`);
  }, [show]);

  const load = useCallback(async (advance = false, what = '') => {
    try {
      const next = advance ? await session.advance() : { kind: 'task' as const, task: await session.first() };
      if (next.kind === 'task') moveTo(next.task, what);
    } catch (e) {
      setBusy(false);
      setError(`Could not load the next task: ${(e as Error).message}`);
    }
  }, [session, moveTo]);

  useEffect(() => {
    void session.flush().then((r) => { refused(r.rejected.map((x) => refusal(x.judgment, undefined, x.error))); setUnsent(session.unsent()); }, () => undefined)
      .finally(() => load());
    api.raterGuidelines(campaignId).then(setGuidelines, () => undefined);
    return () => session.close();
  }, [api, session, campaignId, load, refused]);

  // Newer guidelines than the ones loaded: fetch them before the rater needs them.
  useEffect(() => {
    if (task && guidelines && task.guidelineVersion > guidelines.version) api.raterGuidelines(campaignId).then(setGuidelines, () => undefined);
  }, [api, campaignId, task, guidelines]);

  useEffect(() => {
    const id = window.setInterval(() => setClock(now()), 1000);
    return () => window.clearInterval(id);
  }, [now]);

  // The next pair is on screen: measure submit → paint (read by the end-to-end test) and take focus.
  // The frame callback runs before the frame is painted, the timeout after it.
  useEffect(() => {
    if (!task) return;
    mainRef.current?.focus({ preventScroll: true });
    if (performance.getEntriesByName('rlhf-submit').length === 0) return;
    requestAnimationFrame(() => setTimeout(() => {
      if (performance.getEntriesByName('rlhf-submit').length === 0) return;
      performance.measure('rlhf-submit-to-paint', 'rlhf-submit');
      // The parts: waiting for the next task (0 when the prefetch had it), then render and paint.
      if (performance.getEntriesByName('rlhf-next').length) {
        performance.measure('rlhf-next-wait', 'rlhf-submit', 'rlhf-next');
        performance.measure('rlhf-render-paint', 'rlhf-next');
      }
      performance.clearMarks('rlhf-submit');
      performance.clearMarks('rlhf-next');
    }, 0));
  }, [task]);

  // Judgments kept on this device: retry until the server has them. When the one on screen was among them
  // (no next task was at hand when it was submitted), move on.
  useEffect(() => {
    if (!(waiting || unsent > 0) || !task) return;
    const retry = async () => {
      const result = await session.flush().catch(() => null);
      if (!result) return;
      refused(result.rejected.map((x) => refusal(x.judgment, undefined, x.error)));
      setUnsent(session.unsent());
      if (result.stored > 0 && result.waiting === 0) setNotice(result.stored === 1 ? 'Your saved judgment was sent.' : `Your ${result.stored} saved judgments were sent.`);
      if (waiting && !journal.isPending(task.assignmentId)) {
        setWaiting(false);
        await load(true, 'Saved judgment sent.');
      }
    };
    const id = window.setInterval(retry, RETRY_MS);
    window.addEventListener('online', retry);
    return () => { window.clearInterval(id); window.removeEventListener('online', retry); };
  }, [waiting, unsent, task, session, journal, load, refused]);

  // Leaving a task untouched (in-app navigation, not a reload) hands it back so another rater can take it.
  const latest = useRef<{ task?: TaskView | null; draft: JudgmentDraft | null }>({ draft: null });
  latest.current = { task, draft };
  useEffect(() => () => {
    const { task: t, draft: d } = latest.current;
    if (t && d && isPristine(d) && !journal.isPending(t.assignmentId)) {
      journal.dropDraft(t.assignmentId);
      void api.release(t.assignmentId).catch(() => undefined);
    }
  }, [api, journal]);

  const update = useCallback((change: (d: JudgmentDraft) => JudgmentDraft) => {
    setDraft((d) => {
      if (!d) return d;
      const next = change(d);
      journal.saveDraft(next);
      return next;
    });
  }, [journal]);

  /**
   * Journal, send in the background, and show the prefetched pair in this same event when it is here; the
   * judgment's answer arrives later (see `settled`). Without a prefetched pair, wait for the next one.
   */
  const submit = (at?: number) => {
    if (!task || !draft || busy || waiting || !isComplete(task, draft)) return;
    setNotice('');
    const submittedAt = markSubmit(at);
    const judged = task;
    const what = `Judgment ${++judgedCount.current} submitted.`;
    const queuedAt = now();
    const { delivery, next } = session.submit(judged, draft, queuedAt);
    void delivery.then((outcome) => settled(judged, submittedAt, queuedAt, outcome));
    if (next) return moveTo(next, what);
    setBusy(true);
    session.advance(delivery).then((r) => {
      if (r.kind === 'task') return moveTo(r.task, what);
      performance.clearMarks('rlhf-submit'); // nothing new is painted: no sample
      setBusy(false);
      setWaiting(true);
    }, (e: Error) => {
      setBusy(false);
      setError(`Could not load the next task: ${e.message}`);
    });
  };

  const skip = async (reason: string) => {
    if (!task) return;
    setDialog(null);
    setBusy(true);
    try {
      await api.skip(task.assignmentId, reason);
      journal.dropDraft(task.assignmentId);
      await load(true, 'Skipped.');
    } catch (e) {
      setBusy(false);
      setError(`Could not skip: ${(e as Error).message}`);
    }
  };

  const run = (c: Command, at?: number) => {
    if (!task || !draft) return;
    const criteria = task.form.criteria;
    switch (c.type) {
      case 'choose':
        update((d) => ({ ...d, choice: c.option.choice, strength: c.option.strength }));
        if (step === 0 && criteria.length > 0) setStep(1);
        break;
      case 'score':
        update((d) => ({ ...d, criteria: { ...d.criteria, [c.criterion]: c.value } }));
        if (step < criteria.length) setStep(step + 1);
        break;
      case 'step': setStep(Math.max(0, Math.min(c.to, criteria.length))); break;
      case 'submit': submit(at); break;
      case 'skip': setDialog('skip'); break;
      case 'guidelines': setDialog('guidelines'); break;
      case 'text': document.getElementById(c.field === 'rationale' ? 'rationale' : 'correction')?.focus(); break;
      case 'leaveText': mainRef.current?.focus(); break;
      case 'flag': update((d) => ({ ...d, flags: toggleFlag(d.flags, c.flag) })); break;
      case 'select': {
        const i = Math.max(0, Math.min(task.completions.length - 1, rankSelected + c.delta));
        setRankSelected(i);
        setAnnouncement(`Answer ${draft.order[i].label} selected, place ${i + 1} of ${draft.order.length}.`);
        break;
      }
      case 'move': {
        const target = rankSelected + c.delta;
        if (target < 0 || target >= draft.order.length) break;
        update((d) => ({ ...d, order: moveItem(d.order, rankSelected, c.delta), rankingConfirmed: true }));
        setRankSelected(target);
        setAnnouncement(`Answer ${draft.order[rankSelected].label} moved to place ${target + 1} of ${draft.order.length}.`);
        break;
      }
      case 'tie': update((d) => ({ ...d, order: toggleTie(d.order, rankSelected), rankingConfirmed: rankSelected > 0 || d.rankingConfirmed })); break;
      case 'keepOrder':
        update((d) => ({ ...d, rankingConfirmed: true }));
        if (criteria.length > 0) setStep(1);
        break;
    }
  };

  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog || e.defaultPrevented || e.isComposing) return;
      const target = e.target as HTMLElement;
      if (target.closest?.('[data-keys-native]')) return;
      // Enter on a link or an action button does what it says; on a choice or the page it submits.
      if (e.key === 'Enter' && (target.closest?.('a[href]') || (target.tagName === 'BUTTON' && target.getAttribute('role') !== 'radio'))) return;
      const inText = target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && !['checkbox', 'radio'].includes((target as HTMLInputElement).type));
      const kind = task ? taskKind(task) : 'pairwise';
      const command = task && commandForKey({ key: e.key, shiftKey: e.shiftKey, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, inText },
        { kind, askStrength: task.form.askStrength, criteria: task.form.criteria, askRationale: task.form.askRationale, askCorrection: task.form.askCorrection, step });
      if (!command) return;
      e.preventDefault();
      runRef.current(command, e.timeStamp);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, task, step]);

  const lease = task ? leaseState(task.expiresAt, clock) : null;
  const unreadGuidelines = guidelines && guidelines.version > journal.guidelinesSeen(campaignId) ? guidelines.version : null;
  useEffect(() => {
    if (dialog === 'guidelines' && guidelines) journal.markGuidelinesSeen(campaignId, guidelines.version);
  }, [dialog, guidelines, journal, campaignId]);

  return (
    <main className="page judge" ref={mainRef} tabIndex={-1} aria-labelledby="judge-title">
      <div className="judge-head">
        <h1 id="judge-title">{task?.campaignName ?? 'Judging'}</h1>
        <a href={href.home}>Back to campaigns</a>
        {lease && lease.level !== 'ok' && <p role="alert" className={`lease ${lease.level}`}>{lease.text}</p>}
        {lease?.level === 'ok' && <p className="lease muted">{lease.text}</p>}
        {unreadGuidelines !== null && dialog !== 'guidelines' && (
          <p className="lease notice">Guidelines version {unreadGuidelines} is new to you: press <kbd>G</kbd> to read them.</p>
        )}
      </div>
      <p className="sr-only" aria-live="assertive">{announcement}</p>
      <div aria-live="polite" className="live">
        {notice && <p className="notice">{notice}</p>}

        {waiting && <p className="notice warning" role="status">Saved on this device. Sending again every few seconds until the server answers — nothing is lost.</p>}
        {!waiting && unsent > 0 && (
          <p className="notice warning" role="status">
            Saved on this device: {unsent === 1 ? 'your previous judgment is' : `${unsent} judgments are`} not on the server yet.
            Sending again every few seconds — nothing is lost, and you can go on judging.
          </p>
        )}
      </div>
      {refusals.length > 0 && (
        <div role="alert" className="error refusals">
          {refusals.map((r) => <p key={r.id}>{r.text}</p>)}
          <button type="button" onClick={() => setRefusals([])}>Dismiss</button>
        </div>
      )}
      {error && <p role="alert" className="error">{error} <button type="button" onClick={() => void load()}>Retry</button></p>}
      {task === undefined && !error && <p aria-busy="true">Loading the next task…</p>}
      {task === null && <section className="card"><h2>All done</h2><p>Nothing is left for you in this campaign. <a href={href.home}>Back to campaigns</a></p></section>}
      {task && draft && (
        <JudgmentWorkspace task={task} draft={draft} step={step} rankSelected={rankSelected} submitting={busy || waiting}
          onChoose={(option) => run({ type: 'choose', option })}
          onScore={(criterion, value) => run({ type: 'score', criterion, value })}
          onStep={setStep}
          onText={(field, value) => update((d) => ({ ...d, [field]: value }))}
          onFlag={(flag) => run({ type: 'flag', flag })}
          onSelectRank={setRankSelected}
          onMoveRank={(label, to) => { update((d) => ({ ...d, order: moveLabelTo(d.order, label, to), rankingConfirmed: true })); setRankSelected(to); }}
          onTie={(i) => update((d) => ({ ...d, order: toggleTie(d.order, i), rankingConfirmed: true }))}
          onKeepOrder={() => run({ type: 'keepOrder' })}
          onSubmit={() => submit()}
          onSkip={() => setDialog('skip')}
          onGuidelines={() => setDialog('guidelines')} />
      )}
      {dialog === 'guidelines' && <GuidelinesDialog guidelines={guidelines} onClose={() => setDialog(null)} />}
      {dialog === 'skip' && <SkipDialog onSkip={(r) => void skip(r)} onCancel={() => setDialog(null)} />}
    </main>
  );
}
