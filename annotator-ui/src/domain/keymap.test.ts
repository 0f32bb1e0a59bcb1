import { commandForKey, type KeyContext } from './keymap';

const pair: KeyContext = { kind: 'pairwise', askStrength: true, criteria: ['helpfulness', 'honesty'], askRationale: true, askCorrection: true, step: 0 };

describe('key map', () => {
  it('chooses a preference with digits on the first step and scores criteria on later steps', () => {
    expect(commandForKey({ key: '2' }, pair)).toMatchObject({ type: 'choose', option: { choice: 'A', strength: 2 } });
    expect(commandForKey({ key: '6' }, { ...pair, step: 1 })).toEqual({ type: 'score', criterion: 'helpfulness', value: 6 });
    expect(commandForKey({ key: '1' }, { ...pair, step: 2 })).toEqual({ type: 'score', criterion: 'honesty', value: 1 });
    expect(commandForKey({ key: '9' }, { ...pair, step: 1 })).toBeUndefined();
  });

  it('lets both bad be chosen from any step', () => {
    expect(commandForKey({ key: 'b' }, { ...pair, step: 2 })).toMatchObject({ type: 'choose', option: { choice: 'BOTH_BAD' } });
  });

  it('leaves text fields alone except Escape and Ctrl+Enter', () => {
    expect(commandForKey({ key: '1', inText: true }, pair)).toBeUndefined();
    expect(commandForKey({ key: 'Enter', inText: true }, pair)).toBeUndefined();
    expect(commandForKey({ key: 'Enter', ctrlKey: true, inText: true }, pair)).toEqual({ type: 'submit' });
    expect(commandForKey({ key: 'Escape', inText: true }, pair)).toEqual({ type: 'leaveText' });
  });

  it('maps the page keys', () => {
    expect(commandForKey({ key: 'Enter' }, pair)).toEqual({ type: 'submit' });
    expect(commandForKey({ key: 'G' }, pair)).toEqual({ type: 'guidelines' });
    expect(commandForKey({ key: 's' }, pair)).toEqual({ type: 'skip' });
    expect(commandForKey({ key: 'u' }, pair)).toEqual({ type: 'flag', flag: 'UNSAFE' });
    expect(commandForKey({ key: 'r' }, pair)).toEqual({ type: 'text', field: 'rationale' });
    expect(commandForKey({ key: 'r' }, { ...pair, askRationale: false })).toBeUndefined();
    expect(commandForKey({ key: 'Backspace' }, { ...pair, step: 2 })).toEqual({ type: 'step', to: 1 });
    expect(commandForKey({ key: 'c', ctrlKey: true }, pair)).toBeUndefined();
  });

  it('orders a ranking with arrows, Shift+arrows, t and k', () => {
    const rank: KeyContext = { ...pair, kind: 'ranking', criteria: [] };
    expect(commandForKey({ key: 'ArrowDown' }, rank)).toEqual({ type: 'select', delta: 1 });
    expect(commandForKey({ key: 'ArrowUp', shiftKey: true }, rank)).toEqual({ type: 'move', delta: -1 });
    expect(commandForKey({ key: 't' }, rank)).toEqual({ type: 'tie' });
    expect(commandForKey({ key: 'k' }, rank)).toEqual({ type: 'keepOrder' });
    expect(commandForKey({ key: '1' }, rank)).toBeUndefined();
  });
});
