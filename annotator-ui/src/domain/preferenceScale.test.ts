import { isSelected, optionForKey, preferenceScale } from './preferenceScale';

describe('preference scale', () => {
  it('maps 1..7 from A much better to B much better, 4 to tie and 0 or b to both bad', () => {
    expect(optionForKey(true, '1')).toMatchObject({ choice: 'A', strength: 3 });
    expect(optionForKey(true, '3')).toMatchObject({ choice: 'A', strength: 1 });
    expect(optionForKey(true, '4')).toMatchObject({ choice: 'TIE' });
    expect(optionForKey(true, '5')).toMatchObject({ choice: 'B', strength: 1 });
    expect(optionForKey(true, '7')).toMatchObject({ choice: 'B', strength: 3 });
    expect(optionForKey(true, '0')).toMatchObject({ choice: 'BOTH_BAD' });
    expect(optionForKey(true, 'B')).toMatchObject({ choice: 'BOTH_BAD' });
    expect(optionForKey(true, '8')).toBeUndefined();
  });

  it('keeps the side of a key when the form does not ask for strength', () => {
    expect(optionForKey(false, '2')).toEqual({ key: '1', choice: 'A', label: 'A better' });
    expect(optionForKey(false, '6')?.choice).toBe('B');
    expect(optionForKey(false, '6')?.strength).toBeUndefined();
    expect(preferenceScale(false)).toHaveLength(4);
  });

  it('marks exactly one option of the graded scale as selected', () => {
    const selected = preferenceScale(true).filter((o) => isSelected(o, 'B', 2));
    expect(selected.map((o) => o.key)).toEqual(['6']);
    expect(preferenceScale(true).filter((o) => isSelected(o, 'TIE', undefined)).map((o) => o.key)).toEqual(['4']);
  });
});
