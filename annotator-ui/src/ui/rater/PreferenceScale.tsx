import type { Choice } from '../../api/types';
import { isSelected, preferenceScale, type PreferenceOption } from '../../domain/preferenceScale';

interface Props {
  askStrength: boolean;
  choice?: Choice;
  strength?: number;
  active: boolean;
  onChoose: (o: PreferenceOption) => void;
  onFocusStep: () => void;
}

export function PreferenceScale({ askStrength, choice, strength, active, onChoose, onFocusStep }: Props) {
  return (
    <fieldset className={`step scale ${active ? 'active' : ''}`} onFocus={onFocusStep}>
      <legend>Which answer is better?</legend>
      <div className="scale-options" role="radiogroup" aria-label="Preference">
        {preferenceScale(askStrength).map((o) => {
          const selected = isSelected(o, choice, strength);
          return (
            <button key={o.key} type="button" role="radio" aria-checked={selected} className={`scale-option choice-${o.choice} ${selected ? 'selected' : ''}`}
              onClick={() => onChoose(o)} aria-keyshortcuts={o.key === '0' ? '0 B' : o.key}>
              <kbd>{o.key === '0' ? '0/B' : o.key}</kbd>
              <span>{o.label}</span>
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}
