/**
 * Runs the `nnstudio` CLI in-process, as the binary would, and captures what it writes: for tests
 * that need its exit code and output without spawning a process.
 */
import { runCli } from '../../src-main/cli/main';

/** The CLI's exit code, standard output and standard error for `argv`, run in `cwd`. */
export async function runCliCaptured(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
  });
  return { code, stdout, stderr };
}
