/**
 * How the hosts name files in the contract's `path` fields, for both sides to agree on: the
 * desktop and the browser host use real file-system paths; the web edition, which may not know
 * where a file is, names the files it holds `/local/<id>/<file name>` (a handle the browser
 * keeps) and `/download/<file name>` (a file only ever downloaded).
 */

/** The web edition's prefix for a file it holds a handle to. */
export const WEB_LOCAL_PREFIX = '/local/';
/** The web edition's prefix for a file it can only download. */
export const WEB_DOWNLOAD_PREFIX = '/download/';

/** The file name a path ends in, on any platform's separators. */
export function fileNameOfPath(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Where a file is, in words for the user: its folder path, or what the web edition knows of it. */
export function whereFileIs(path: string): string {
  if (path.startsWith(WEB_LOCAL_PREFIX)) return 'a file on this computer';
  if (path.startsWith(WEB_DOWNLOAD_PREFIX)) return 'downloaded';
  return path;
}

/** A path as the status bar shows it: a real path whole, a web edition's file by its name. */
export function shownPath(path: string): string {
  return whereFileIs(path) === path ? path : fileNameOfPath(path);
}
