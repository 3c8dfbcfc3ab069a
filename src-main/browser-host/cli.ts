/**
 * `npm run start:web`: serves the built app on 127.0.0.1 and prints its address (with the
 * per-launch token). Options: --port N (default: a free one), --workspace DIR (default: the
 * current folder), --data DIR (recent projects and the backup of unsaved work; default: the
 * platform's per-user data folder), --token T (tests only: a fixed token of at least 16 characters).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBrowserHost } from './server';
import { defaultDataDir } from '../files/app-data';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, workspace: { type: 'string' }, data: { type: 'string' }, token: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`nnstudio web: ${(error as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`nnstudio web: --port needs a port number (0 to 65535), got '${values.port}'.`);
    process.exit(2);
  }
  if (values.token !== undefined && values.token.length < 16) {
    console.error('nnstudio web: --token must be at least 16 characters (leave it out for a random one).');
    process.exit(2);
  }
  const workspace = resolve(values.workspace ?? process.cwd());
  if (!existsSync(workspace)) {
    console.error(`nnstudio web: the workspace folder ${workspace} does not exist.`);
    process.exit(2);
  }
  const rendererDir = resolve(root, 'dist/renderer');
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    console.error('nnstudio web: the app is not built; run `npm run build` first (npm start does it for you).');
    process.exit(1);
  }
  const version = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).version as string;
  const dataDir = resolve(values.data ?? defaultDataDir());
  const host = await startBrowserHost({ port, workspace, rendererDir, token: values.token, version, dataDir });
  console.log(`NN Studio is running at ${host.url}`);
  console.log(`Workspace: ${workspace}. Data: ${dataDir}. Press Ctrl-C to stop.`);
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`nnstudio web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
