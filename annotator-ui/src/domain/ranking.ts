/**
 * An N-way ranking as the rater sees it: completions top (best) to bottom, each optionally tied
 * with the one above it.
 */
export interface RankedItem {
  label: string;
  tiedWithAbove: boolean;
}

export function initialRanking(labels: string[]): RankedItem[] {
  return labels.map((label) => ({ label, tiedWithAbove: false }));
}

/** Moves the item at `index` by `delta` places; ties stay attached to positions, not items. */
export function moveItem(order: RankedItem[], index: number, delta: number): RankedItem[] {
  const target = index + delta;
  if (index < 0 || index >= order.length || target < 0 || target >= order.length) return order;
  const labels = order.map((i) => i.label);
  const [moved] = labels.splice(index, 1);
  labels.splice(target, 0, moved);
  return order.map((item, i) => ({ label: labels[i], tiedWithAbove: item.tiedWithAbove }));
}

/** Moves the item labelled `label` to `targetIndex` (used by drag and drop). */
export function moveLabelTo(order: RankedItem[], label: string, targetIndex: number): RankedItem[] {
  const from = order.findIndex((i) => i.label === label);
  return from < 0 ? order : moveItem(order, from, targetIndex - from);
}

export function toggleTie(order: RankedItem[], index: number): RankedItem[] {
  if (index <= 0 || index >= order.length) return order;
  return order.map((item, i) => (i === index ? { ...item, tiedWithAbove: !item.tiedWithAbove } : item));
}

/** Dense ranks per label, 1 = best: tied items share a rank and the next group takes the next rank. */
export function toRanks(order: RankedItem[]): Record<string, number> {
  const ranks: Record<string, number> = {};
  let rank = 0;
  order.forEach((item, i) => {
    if (i === 0 || !item.tiedWithAbove) rank += 1;
    ranks[item.label] = rank;
  });
  return ranks;
}

export function rankOf(order: RankedItem[], index: number): number {
  return toRanks(order)[order[index].label];
}
