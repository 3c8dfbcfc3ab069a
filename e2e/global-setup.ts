/**
 * Builds the app, then starts the browser host on a free port with a fresh workspace, the way a
 * user's `npm run start:web` would (the journeys read its address from NNSTUDIO_URL); and builds
 * the static web edition and serves it with the plain static server of `npm run preview:web`
 * (NNSTUDIO_WEB_URL).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) throw new Error('The build failed.');
  const buildWeb = spawnSync(process.execPath, [join(root, 'scripts/build-web.mjs'), '--quiet'], { stdio: 'inherit', cwd: root });
  if (buildWeb.status !== 0) throw new Error('The web edition’s build failed.');
  const workspace = mkdtempSync(join(tmpdir(), 'nnstudio-e2e-'));
  const data = join(workspace, '.nnstudio-data');
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src-main/browser-host/cli.ts'), '--port', '0', '--workspace', workspace, '--data', data],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await addressOf(host, 'The browser host', /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  const staticServer = spawn(process.execPath, [join(root, 'scripts/serve-static.mjs'), '--port', '0', '--dir', join(root, 'dist/web')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.env.NNSTUDIO_WEB_URL = await addressOf(staticServer, 'The static server', /served at (http:\/\/127\.0\.0\.1:\d+\/)/);
  process.env.NNSTUDIO_URL = url;
  process.env.NNSTUDIO_WORKSPACE = workspace;
  process.env.NNSTUDIO_DATA = data;
  return async () => {
    host.kill('SIGTERM');
    staticServer.kill('SIGTERM');
    rmSync(workspace, { recursive: true, force: true });
  };
}

/** The address a server prints once it listens. */
function addressOf(server: ChildProcess, name: string, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 30_000);
    server.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${output}`)));
  });
}
