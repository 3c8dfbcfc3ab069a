#!/usr/bin/env node
// The `nnstudio` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src-main/cli/main.ts');
const { describeFsError } = await import('../src-main/files/project-file.ts');

let outputFailed = false;
/**
 * A reader that goes away (`nnstudio train … --json | head`) ends the output, not the command:
 * training goes on and saves. Any other failure to write is said once, on stderr.
 */
function guarded(stream, name) {
  let closed = false;
  stream.on('error', (error) => {
    if (closed) return;
    closed = true;
    if (error.code === 'EPIPE') return;
    outputFailed = true;
    if (stream !== process.stderr) process.stderr.write(`nnstudio: could not write to ${name}: ${describeFsError(error)}\n`);
  });
  return {
    write: (text) => closed || stream.write(text),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}

const code = await runCli(process.argv.slice(2), {
  stdout: guarded(process.stdout, 'standard output'),
  stderr: guarded(process.stderr, 'standard error'),
  cwd: process.cwd(),
  onInterrupt: (stop, saving) => {
    let asked = false;
    process.on('SIGINT', () => {
      // The write is atomic, so quitting now could not damage the file, but it would throw away
      // the very save the first Ctrl-C asked for: let it finish.
      if (saving()) {
        process.stderr.write('\nSaving the trained project; a moment…\n');
        return;
      }
      if (asked) process.exit(130);
      asked = true;
      process.stderr.write('\nStopping after this epoch… (Ctrl-C again to quit at once, without saving)\n');
      stop();
    });
  },
});
process.exitCode = code;
// A failed write is reported after the write returned: the exit status follows it here.
process.on('exit', () => {
  if (outputFailed && process.exitCode === 0) process.exitCode = 1;
});
