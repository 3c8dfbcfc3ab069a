/**
 * A project's name follows its file: `~/xor homework.nnproj` holds the project "xor homework".
 * Saving to a file and opening one both name the project after the file, so the window title,
 * the unsaved-changes question and the export names say what the file manager shows.
 */
import { LIMITS } from './schema';

/** The last part of a path, on any platform's separators (the engine has no node:path). */
function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/**
 * The longest name a file gives a project. The schema would take longer names, but a name this
 * long is already more than a title bar or a download shows, and every file system's file names
 * fit (255 bytes).
 */
export const MAX_NAME_FROM_FILE = LIMITS.idLength;

/**
 * The name a project saved as (or opened from) `path` carries: the file's name without
 * `.nnproj`, cut to {@link MAX_NAME_FROM_FILE} characters (never inside a character), or
 * `fallback` (the project's own name) when the file's name holds nothing but the extension.
 */
export function projectNameFromPath(path: string, fallback: string): string {
  const name = baseName(path).replace(/\.nnproj$/i, '');
  if (name.trim() === '') return fallback;
  if (name.length <= MAX_NAME_FROM_FILE) return name;
  // By code point, so an emoji or another character outside the BMP is kept whole or not at all.
  let cut = '';
  for (const character of name) {
    if (cut.length + character.length > MAX_NAME_FROM_FILE) break;
    cut += character;
  }
  return cut;
}

/**
 * The file name a save dialog suggests for a project: its name as it is, with only the
 * characters file systems refuse (path separators, Windows' reserved ones, control characters)
 * replaced, so that accepting the suggestion keeps the name. The desktop's save dialog and the
 * browser's in-app picker both suggest this.
 */
export function suggestedFileName(name: string): string {
  const safe = name
    .replace(/[/\\:*?"<>|\u0000-\u001f\u007f]+/g, '-')
    .replace(/[. ]+$/, '')
    .trim();
  return `${safe || 'project'}.nnproj`;
}
