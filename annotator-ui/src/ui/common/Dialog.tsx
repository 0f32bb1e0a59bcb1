import { useEffect, useRef, type ReactNode } from 'react';

/** A modal that takes focus, keeps Tab inside, closes on Escape and gives focus back. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // React does not render the autofocus attribute, so prefer the first form field over the close button.
    const root = ref.current;
    const first = root?.querySelector<HTMLElement>('input:checked') ?? root?.querySelector<HTMLElement>('input, textarea, select');
    (first ?? ref.current)?.focus();
    return () => previous?.focus?.();
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Tab') {
      const focusable = ref.current?.querySelectorAll<HTMLElement>('a[href], button, textarea, input, select, [tabindex="0"]');
      if (!focusable?.length) return;
      const [first, last] = [focusable[0], focusable[focusable.length - 1]];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    }
  };

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" ref={ref} tabIndex={-1} onKeyDown={onKeyDown} data-keys-native>
        <header>
          <h2 id="dialog-title">{title}</h2>
          <button type="button" onClick={onClose}>Close <kbd>Esc</kbd></button>
        </header>
        {children}
      </div>
    </div>
  );
}
