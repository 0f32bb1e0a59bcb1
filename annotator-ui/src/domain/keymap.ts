import type { Flag } from '../api/types';
import type { TaskKind } from './judgmentDraft';
import { optionForKey, type PreferenceOption } from './preferenceScale';

/** What a key press means on the judging page. */
export type Command =
  | { type: 'choose'; option: PreferenceOption }
  | { type: 'score'; criterion: string; value: number }
  | { type: 'step'; to: number }
  | { type: 'submit' }
  | { type: 'skip' }
  | { type: 'guidelines' }
  | { type: 'text'; field: 'rationale' | 'correction' }
  | { type: 'leaveText' }
  | { type: 'flag'; flag: Flag }
  | { type: 'select'; delta: number }
  | { type: 'move'; delta: number }
  | { type: 'tie' }
  | { type: 'keepOrder' };

export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  /** The focus is in a text field: letters and digits belong to the text. */
  inText?: boolean;
}

export interface KeyContext {
  kind: TaskKind;
  askStrength: boolean;
  criteria: string[];
  askRationale: boolean;
  askCorrection: boolean;
  /** 0 = preference (or ranking), 1..n = criteria[n-1]. */
  step: number;
}

const FLAGS: Record<string, Flag> = { u: 'UNSAFE', x: 'BROKEN', o: 'OFF_TOPIC' };

export function commandForKey(k: KeyPress, ctx: KeyContext): Command | undefined {
  if (k.inText) {
    if (k.key === 'Escape') return { type: 'leaveText' };
    if (k.key === 'Enter' && (k.ctrlKey || k.metaKey)) return { type: 'submit' };
    return undefined;
  }
  if (k.ctrlKey || k.metaKey || k.altKey) return undefined; // leave browser shortcuts alone
  const key = k.key.length === 1 ? k.key.toLowerCase() : k.key;

  if (key === 'Enter') return { type: 'submit' };
  if (key === 'g') return { type: 'guidelines' };
  if (key === 's') return { type: 'skip' };
  if (key === 'r' && ctx.askRationale) return { type: 'text', field: 'rationale' };
  if (key === 'w' && ctx.askCorrection) return { type: 'text', field: 'correction' };
  if (key in FLAGS) return { type: 'flag', flag: FLAGS[key] };
  if (key === 'p') return { type: 'step', to: 0 };
  if (key === 'c' && ctx.criteria.length > 0) return { type: 'step', to: 1 };
  if (key === 'Backspace' && ctx.step > 0) return { type: 'step', to: ctx.step - 1 };

  if (ctx.kind === 'ranking') {
    if (key === 'ArrowUp' || key === 'ArrowDown') return { type: k.shiftKey ? 'move' : 'select', delta: key === 'ArrowUp' ? -1 : 1 };
    if (key === 't') return { type: 'tie' };
    if (key === 'k') return { type: 'keepOrder' };
  }

  if (ctx.step > 0 && ctx.step <= ctx.criteria.length && /^[1-7]$/.test(key)) {
    return { type: 'score', criterion: ctx.criteria[ctx.step - 1], value: Number(key) };
  }
  if (ctx.kind === 'pairwise' && (ctx.step === 0 || key === 'b' || key === '0')) {
    const option = optionForKey(ctx.askStrength, key);
    if (option) return { type: 'choose', option };
  }
  return undefined;
}
