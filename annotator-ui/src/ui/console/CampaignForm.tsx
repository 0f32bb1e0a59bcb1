import { useState, type FormEvent } from 'react';
import { campaignFormErrors, type CampaignFormValues } from '../../domain/campaignForm';

interface Props {
  initial: CampaignFormValues;
  withGuidelines: boolean;
  submitLabel: string;
  onSubmit: (v: CampaignFormValues) => Promise<void>;
}

export function CampaignForm({ initial, withGuidelines, submitLabel, onSubmit }: Props) {
  const [v, setV] = useState(initial);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const errors = campaignFormErrors(v);
  const set = <K extends keyof CampaignFormValues>(k: K, value: CampaignFormValues[K]) => setV((old) => ({ ...old, [k]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setError('');
    try {
      await onSubmit(v);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: 'name' | 'overlap' | 'goldRatio' | 'leaseMinutes', label: string, props: Record<string, unknown> = {}) => (
    <label>{label}
      <input name={k} value={v[k]} onChange={(e) => set(k, e.target.value)} aria-invalid={tried && !!errors[k]}
        aria-describedby={tried && errors[k] ? `${k}-error` : undefined} {...props} />
      {tried && errors[k] && <span id={`${k}-error`} className="error">{errors[k]}</span>}
    </label>
  );
  const check = (k: 'askStrength' | 'askRationale' | 'requireRationale' | 'askCorrection' | 'preferUncertain', label: string) => (
    <label className="radio"><input type="checkbox" name={k} checked={v[k]} onChange={(e) => set(k, e.target.checked)} /> {label}</label>
  );

  return (
    <form onSubmit={submit} className="stack" noValidate>
      <div className="grid-form">
        {field('name', 'Name', { required: true })}
        {field('overlap', 'Overlap (raters per task, 1–50)', { type: 'number', min: 1, max: 50 })}
        {field('goldRatio', 'Gold ratio (0–1)', { type: 'number', min: 0, max: 1, step: 0.01 })}
        {field('leaseMinutes', 'Lease (minutes)', { type: 'number', min: 1, max: 240 })}
      </div>
      <label>Description<textarea name="description" rows={2} value={v.description} onChange={(e) => set('description', e.target.value)} /></label>
      <label>Criteria (comma-separated, each scored 1–7)
        <input name="criteria" value={v.criteria} onChange={(e) => set('criteria', e.target.value)} />
      </label>
      <fieldset className="row">
        <legend>Judgment form</legend>
        {check('askStrength', 'Ask how much better')}
        {check('askRationale', 'Ask for a rationale')}
        {check('requireRationale', 'Require the rationale')}
        {check('askCorrection', 'Ask for a better answer')}
        {tried && errors.requireRationale && <span className="error">{errors.requireRationale}</span>}
      </fieldset>
      <fieldset className="row">
        <legend>Queue</legend>
        {check('preferUncertain', 'Serve first the pairs the reward model is least sure about (active learning)')}
      </fieldset>
      {withGuidelines && (
        <label>Guidelines (Markdown, becomes version 1)
          <textarea name="guidelines" rows={6} value={v.guidelines} onChange={(e) => set('guidelines', e.target.value)} />
        </label>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
    </form>
  );
}
