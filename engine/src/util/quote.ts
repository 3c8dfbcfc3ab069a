/**
 * Quoting user data inside messages. A message names what is wrong with a file, a cell or a
 * name, and it reaches a terminal or a dialog: bytes from the file must not be able to retitle or
 * clear the terminal, split the one-line message, or flip the text's direction, and a megabyte
 * cell must not become a megabyte message.
 */

/** How many characters of user data a message quotes before it cuts the rest. */
export const QUOTE_MAX_CHARS = 60;

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates (a "Trojan source" could
// make a message read other than it is). Line and paragraph separators split lines too.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escapes the characters a terminal or a one-line message must not receive raw. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/**
 * User data as it may appear in a message: control characters escaped, cut to `max` characters
 * (with "…" and how much was left out). Not quoted: callers put it inside quotes of their choice.
 */
export function quoteForMessage(text: string, max = QUOTE_MAX_CHARS): string {
  // Cut first (on the raw text, without splitting a surrogate pair) so a huge input costs little.
  let cut = text;
  let omitted = 0;
  if (text.length > max) {
    let end = max;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    cut = text.slice(0, end);
    omitted = text.length - end;
  }
  const escaped = escapeControlCharacters(cut);
  return omitted > 0 ? `${escaped}… (${omitted.toLocaleString('en')} more characters)` : escaped;
}
