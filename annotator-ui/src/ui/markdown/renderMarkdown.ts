import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { markedHighlight } from 'marked-highlight';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import java from 'highlight.js/lib/languages/java';
import xml from 'highlight.js/lib/languages/xml';
import cpp from 'highlight.js/lib/languages/cpp';
import rust from 'highlight.js/lib/languages/rust';
import go from 'highlight.js/lib/languages/go';

// A handful of languages keeps the bundle small; unknown languages render as plain escaped code.
for (const [name, lang] of Object.entries({ bash, javascript, json, python, sql, typescript, java, xml, cpp, rust, go })) {
  hljs.registerLanguage(name, lang);
}
hljs.registerAliases(['sh', 'shell'], { languageName: 'bash' });
hljs.registerAliases(['js'], { languageName: 'javascript' });
hljs.registerAliases(['ts'], { languageName: 'typescript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['html'], { languageName: 'xml' });

const marked = new Marked(
  markedHighlight({
    emptyLangClass: 'hljs',
    langPrefix: 'hljs language-',
    highlight(code, lang) {
      return lang && hljs.getLanguage(lang) ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value : escapeHtml(code);
    },
  }),
  { gfm: true, breaks: false, async: false },
);

const purifier = DOMPurify();
// Model output must not fetch anything or navigate the rater away: no images, media, forms, styles.
const FORBID_TAGS = ['img', 'picture', 'video', 'audio', 'source', 'iframe', 'object', 'embed', 'form', 'input', 'button',
  'textarea', 'select', 'style', 'link', 'meta', 'base', 'svg', 'math', 'template'];
purifier.addHook?.('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!/^(https?:|mailto:)/i.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

// The sanitised HTML of recent texts, so a prefetched pair rendered ahead of time paints at once after submit.
// The output depends on the text only, so a cached entry is exactly what rendering again would give.
const CACHED = 64;
const rendered = new Map<string, string>();

/** Untrusted Markdown to HTML that is safe to insert: parsed by marked, highlighted, then sanitised. */
export function renderMarkdown(untrusted: string): string {
  const text = untrusted ?? '';
  let html = rendered.get(text);
  if (html === undefined) {
    html = sanitise(marked.parse(text) as string);
    if (rendered.size >= CACHED) rendered.delete(rendered.keys().next().value!);
  } else {
    rendered.delete(text); // most recently used last
  }
  rendered.set(text, html);
  return html;
}

/** Renders texts about to be shown, when the browser is idle, so showing them later costs a lookup. */
export function renderAhead(texts: string[]) {
  const idle: (cb: () => void) => void = typeof requestIdleCallback === 'function' ? (cb) => requestIdleCallback(cb, { timeout: 500 }) : (cb) => setTimeout(cb, 0);
  idle(() => texts.forEach(renderMarkdown));
}

function sanitise(html: string): string {
  return purifier.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'xlink:href'],
    ALLOW_DATA_ATTR: false,
  }) as unknown as string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
