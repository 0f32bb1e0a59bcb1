import { initialRanking, moveItem, moveLabelTo, toRanks, toggleTie } from './ranking';

describe('ranking', () => {
  const abcd = initialRanking(['A', 'B', 'C', 'D']);

  it('ranks the display order 1..n when nothing is tied', () => {
    expect(toRanks(abcd)).toEqual({ A: 1, B: 2, C: 3, D: 4 });
  });

  it('moves an item up and down and ignores moves past the ends', () => {
    expect(moveItem(abcd, 2, -1).map((i) => i.label)).toEqual(['A', 'C', 'B', 'D']);
    expect(moveItem(abcd, 0, 3).map((i) => i.label)).toEqual(['B', 'C', 'D', 'A']);
    expect(moveItem(abcd, 0, -1)).toBe(abcd);
    expect(moveItem(abcd, 3, 1)).toBe(abcd);
  });

  it('moves by label for drag and drop', () => {
    expect(moveLabelTo(abcd, 'D', 0).map((i) => i.label)).toEqual(['D', 'A', 'B', 'C']);
  });

  it('gives tied items the same dense rank', () => {
    const tied = toggleTie(toggleTie(abcd, 2), 3); // C tied with B, D tied with C
    expect(toRanks(tied)).toEqual({ A: 1, B: 2, C: 2, D: 2 });
    expect(toRanks(toggleTie(abcd, 3))).toEqual({ A: 1, B: 2, C: 3, D: 3 });
  });

  it('cannot tie the first item with nothing', () => {
    expect(toggleTie(abcd, 0)).toBe(abcd);
  });
});
