import type { Guidelines } from '../../api/types';
import { Dialog } from '../common/Dialog';
import { Markdown } from '../markdown/Markdown';

export function GuidelinesDialog({ guidelines, onClose }: { guidelines: Guidelines | null; onClose: () => void }) {
  return (
    <Dialog title={guidelines ? `Guidelines (version ${guidelines.version})` : 'Guidelines'} onClose={onClose}>
      <div className="guidelines" tabIndex={0}>
        {guidelines ? <Markdown text={guidelines.markdown} /> : <p aria-busy="true">Loading…</p>}
      </div>
    </Dialog>
  );
}
