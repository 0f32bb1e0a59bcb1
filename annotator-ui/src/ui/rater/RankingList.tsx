import { useState, type DragEvent } from 'react';
import { rankOf, type RankedItem } from '../../domain/ranking';
import { Markdown } from '../markdown/Markdown';

interface Props {
  order: RankedItem[];
  texts: Record<string, string>;
  selected: number;
  active: boolean;
  onSelect: (index: number) => void;
  onMove: (label: string, toIndex: number) => void;
  onToggleTie: (index: number) => void;
}

/** Completions best-first. Drag to reorder, or select with ↑/↓ and move with Shift+↑/↓. */
export function RankingList({ order, texts, selected, active, onSelect, onMove, onToggleTie }: Props) {
  const [dragOver, setDragOver] = useState<number | null>(null);

  const onDrop = (index: number) => (e: DragEvent) => {
    e.preventDefault();
    const label = e.dataTransfer.getData('text/plain');
    setDragOver(null);
    if (label) onMove(label, index);
  };

  return (
    <ol className={`ranking step ${active ? 'active' : ''}`} aria-label="Ranking, best first">
      {order.map((item, i) => (
        <li key={item.label} className={`rank-item ${i === selected ? 'selected' : ''} ${dragOver === i ? 'drag-over' : ''}`}
          draggable onDragStart={(e) => { e.dataTransfer.setData('text/plain', item.label); e.dataTransfer.effectAllowed = 'move'; }}
          onDragOver={(e) => { e.preventDefault(); setDragOver(i); }} onDragLeave={() => setDragOver(null)} onDrop={onDrop(i)}
          onClick={() => onSelect(i)} data-label={item.label} aria-current={i === selected ? 'true' : undefined}>
          <div className="rank-head">
            <span className="rank-number" aria-label={`Rank ${rankOf(order, i)}`}>#{rankOf(order, i)}</span>
            <strong>Answer {item.label}</strong>
            {item.tiedWithAbove && <span className="tie-badge">tied with above</span>}
            <span className="rank-actions">
              <button type="button" aria-label={`Move answer ${item.label} up`} disabled={i === 0} onClick={(e) => { e.stopPropagation(); onMove(item.label, i - 1); }}>↑</button>
              <button type="button" aria-label={`Move answer ${item.label} down`} disabled={i === order.length - 1} onClick={(e) => { e.stopPropagation(); onMove(item.label, i + 1); }}>↓</button>
              {i > 0 && (
                <button type="button" aria-pressed={item.tiedWithAbove} onClick={(e) => { e.stopPropagation(); onToggleTie(i); }}>
                  Tie with above
                </button>
              )}
            </span>
          </div>
          <div className="rank-body"><Markdown text={texts[item.label] ?? ''} /></div>
        </li>
      ))}
    </ol>
  );
}
