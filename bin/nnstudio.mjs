#!/usr/bin/env node
// The `nnstudio` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src-main/cli/main.ts');
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  onInterrupt: (stop) => {
    process.once('SIGINT', () => {
      process.stderr.write('\nStopping after this epoch… (Ctrl-C again to quit at once)\n');
      stop();
      process.once('SIGINT', () => process.exit(130));
    });
  },
});
process.exitCode = code;
