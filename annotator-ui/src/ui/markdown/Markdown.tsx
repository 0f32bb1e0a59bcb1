import { useMemo } from 'react';
import { renderMarkdown } from './renderMarkdown';

/** The only place that sets HTML: always the sanitised output of renderMarkdown. */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={`markdown ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
