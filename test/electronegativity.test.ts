/**
 * Electronegativity over the desktop shell and the renderer: any finding of medium severity or
 * worse fails the suite. Its command line always exits 0, so its programmatic API runs here.
 * A finding may only be silenced in the source with an `eng-disable` comment that says why.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const SEVERE = ['MEDIUM', 'HIGH', 'CRITICAL'];

interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  description: string;
}

function scan(dir: string): Finding[] {
  const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version as string;
  const result = spawnSync(
    process.execPath,
    ['--require', join(root, 'test/support/offline.cjs'), join(root, 'test/support/electronegativity-run.cjs'), dir, electron],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`Electronegativity failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

it('finds nothing of medium severity or worse in src-main and src-renderer', () => {
  // Main process and renderer together, so the global checks (CSP, navigation limits,
  // permission handler) see the whole app.
  const dir = mkdtempSync(join(tmpdir(), 'nnstudio-eng-'));
  try {
    cpSync(join(root, 'src-main'), join(dir, 'src-main'), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
    cpSync(join(root, 'src-renderer'), join(dir, 'src-renderer'), { recursive: true });
    const findings = scan(dir);
    const severe = findings.filter((f) => SEVERE.includes(f.severity));
    expect(severe, severe.map((f) => `${f.id} (${f.severity}) ${f.file}:${f.line} ${f.description}`).join('\n')).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('the check can fail: an insecure window is reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnstudio-eng-bad-'));
  try {
    cpSync(join(root, 'test/support/insecure-window.js'), join(dir, 'main.js'));
    const severe = scan(dir).filter((f) => SEVERE.includes(f.severity));
    expect(severe.map((f) => f.id)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
