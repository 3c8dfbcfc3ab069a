/**
 * A number field that commits on Enter or blur and always shows the value in force: what was
 * typed and refused (not a number, or a value the document refuses) goes back to that value, and
 * the reason stays beside the field until the next edit; a value that is allowed but implausible
 * (η = 50) is kept and marked with a warning. With `allowEmpty`, clearing it commits null ("none").
 * Out of focus it reads the value to six significant digits (a bias of −0.2799662396026 does not
 * fit a field); in focus it holds the exact value, so editing starts from what is in force and
 * leaving the field untouched changes nothing.
 */
import { useEffect, useState } from 'react';
import { formatNumber } from '../../../engine/src/util/format';

/**
 * The value as the field shows it out of focus: exactly when it is short (up to 10 characters),
 * otherwise to six significant digits without trailing zeros, with the ASCII minus a person types.
 */
export function displayedNumber(value: number | null): string {
  if (value === null) return '';
  const exact = String(value);
  if (exact.length <= 10) return exact;
  return formatNumber(value, { digits: 6, minus: '-' }).replace(/\.?0+(e|$)/, '$1');
}

/**
 * What a commit answers: a refusal's reason (the field goes back to the value in force), or
 * anything else when the value was taken (or refused elsewhere, as a plain `edit` does with a toast).
 */
export type CommitOutcome = string | boolean | null | undefined | void;

export interface NumberInputProps {
  value: number | null;
  label: string;
  /** Applies the value; returns the reason when it is refused. */
  onCommit: (value: number | null) => CommitOutcome;
  allowEmpty?: boolean;
  testId?: string;
  /** A warning for an allowed but implausible value in force, or null. */
  advise?: (value: number) => string | null;
}

/** Reads what a person types as a number: a typographic minus counts; empty is not a number. */
export function parseTyped(text: string): { value: number } | { problem: string } {
  const trimmed = text.trim();
  const shown = trimmed.length > 24 ? `${trimmed.slice(0, 24)}…` : trimmed;
  if (trimmed === '') return { problem: 'A number is needed here.' };
  const value = Number(trimmed.replace(/−/g, '-'));
  if (Number.isNaN(value)) return { problem: `“${shown}” is not a number.` };
  if (!Number.isFinite(value)) return { problem: `${shown} is out of range: the largest number is about 1.8e308.` };
  return { value };
}

export function NumberInput({ value, label, onCommit, allowEmpty = false, testId, advise }: NumberInputProps) {
  const shown = value === null ? '' : String(value);
  const [text, setText] = useState(shown);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => setText(shown), [shown]);
  const inForce = value === null ? 'none' : String(value);

  const refuse = (reason: string) => {
    setText(shown);
    setProblem(`${reason} In force: ${inForce}.`);
  };
  const commit = () => {
    if (text === shown) return;
    if (allowEmpty && text.trim() === '') {
      const reason = value !== null ? onCommit(null) : null;
      if (typeof reason === 'string') refuse(reason);
      else setProblem(null);
      return;
    }
    const typed = parseTyped(text);
    if ('problem' in typed) return refuse(typed.problem);
    if (typed.value === value) {
      setText(shown);
      return setProblem(null);
    }
    const reason = onCommit(typed.value);
    if (typeof reason === 'string') refuse(reason);
    else {
      // Refused elsewhere (false): the field still goes back to the value in force.
      if (reason === false) setText(shown);
      setProblem(null);
    }
  };
  const warning = !problem && value !== null && advise ? advise(value) : null;
  return (
    <span className="number-field">
      <input
        aria-label={label}
        data-testid={testId}
        value={editing ? text : displayedNumber(value)}
        aria-invalid={problem ? true : undefined}
        className={problem ? 'invalid' : warning ? 'warned' : undefined}
        // The exact value on hover when the field shows it rounded.
        title={problem ?? warning ?? (displayedNumber(value) !== shown ? shown : undefined)}
        onChange={(e) => setText(e.target.value)}
        onFocus={() => {
          setText(shown);
          setEditing(true);
        }}
        onBlur={() => {
          setEditing(false);
          commit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.currentTarget as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setText(shown);
            setProblem(null);
          }
        }}
      />
      {(problem || warning) && (
        <small
          className={problem ? 'field-note problem' : 'field-note warning'}
          role={problem ? 'alert' : 'status'}
          data-testid={testId ? `${testId}-note` : undefined}
        >
          {problem ?? warning}
        </small>
      )}
    </span>
  );
}
