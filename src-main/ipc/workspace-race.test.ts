/**
 * The workspace confinement under a race: another local process keeps swapping a project file
 * and a folder inside the workspace for symbolic links to a folder outside it, while the
 * handlers read and write those paths hundreds of times. A check of the path followed by an
 * open of the path lets some requests through to the outside; opening first and checking what
 * was opened lets none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  lstatSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExample, serialiseProject, type Project } from '../../engine/src/index';
import { AppData } from '../files/app-data';
import type { TrainingController } from '../../src-shared/host/training-controller';
import { createHandlers, dispatch, workspacePolicy } from './handlers';

const root = mkdtempSync(join(tmpdir(), 'nnstudio-race-'));
const workspace = join(root, 'workspace');
const outside = join(root, 'outside');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Told apart by the description: opening names a project after its file, whichever file that is.
const named = (name: string): Project => ({ ...findExample('xor-sigmoid')!.create(), name, description: name });

/**
 * The swapping process. Each round the file and the folder each spend about half the time as
 * the real thing and half as a link to the outside. It stops when its stdin closes, and after a
 * bounded number of rounds in any case.
 */
const SWAPPER = `
const { linkSync, renameSync, symlinkSync, unlinkSync } = require('node:fs');
const { join } = require('node:path');
const [ws, outside] = process.argv.slice(2);
const at = (name) => join(ws, name);
let rounds = 0;
let stopped = false;
process.stdin.on('end', () => (stopped = true)).resume();
function some() {
  for (let i = 0; i < 200; i++) {
    unlinkSync(at('sub'));
    renameSync(at('.sub-real'), at('sub'));
    linkSync(at('.good.nnproj'), at('.t1'));
    renameSync(at('.t1'), at('a.nnproj'));
    renameSync(at('sub'), at('.sub-real'));
    symlinkSync(outside, at('sub'));
    symlinkSync(join(outside, 'secret.nnproj'), at('.t2'));
    renameSync(at('.t2'), at('a.nnproj'));
    rounds++;
  }
  if (rounds === 200) process.stdout.write('swapping\\n');
  if (!stopped && rounds < 2000000) setImmediate(some);
  else process.stdout.write('stopped after ' + rounds + ' rounds\\n');
}
some();
`;

/** Every file below a folder with its bytes (links are listed as links, not followed). */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    files[relative(folder, full)] = entry.isFile() ? readFileSync(full).toString('base64') : entry.isDirectory() ? 'folder' : 'other';
  }
  return files;
}

function startSwapper(): Promise<{ child: ChildProcess; output: () => string }> {
  const script = join(root, 'swapper.cjs');
  writeFileSync(script, SWAPPER);
  const child = spawn(process.execPath, [script, workspace, outside], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', () => {
      if (output.includes('swapping')) resolve({ child, output: () => output });
    });
    child.once('exit', (code) => reject(new Error(`the swapping process ended before it began (${code}): ${output}`)));
  });
}

describe('the workspace policy while another process swaps paths for symbolic links', () => {
  it('hundreds of reads and writes: none reads or writes outside the workspace', { timeout: 300_000 }, async () => {
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.nnproj'), serialiseProject(named('SECRET')));
    writeFileSync(join(outside, 'b.nnproj'), serialiseProject(named('SECRET')));
    writeFileSync(join(workspace, '.good.nnproj'), serialiseProject(named('inside')));
    mkdirSync(join(workspace, '.sub-real'));
    writeFileSync(join(workspace, '.sub-real', 'b.nnproj'), serialiseProject(named('inside')));
    // Where the swapper starts: both paths are links, as at the end of each of its rounds.
    symlinkSync(join(outside, 'secret.nnproj'), join(workspace, 'a.nnproj'));
    symlinkSync(outside, join(workspace, 'sub'));
    const outsideBefore = snapshot(outside);

    const handlers = createHandlers({
      host: 'browser',
      version: '0',
      platform: 'linux',
      dialogs: { chooseProjectToOpen: async () => null, chooseWhereToSave: async () => null },
      paths: workspacePolicy(workspace),
      training: {} as TrainingController,
      data: new AppData(join(root, 'data')),
    });
    const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload, true);

    const reads = { inside: 0, outside: 0, refused: 0 };
    const writes = { done: 0, refused: 0 };
    const messages = new Set<string>();
    const { child, output } = await startSwapper();
    try {
      for (let round = 0; round < 100; round++) {
        for (const path of ['a.nnproj', 'sub/b.nnproj']) {
          for (let twice = 0; twice < 2; twice++) {
            const read = (await call('project:open', { path })) as { ok?: { project: Project }; error?: string };
            if (read.ok) reads[read.ok.project.description === 'SECRET' ? 'outside' : 'inside']++;
            else {
              reads.refused++;
              messages.add(read.error!);
            }
            const write = (await call('project:save', { path, project: named(`written ${round}`) })) as { ok?: unknown; error?: string };
            if (write.ok) writes.done++;
            else {
              writes.refused++;
              messages.add(write.error!);
            }
          }
        }
      }
    } finally {
      child.stdin!.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(output()).toMatch(/^swapping\nstopped after \d+ rounds\n$/); // it swapped throughout, and never failed

    expect(reads.inside + reads.outside + reads.refused).toBe(400);
    expect(writes.done + writes.refused).toBe(400);
    expect(reads.outside).toBe(0);
    expect(snapshot(outside)).toEqual(outsideBefore); // not one byte written outside, not even a temporary file
    for (const message of messages) expect(message).toMatch(/^[^\n]+\.$/); // each refusal one sentence

    // Once the paths hold still, the same requests simply work.
    if (lstatSync(join(workspace, 'sub')).isSymbolicLink()) {
      unlinkSync(join(workspace, 'sub'));
      renameSync(join(workspace, '.sub-real'), join(workspace, 'sub'));
    }
    rmSync(join(workspace, 'a.nnproj'));
    linkSync(join(workspace, '.good.nnproj'), join(workspace, 'a.nnproj'));
    expect(await call('project:open', { path: 'a.nnproj' })).toMatchObject({ ok: { project: { description: 'inside' } } });
    expect(await call('project:save', { path: 'sub/b.nnproj', project: named('saved') })).toEqual({
      ok: { path: join(workspace, 'sub', 'b.nnproj'), name: 'b' },
    });
    expect(await call('project:open', { path: 'sub/b.nnproj' })).toMatchObject({ ok: { project: { description: 'saved' } } });
  });
});
