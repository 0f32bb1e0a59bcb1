import { useState, type DragEvent, type PointerEvent } from 'react';
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

/** The list position under a screen point, if it is over an answer. */
function indexAt(order: RankedItem[], x: number, y: number): number | null {
  const label = document.elementFromPoint(x, y)?.closest('.rank-item')?.getAttribute('data-label');
  const index = order.findIndex((item) => item.label === label);
  return index >= 0 ? index : null;
}

/**
 * Completions best-first. Reorder by dragging an answer with the mouse, by dragging its handle (⠿) on a
 * touch screen or with a pen, or by keyboard: select with ↑/↓ and move with Shift+↑/↓.
 */
export function RankingList({ order, texts, selected, active, onSelect, onMove, onToggleTie }: Props) {
  const [dragOver, setDragOver] = useState<number | null>(null);
  // Touch and pen: HTML drag and drop is mouse-only in browsers, so the handle follows pointer events.
  const [held, setHeld] = useState<{ label: string; pointerId: number } | null>(null);

  const onHandleDown = (label: string) => (e: PointerEvent) => {
    if (e.pointerType === 'mouse') return;            // the mouse drags the whole answer
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    setHeld({ label, pointerId: e.pointerId });
  };
  const onHandleMove = (e: PointerEvent) => {
    if (held?.pointerId === e.pointerId) setDragOver(indexAt(order, e.clientX, e.clientY));
  };
  const onHandleUp = (e: PointerEvent) => {
    if (held?.pointerId !== e.pointerId) return;
    const to = indexAt(order, e.clientX, e.clientY);
    setHeld(null);
    setDragOver(null);
    if (to !== null) onMove(held.label, to);
  };
  const onHandleCancel = () => { setHeld(null); setDragOver(null); };

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
            <span className="drag-handle" aria-hidden="true" title="Drag to reorder" onPointerDown={onHandleDown(item.label)}
              onPointerMove={onHandleMove} onPointerUp={onHandleUp} onPointerCancel={onHandleCancel}>⠿</span>
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
