import type { Choice } from '../api/types';

/** One point of the pairwise scale, with the key that chooses it. */
export interface PreferenceOption {
  key: string;
  choice: Choice;
  strength?: 1 | 2 | 3;
  label: string;
}

const graded: PreferenceOption[] = [
  { key: '1', choice: 'A', strength: 3, label: 'A much better' },
  { key: '2', choice: 'A', strength: 2, label: 'A clearly better' },
  { key: '3', choice: 'A', strength: 1, label: 'A slightly better' },
  { key: '4', choice: 'TIE', label: 'Tie' },
  { key: '5', choice: 'B', strength: 1, label: 'B slightly better' },
  { key: '6', choice: 'B', strength: 2, label: 'B clearly better' },
  { key: '7', choice: 'B', strength: 3, label: 'B much better' },
  { key: '0', choice: 'BOTH_BAD', label: 'Both bad' },
];

// Without strength the same keys keep their side: 1-3 choose A, 5-7 choose B, so muscle memory carries over.
const plain: PreferenceOption[] = [
  { key: '1', choice: 'A', label: 'A better' },
  { key: '4', choice: 'TIE', label: 'Tie' },
  { key: '7', choice: 'B', label: 'B better' },
  { key: '0', choice: 'BOTH_BAD', label: 'Both bad' },
];

export function preferenceScale(askStrength: boolean): PreferenceOption[] {
  return askStrength ? graded : plain;
}

/** The option a key press picks, or undefined. `b` is an alias of `0` (both bad). */
export function optionForKey(askStrength: boolean, key: string): PreferenceOption | undefined {
  const k = key.toLowerCase() === 'b' ? '0' : key;
  if (!askStrength) {
    if (k === '2' || k === '3') return plain[0];
    if (k === '5' || k === '6') return plain[2];
  }
  return preferenceScale(askStrength).find((o) => o.key === k);
}

export function isSelected(o: PreferenceOption, choice?: Choice, strength?: number): boolean {
  return o.choice === choice && (o.strength ?? undefined) === (choice === 'A' || choice === 'B' ? strength : undefined);
}
