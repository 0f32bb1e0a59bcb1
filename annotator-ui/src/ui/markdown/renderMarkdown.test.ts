import { renderMarkdown } from './renderMarkdown';

function dom(markdown: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(markdown);
  return div;
}

const payloads = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<svg onload="window.__pwned=1"><circle/></svg>',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '[click](javascript:window.__pwned=1)',
  '[click](JaVaScRiPt:window.__pwned=1)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](https://tracker.example/pixel.png)',
  '<a href="https://ok.example" onclick="window.__pwned=1">x</a>',
  '<div style="position:fixed;inset:0">overlay</div>',
  '<form action="https://evil.example"><input name=p><button>Log in</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '<details open ontoggle="window.__pwned=1">x</details>',
  '```html\n<script>window.__pwned=1</script>\n```',
  '<<script>script>window.__pwned=1<</script>/script>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
];

describe('markdown of untrusted completions', () => {
  it.each(payloads)('renders %s inert', (payload) => {
    const el = dom(payload);
    expect(el.querySelector('script, img, svg, iframe, form, input, button, style, base, meta, math')).toBeNull();
    for (const node of el.querySelectorAll('*')) {
      for (const attr of node.getAttributeNames()) {
        expect(attr.startsWith('on'), `${node.tagName} has ${attr}`).toBe(false);
        expect(attr).not.toBe('style');
      }
      const href = node.getAttribute('href');
      if (href !== null) expect(href).toMatch(/^(https?:|mailto:)/);
    }
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('keeps ordinary Markdown: emphasis, lists, tables and safe links that open apart', () => {
    const el = dom('**bold** and *it*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.org)');
    expect(el.querySelector('strong')?.textContent).toBe('bold');
    expect(el.querySelectorAll('li')).toHaveLength(2);
    expect(el.querySelector('td')?.textContent).toBe('1');
    const a = el.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.org');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('highlights fenced code and shows HTML inside code as text', () => {
    const el = dom('```python\ndef f():\n    return "<b>"\n```');
    const code = el.querySelector('pre code')!;
    expect(code.className).toContain('language-python');
    expect(code.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(code.textContent).toContain('"<b>"');
    expect(code.querySelector('b')).toBeNull();
  });

  it('escapes code in an unknown language', () => {
    const el = dom('```brainfuck\n<script>alert(1)</script>\n```');
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelector('code')?.textContent).toContain('<script>alert(1)</script>');
  });
});

describe('the cache of rendered texts', () => {
  it('gives each text its own sanitised HTML from the cache, also after older entries were dropped', () => {
    const script = 'before <script>window.__pwned = 1</script> **after**';
    const first = renderMarkdown(script);
    expect(first).not.toContain('<script');
    expect(renderMarkdown('*other*')).toBe('<p><em>other</em></p>\n');
    expect(renderMarkdown(script)).toBe(first);
    for (let i = 0; i < 100; i++) renderMarkdown(`text ${i}`);
    expect(renderMarkdown(script)).toBe(first);
    expect(renderMarkdown('text 3')).toBe('<p>text 3</p>\n');
  });
});
