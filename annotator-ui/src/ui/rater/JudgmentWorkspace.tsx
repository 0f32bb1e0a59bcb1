import type { Flag, TaskView } from '../../api/types';
import { missingParts, taskKind, type JudgmentDraft } from '../../domain/judgmentDraft';
import type { PreferenceOption } from '../../domain/preferenceScale';
import { ChatPrompt } from './ChatPrompt';
import { CompletionPair } from './CompletionPair';
import { CriterionScore } from './CriterionScore';
import { FlagToggles } from './FlagToggles';
import { KeyLegend } from './KeyLegend';
import { PreferenceScale } from './PreferenceScale';
import { RankingList } from './RankingList';

export interface WorkspaceEvents {
  onChoose: (o: PreferenceOption) => void;
  onScore: (criterion: string, value: number) => void;
  onStep: (step: number) => void;
  onText: (field: 'rationale' | 'correctedAnswer', value: string) => void;
  onFlag: (f: Flag) => void;
  onSelectRank: (i: number) => void;
  onMoveRank: (label: string, toIndex: number) => void;
  onTie: (i: number) => void;
  onKeepOrder: () => void;
  onSubmit: () => void;
  onSkip: () => void;
  onGuidelines: () => void;
}

interface Props extends WorkspaceEvents {
  task: TaskView;
  draft: JudgmentDraft;
  step: number;
  rankSelected: number;
  submitting: boolean;
}

/** The judging form for one task; renders the draft and emits events, nothing else. */
export function JudgmentWorkspace(p: Props) {
  const { task, draft, step } = p;
  const kind = taskKind(task);
  const missing = missingParts(task, draft);
  const texts = Object.fromEntries(task.completions.map((c) => [c.label, c.text]));

  return (
    <div className="workspace" data-assignment-id={task.assignmentId}>
      <div className="task-main">
        <ChatPrompt messages={task.prompt.messages} />
        {kind === 'pairwise'
          ? <CompletionPair completions={task.completions} />
          : <RankingList order={draft.order} texts={texts} selected={p.rankSelected} active={step === 0}
              onSelect={p.onSelectRank} onMove={p.onMoveRank} onToggleTie={p.onTie} />}
      </div>
      <form className="judgment-form" aria-label="Your judgment" onSubmit={(e) => { e.preventDefault(); p.onSubmit(); }}>
        {kind === 'pairwise'
          ? <PreferenceScale askStrength={task.form.askStrength} choice={draft.choice} strength={draft.strength}
              active={step === 0} onChoose={p.onChoose} onFocusStep={() => p.onStep(0)} />
          : <p className={`step ${step === 0 ? 'active' : ''}`}>
              Order the answers best first. {draft.rankingConfirmed ? 'Ranking given.' : <button type="button" onClick={p.onKeepOrder}>Keep this order <kbd>K</kbd></button>}
            </p>}
        {task.form.criteria.length > 0 && <p className="hint criteria-hint">Score the better answer on each criterion.</p>}
        {task.form.criteria.map((c, i) => (
          <CriterionScore key={c} name={c} value={draft.criteria[c]} active={step === i + 1}
            onScore={(v) => p.onScore(c, v)} onFocusStep={() => p.onStep(i + 1)} />
        ))}
        {task.form.askRationale && (
          <label className="text-field">Rationale {task.form.requireRationale ? '(required)' : '(optional)'} <kbd>R</kbd>
            <textarea id="rationale" rows={1} maxLength={20000} value={draft.rationale} onChange={(e) => p.onText('rationale', e.target.value)} />
          </label>
        )}
        {task.form.askCorrection && (
          <label className="text-field">Write a better answer (optional) <kbd>W</kbd>
            <textarea id="correction" rows={1} maxLength={100000} value={draft.correctedAnswer} onChange={(e) => p.onText('correctedAnswer', e.target.value)} />
          </label>
        )}
        <FlagToggles flags={draft.flags} onToggle={p.onFlag} />
        <div className="row submit-row">
          <button type="submit" className="primary" disabled={missing.length > 0 || p.submitting} aria-describedby="missing">
            Submit <kbd>Enter</kbd>
          </button>
          <button type="button" onClick={p.onSkip}>Skip <kbd>S</kbd></button>
          <button type="button" onClick={p.onGuidelines}>Guidelines <kbd>G</kbd></button>
        </div>
        <p id="missing" className="muted" aria-live="polite">
          {missing.length > 0 ? `Still needed: ${missing.join(', ')}.` : 'Ready to submit.'}
        </p>
      </form>
      <KeyLegend kind={kind} askStrength={task.form.askStrength} hasCriteria={task.form.criteria.length > 0} />
    </div>
  );
}
