/**
 * A number field that commits on Enter or blur, and goes back to the current value when what was
 * typed is not a number. With `allowEmpty`, clearing it commits null ("none").
 */
import { useEffect, useState } from 'react';

export function NumberInput({ value, label, onCommit, allowEmpty = false, testId }: { value: number | null; label: string; onCommit: (value: number | null) => void; allowEmpty?: boolean; testId?: string }) {
  const shown = value === null ? '' : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const commit = () => {
    if (allowEmpty && text.trim() === '') {
      if (value !== null) onCommit(null);
      return;
    }
    const parsed = Number(text.replace(/−/g, '-'));
    if (text.trim() !== '' && Number.isFinite(parsed)) {
      if (parsed !== value) onCommit(parsed);
    } else setText(shown);
  };
  return (
    <input
      aria-label={label}
      data-testid={testId}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
    />
  );
}
