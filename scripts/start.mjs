#!/usr/bin/env node
// `npm start`: the desktop app, or the same app in the browser where Electron's binary is missing.
// The desktop shell and the browser host come with the shell issue (#5); until they exist this
// says so plainly instead of failing with a stack trace.
import { existsSync } from 'node:fs';

const shellBuilt = existsSync(new URL('../src-main/main.ts', import.meta.url));
if (!shellBuilt) {
  console.error(
    'NN Studio: the desktop shell and browser host are not built yet (issue #5). ' +
      'The engine is ready: run `npm test` to exercise it.',
  );
  process.exit(1);
}
