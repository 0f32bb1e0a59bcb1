import type { Flag } from '../../api/types';

export const FLAG_KEYS: { flag: Flag; key: string; label: string }[] = [
  { flag: 'UNSAFE', key: 'u', label: 'Unsafe' },
  { flag: 'BROKEN', key: 'x', label: 'Broken' },
  { flag: 'OFF_TOPIC', key: 'o', label: 'Off-topic' },
];

export function FlagToggles({ flags, onToggle }: { flags: Flag[]; onToggle: (f: Flag) => void }) {
  return (
    <fieldset className="flags">
      <legend>Flag the task</legend>
      {FLAG_KEYS.map(({ flag, key, label }) => (
        <label key={flag} className={`flag ${flags.includes(flag) ? 'on' : ''}`}>
          <input type="checkbox" checked={flags.includes(flag)} onChange={() => onToggle(flag)} aria-keyshortcuts={key} />
          {label} <kbd>{key.toUpperCase()}</kbd>
        </label>
      ))}
    </fieldset>
  );
}
