import { useState, type FormEvent } from 'react';
import { Dialog } from '../common/Dialog';

const REASONS = ['I lack the expertise to judge this', 'The prompt is unclear', 'The answers are unreadable or cut off'];

export function SkipDialog({ onSkip, onCancel }: { onSkip: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState(REASONS[0]);
  const [other, setOther] = useState('');
  const final = reason === 'other' ? other.trim() : reason;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (final) onSkip(final);
  };
  return (
    <Dialog title="Skip this task" onClose={onCancel}>
      <form onSubmit={submit} className="stack" onKeyDown={(e) => {
        // Radios do not submit on Enter by themselves; digits pick a reason.
        const target = e.target as HTMLElement;
        if (e.key === 'Enter' && target.tagName !== 'TEXTAREA' && target.tagName !== 'BUTTON') submit(e);
        else if (target.tagName !== 'INPUT' || (target as HTMLInputElement).type === 'radio') {
          const i = Number(e.key) - 1;
          if (i >= 0 && i < REASONS.length) { e.preventDefault(); setReason(REASONS[i]); }
          if (e.key === String(REASONS.length + 1)) { e.preventDefault(); setReason('other'); }
        }
      }}>
        <fieldset>
          <legend>Why are you skipping?</legend>
          {REASONS.map((r, i) => (
            <label key={r} className="radio">
              <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} autoFocus={i === 0} /> <kbd>{i + 1}</kbd> {r}
            </label>
          ))}
          <label className="radio">
            <input type="radio" name="reason" value="other" checked={reason === 'other'} onChange={() => setReason('other')} /> <kbd>{REASONS.length + 1}</kbd> Other
          </label>
          {reason === 'other' && (
            <label>Reason<input value={other} onChange={(e) => setOther(e.target.value)} required autoFocus /></label>
          )}
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={!final}>Skip task <kbd>Enter</kbd></button>
          <button type="button" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
