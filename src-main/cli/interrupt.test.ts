/**
 * Ctrl-C in-process: what the binary's SIGINT handler relies on. The real signal is sent in
 * test/cli.test.ts; here, what a second Ctrl-C must know: whether the trained project is being
 * written at that moment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProjectFile } from '../files/project-file';
import { runCli, type CliIo } from './main';

const dir = mkdtempSync(join(tmpdir(), 'nnstudio-cli-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: dir };

describe('Ctrl-C while the trained project is written', () => {
  it('says "saving" exactly while the file is written, so a second Ctrl-C can wait for it', async () => {
    expect(await runCli(['new', '--example', 'iris', '--out', 'w.nnproj'], quiet)).toBe(0);
    let saving: (() => boolean) | null = null;
    const seen: { saving: boolean; written: number }[] = [];
    let lines = 0;
    let polling = true;
    const out: string[] = [];
    const io: CliIo = {
      ...quiet,
      stdout: {
        write: (text: string) => {
          out.push(text);
          lines++;
          return true;
        },
      },
      onInterrupt: (stop, isSaving) => {
        saving = isSaving;
        stop();
        // Looks at every turn of the event loop, as a signal handler would run.
        const poll = () => {
          if (!polling) return;
          seen.push({ saving: isSaving(), written: lines });
          setImmediate(poll);
        };
        setImmediate(poll);
      },
    };
    const code = await runCli(['train', 'w.nnproj', '--json'], io);
    polling = false;
    expect(code).toBe(0);
    const done = JSON.parse(out.at(-1)!);
    expect(done).toMatchObject({ reason: 'interrupted', epochs: 1 });
    // While training (an epoch line written, no result yet) it is not saving; then it is, until
    // the result line, and no longer once the command is done.
    expect(seen.some((s) => s.saving)).toBe(true);
    expect(seen.filter((s) => s.saving).every((s) => s.written === 1)).toBe(true);
    expect(saving!()).toBe(false);
    expect((await readProjectFile(join(dir, 'w.trained.nnproj'))).project.training.epoch).toBe(1);
  });
});
