/**
 * The CLI in-process, for what a child process cannot show: the terminal progress bar and Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProjectFile } from '../files/project-file';
import { runCli, type CliIo } from './main';

const dir = mkdtempSync(join(tmpdir(), 'nnstudio-cli-inproc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(options: { tty?: boolean; interrupt?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t), isTTY: options.tty ?? false },
    cwd: dir,
    // Ctrl-C pressed before training starts: the trainer finishes its first epoch, then stops.
    onInterrupt: options.interrupt ? (stop) => stop() : undefined,
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

describe('nnstudio in-process', () => {
  it('draws a progress bar with the loss on a terminal, and none when piped', async () => {
    expect(await runCli(['new', '--example', 'xor-sigmoid', '--out', 'p.nnproj'], io().value)).toBe(0);
    const terminal = io({ tty: true });
    expect(await runCli(['train', 'p.nnproj', '--out', 'p1.nnproj'], terminal.value)).toBe(0);
    expect(terminal.err()).toMatch(/\r\[[#-]{24}\] epoch \d+\/5000 {2}loss [\d.e-]+ {2}accuracy [\d.]+%/);
    const piped = io();
    expect(await runCli(['train', 'p.nnproj', '--out', 'p2.nnproj'], piped.value)).toBe(0);
    expect(piped.err()).toBe('');
  });

  it('Ctrl-C stops after the current epoch and saves the weights so far', async () => {
    await runCli(['new', '--example', 'spiral', '--out', 's.nnproj'], io().value);
    const session = io({ interrupt: true });
    expect(await runCli(['train', 's.nnproj', '--json'], session.value)).toBe(0);
    const done = JSON.parse(session.out().trim().split('\n').at(-1)!);
    expect(done).toMatchObject({ type: 'done', reason: 'interrupted', epochs: 1 });
    expect(done.message).toMatch(/Interrupted after epoch 1; the weights so far are saved/);
    const { project } = await readProjectFile(join(dir, 's.trained.nnproj'));
    expect(project.training.epoch).toBe(1);
  });

  it('an unexpected internal error is one line, with a hint for details', async () => {
    const broken = io();
    broken.value.stdout = {
      write: () => {
        throw new Error('stdout closed');
      },
    };
    expect(await runCli(['examples'], broken.value)).toBe(70);
    expect(broken.err()).toBe('nnstudio: internal error: stdout closed (set NNSTUDIO_DEBUG=1 for details)\n');
  });
});
