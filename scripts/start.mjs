#!/usr/bin/env node
// `npm start`: builds the app, then runs the desktop app, or, where Electron's binary is missing
// (it is downloaded lazily and cannot be on machines without internet), says so in one line and
// serves the same app in the browser instead. Arguments after `--` go to the app (a .nnproj to open,
// or the browser host's --port / --workspace).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

function electronBinary() {
  // Read where the package would put the binary without require('electron'), which would start a download.
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: process.cwd() });
  child.on('error', (error) => {
    console.error(`NN Studio could not start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

const built = spawn(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
built.on('error', (error) => {
  console.error(`NN Studio could not build: ${error.message}`);
  process.exit(1);
});
built.on('exit', (code) => {
  if (code !== 0) {
    console.error('NN Studio: the build failed (see above).');
    process.exit(code ?? 1);
  }
  const binary = electronBinary();
  if (binary) {
    run(binary, [root, ...args]);
  } else {
    console.log("Electron's binary is not installed here, so NN Studio opens in your browser instead.");
    // The browser host takes --port and --workspace; a project file is opened from its picker.
    const hostArgs = args.filter((arg, i) => arg.startsWith('--') || (i > 0 && args[i - 1].startsWith('--') && !args[i - 1].includes('=')));
    if (hostArgs.length < args.length)
      console.log('(Open project files from the app’s Open button: the browser version shows its workspace folder.)');
    run(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'browser-host', 'cli.ts'), ...hostArgs]);
  }
});
