/**
 * The command palette's filter: which actions a typed query names, best first. Pure.
 */

/** What the palette searches in an action. */
export interface Searchable {
  label: string;
  /** Where the menus show it ("Train › Speed"), or ''. */
  menu: string;
  description: string;
}

/** Lower case, without accents, curly quotes or the menu's ellipsis, so "lectures" finds "Lecture’s". */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’'‘…]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first letters of a text's words: "Step One Batch" → "sob". */
export function initials(text: string): string {
  return normalise(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0])
    .join('');
}

/**
 * How well `query` names the item (0 best), or null if it does not: the label starts with it, a
 * word of the label does, the label contains it, the label's initials start with it, its menu and
 * label contain every word, its description contains it.
 */
export function score(query: string, item: Searchable): number | null {
  const q = normalise(query);
  if (!q) return 0;
  const label = normalise(item.label);
  if (label.startsWith(q)) return 0;
  if ((' ' + label).includes(' ' + q)) return 1;
  if (label.includes(q)) return 2;
  if (!q.includes(' ') && initials(item.label).startsWith(q)) return 3;
  const words = q.split(' ');
  const where = `${normalise(item.menu)} ${label}`;
  if (words.every((word) => where.includes(word))) return 4;
  if (normalise(item.description).includes(q)) return 5;
  return null;
}

/** The items `query` names, best first; equally good ones keep their order. */
export function search<T extends Searchable>(query: string, items: readonly T[]): T[] {
  const ranked: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const s = score(query, item);
    if (s !== null) ranked.push({ item, score: s, index });
  });
  ranked.sort((a, b) => a.score - b.score || a.index - b.index);
  return ranked.map((r) => r.item);
}
