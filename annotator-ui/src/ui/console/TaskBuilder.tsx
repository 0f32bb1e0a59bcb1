import { useEffect, useState } from 'react';
import type { Choice, PromptView, TaskSummary } from '../../api/types';
import { emptyTaskDraft, goldAnswer, taskDraftProblems, togglePicked, type TaskDraft } from '../../domain/goldTask';

interface Props {
  prompts: PromptView[];
  tasks: TaskSummary[];
  onCreate: (completionIds: string[], gold: ReturnType<typeof goldAnswer>) => Promise<void>;
  /** Searches all of the campaign's prompts (the list above holds only the first page). */
  findPrompts?: (query: string) => Promise<PromptView[]>;
}

const CHOICES: { value: Choice; label: string }[] = [
  { value: 'A', label: 'A (first picked) is better' }, { value: 'B', label: 'B (second picked) is better' },
  { value: 'TIE', label: 'Tie' }, { value: 'BOTH_BAD', label: 'Both bad' },
];

/** Builds one comparison task by hand, optionally as a gold task with a known answer. */
export function TaskBuilder({ prompts: firstPage, tasks, onCreate, findPrompts }: Props) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<PromptView[] | null>(null);
  const prompts = found ?? firstPage;
  const [promptId, setPromptId] = useState(firstPage[0]?.id ?? '');
  const [draft, setDraft] = useState<TaskDraft>(emptyTaskDraft);
  const [message, setMessage] = useState('');
  const prompt = prompts.find((p) => p.id === promptId);

  useEffect(() => {
    if (!findPrompts || !query.trim()) { setFound(null); return; }
    let current = true;
    const timer = setTimeout(() => {
      findPrompts(query).then((result) => {
        if (!current) return;
        setFound(result);
        if (!result.some((p) => p.id === promptId)) { setPromptId(result[0]?.id ?? ''); setDraft(emptyTaskDraft); }
      }).catch((e: Error) => current && setMessage(`Search failed: ${e.message}`));
    }, 250);
    return () => { current = false; clearTimeout(timer); };
  }, [query, findPrompts]); // eslint-disable-line react-hooks/exhaustive-deps
  const problems = taskDraftProblems(draft);
  const label = (id: string) => 'ABCDEF'[draft.completionIds.indexOf(id)];

  const create = async () => {
    try {
      await onCreate(draft.completionIds, goldAnswer(draft));
      setMessage(`Task created${draft.gold === 'set' ? ' (gold)' : ''}.`);
      setDraft(emptyTaskDraft);
    } catch (e) {
      setMessage(`Not created: ${(e as Error).message}`);
    }
  };

  if (firstPage.length === 0) return <p className="muted">Import prompts first.</p>;
  return (
    <div className="stack">
      <p className="muted">{tasks.length}{tasks.length === 50 ? '+' : ''} tasks, {tasks.filter((t) => t.gold).length} of them gold (first page).</p>
      {findPrompts && (
        <label>Find a prompt
          <input type="search" value={query} placeholder="words in the prompt" onChange={(e) => setQuery(e.target.value)} />
        </label>
      )}
      {found && <p className="muted" role="status" aria-live="polite">{found.length}{found.length === 50 ? '+' : ''} prompts contain “{query.trim()}”.</p>}
      <label>Prompt
        <select value={promptId} onChange={(e) => { setPromptId(e.target.value); setDraft(emptyTaskDraft); }}>
          {prompts.map((p) => <option key={p.id} value={p.id}>{short(p.messages[p.messages.length - 1]?.content ?? p.id)}</option>)}
        </select>
      </label>
      <fieldset>
        <legend>Completions, in the order they should be A, B, …</legend>
        {prompt?.completions.map((c) => (
          <label key={c.id} className="radio">
            <input type="checkbox" checked={draft.completionIds.includes(c.id)} onChange={() => setDraft(togglePicked(draft, c.id))} />
            {draft.completionIds.includes(c.id) && <strong>{label(c.id)}</strong>} {short(c.text)}
            {draft.gold === 'set' && draft.completionIds.length > 2 && draft.completionIds.includes(c.id) && (
              <input className="rank-input" type="number" min={1} max={draft.completionIds.length} aria-label={`Gold rank of ${label(c.id)}`}
                value={draft.ranks[c.id] ?? ''} onChange={(e) => setDraft({ ...draft, ranks: { ...draft.ranks, [c.id]: e.target.value } })} />
            )}
          </label>
        ))}
      </fieldset>
      <label className="radio"><input type="checkbox" checked={draft.gold === 'set'} onChange={(e) => setDraft({ ...draft, gold: e.target.checked ? 'set' : 'none' })} /> Gold task with a known answer</label>
      {draft.gold === 'set' && draft.completionIds.length === 2 && (
        <label>Gold answer
          <select value={draft.choice} onChange={(e) => setDraft({ ...draft, choice: e.target.value as Choice })}>
            {CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </label>
      )}
      {draft.completionIds.length > 0 && problems.length > 0 && <p className="muted">{problems.join(' ')}</p>}
      <button type="button" className="primary" disabled={problems.length > 0} onClick={create}>Create task</button>
      {message && <p role="status">{message}</p>}
    </div>
  );
}

const short = (s: string) => (s.length > 70 ? s.slice(0, 67) + '…' : s);
