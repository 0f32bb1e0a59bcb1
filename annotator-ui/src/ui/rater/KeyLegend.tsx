import type { TaskKind } from '../../domain/judgmentDraft';

/** The key scheme, always on screen so nobody has to remember it. */
export function KeyLegend({ kind, askStrength, hasCriteria }: { kind: TaskKind; askStrength: boolean; hasCriteria: boolean }) {
  return (
    <aside className="key-legend" aria-label="Keyboard shortcuts">
      <h2>Keys</h2>
      <dl>
        {kind === 'pairwise' ? (
          askStrength ? (<>
            <dt><kbd>1</kbd><kbd>2</kbd><kbd>3</kbd></dt><dd>A much / clearly / slightly better</dd>
            <dt><kbd>4</kbd></dt><dd>Tie</dd>
            <dt><kbd>5</kbd><kbd>6</kbd><kbd>7</kbd></dt><dd>B slightly / clearly / much better</dd>
          </>) : (<>
            <dt><kbd>1</kbd> <kbd>4</kbd> <kbd>7</kbd></dt><dd>A better · tie · B better</dd>
          </>)
        ) : (<>
          <dt><kbd>↑</kbd><kbd>↓</kbd></dt><dd>Select an answer</dd>
          <dt><kbd>Shift</kbd>+<kbd>↑</kbd><kbd>↓</kbd></dt><dd>Move it up / down</dd>
          <dt><kbd>T</kbd></dt><dd>Tie with the one above</dd>
          <dt><kbd>K</kbd></dt><dd>Keep this order</dd>
        </>)}
        {kind === 'pairwise' && (<><dt><kbd>0</kbd> or <kbd>B</kbd></dt><dd>Both bad</dd></>)}
        {hasCriteria && (<><dt><kbd>1</kbd>…<kbd>7</kbd></dt><dd>Score the highlighted criterion</dd>
          <dt><kbd>P</kbd> <kbd>C</kbd> <kbd>⌫</kbd></dt><dd>Go to preference / criteria / back one step</dd></>)}
        <dt><kbd>R</kbd> <kbd>W</kbd></dt><dd>Write rationale / a better answer (<kbd>Esc</kbd> leaves the text)</dd>
        <dt><kbd>U</kbd> <kbd>X</kbd> <kbd>O</kbd></dt><dd>Flag unsafe / broken / off-topic</dd>
        <dt><kbd>S</kbd></dt><dd>Skip with a reason</dd>
        <dt><kbd>G</kbd></dt><dd>Guidelines</dd>
        <dt><kbd>Enter</kbd></dt><dd>Submit (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> inside text)</dd>
      </dl>
    </aside>
  );
}
