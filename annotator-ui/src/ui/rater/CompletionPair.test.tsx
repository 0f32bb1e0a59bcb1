import { fireEvent, render, screen } from '@testing-library/react';
import { CompletionPair } from './CompletionPair';

function sized(el: HTMLElement, scrollHeight: number, clientHeight: number) {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, value: scrollHeight });
  Object.defineProperty(el, 'clientHeight', { configurable: true, value: clientHeight });
}

describe('completion pair', () => {
  it('scrolls the other answer to the same relative position', () => {
    render(<CompletionPair completions={[{ label: 'A', text: 'long' }, { label: 'B', text: 'longer' }]} />);
    const a = screen.getByLabelText('Answer A text');
    const b = screen.getByLabelText('Answer B text');
    sized(a, 1100, 100); // 1000 px of scroll
    sized(b, 2100, 100); // 2000 px of scroll
    a.scrollTop = 250;
    fireEvent.scroll(a);
    expect(b.scrollTop).toBe(500);
  });

  it('renders answers under their labels and never runs their scripts', () => {
    render(<CompletionPair completions={[{ label: 'A', text: '<script>x()</script>\n\n**ok**' }, { label: 'B', text: '<img src=x onerror=x()>' }]} />);
    expect(screen.getByRole('heading', { name: 'Answer A' })).toBeInTheDocument();
    expect(screen.getByText('ok').tagName).toBe('STRONG');
    expect(document.querySelector('script, img')).toBeNull();
  });
});
