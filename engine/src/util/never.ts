/**
 * The end of an exhaustive switch: TypeScript proves `value` cannot occur, and should a value of a
 * kind added later reach here at run time (a new activation, loss or optimiser that a switch was
 * not taught), it fails loudly instead of falling through to a silent default.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${String(value)}.`);
}
