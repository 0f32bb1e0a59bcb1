interface Props {
  name: string;
  value?: number;
  active: boolean;
  onScore: (v: number) => void;
  onFocusStep: () => void;
}

/** One criterion scored 1..7 for the preferred answer; digits score it when the row is active. */
export function CriterionScore({ name, value, active, onScore, onFocusStep }: Props) {
  return (
    <fieldset className={`step criterion ${active ? 'active' : ''}`} onFocus={onFocusStep}>
      <legend><span className="criterion-name">{name}</span> <span className="hint">1 poor … 7 excellent</span></legend>
      <div className="likert" role="radiogroup" aria-label={`${name} score`}>
        {[1, 2, 3, 4, 5, 6, 7].map((v) => (
          <button key={v} type="button" role="radio" aria-checked={value === v} aria-label={`${name} ${v}`}
            className={`likert-option ${value === v ? 'selected' : ''}`} onClick={() => onScore(v)}>
            {v}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
