/**
 * Double-click the canvas: a searchable list of units, added where the double-click was.
 */
import { useEffect, useRef, useState } from 'react';
import type { NodeTemplate } from '../document/commands';
import { PALETTE } from './Palette';

export function QuickAdd({
  at,
  onPick,
  onClose,
}: {
  at: { x: number; y: number };
  onPick: (template: NodeTemplate) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = PALETTE.filter((entry) => words.every((w) => `${entry.name} ${entry.hint}`.toLowerCase().includes(w)));
  const pick = (index: number) => {
    const entry = matches[index];
    if (entry) onPick(entry.template);
    onClose();
  };
  return (
    <div className="quick-add" style={{ left: at.x, top: at.y }} data-testid="quick-add" onMouseDown={(e) => e.stopPropagation()}>
      <input
        ref={input}
        aria-label="Add a unit"
        placeholder="Add… (type to search)"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(active);
          else return;
          e.preventDefault();
        }}
        onBlur={() => setTimeout(onClose, 150)}
      />
      <ul>
        {matches.map((entry, i) => (
          <li key={entry.name}>
            <button
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(i)}
              title={entry.hint}
            >
              {entry.name}
            </button>
          </li>
        ))}
        {matches.length === 0 && <li className="none">No unit matches “{query}”.</li>}
      </ul>
    </div>
  );
}
