/**
 * Builds the app, then starts the browser host on a free port with a fresh workspace, the way a
 * user's `npm run start:web` would; the journeys read its address from NNSTUDIO_URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) throw new Error('The build failed.');
  const workspace = mkdtempSync(join(tmpdir(), 'nnstudio-e2e-'));
  const data = join(workspace, '.nnstudio-data');
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src-main/browser-host/cli.ts'), '--port', '0', '--workspace', workspace, '--data', data],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The browser host did not start: ${output}`)), 30_000);
    host.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    host.once('exit', (code) => reject(new Error(`The browser host exited (${code}): ${output}`)));
  });
  process.env.NNSTUDIO_URL = url;
  process.env.NNSTUDIO_WORKSPACE = workspace;
  process.env.NNSTUDIO_DATA = data;
  return async () => {
    host.kill('SIGTERM');
    rmSync(workspace, { recursive: true, force: true });
  };
}
