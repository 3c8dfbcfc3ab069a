/**
 * The Python the tests run exported scripts with: the first interpreter that can do what a test
 * needs. Debian's python3-torch imports only into Debian's own /usr/bin/python3 (the `python3` on
 * PATH may be another), so that one is tried first.
 */
import { spawnSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/python3', 'python3', 'python'];

/** Whether `python -c code` exits 0. */
function runs(python: string, code: string): boolean {
  return spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 60_000 }).status === 0;
}

/** The first interpreter that runs `code` (an import, say), or null when none does. */
export function pythonThatRuns(code: string): string | null {
  return CANDIDATES.find((python) => runs(python, code)) ?? null;
}
