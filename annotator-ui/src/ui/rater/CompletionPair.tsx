import { useRef, type UIEvent } from 'react';
import { Markdown } from '../markdown/Markdown';

/** Two completions side by side (stacked on narrow screens), scrolling together. */
export function CompletionPair({ completions }: { completions: { label: string; text: string }[] }) {
  const panes = useRef<(HTMLDivElement | null)[]>([]);
  const syncing = useRef(false);

  const onScroll = (index: number) => (e: UIEvent<HTMLDivElement>) => {
    if (syncing.current) {
      syncing.current = false;
      return;
    }
    const src = e.currentTarget;
    const ratio = src.scrollTop / Math.max(1, src.scrollHeight - src.clientHeight);
    panes.current.forEach((p, i) => {
      if (p && i !== index) {
        syncing.current = true;
        p.scrollTop = ratio * (p.scrollHeight - p.clientHeight);
      }
    });
  };

  return (
    <div className="pair">
      {completions.map((c, i) => (
        <section key={c.label} className="completion" aria-labelledby={`completion-${c.label}`}>
          <h2 id={`completion-${c.label}`} className="completion-label">Answer {c.label}</h2>
          <div className="completion-body" tabIndex={0} ref={(el) => { panes.current[i] = el; }} onScroll={onScroll(i)}
            aria-label={`Answer ${c.label} text`}>
            <Markdown text={c.text} />
          </div>
        </section>
      ))}
    </div>
  );
}
