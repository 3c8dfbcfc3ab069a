/**
 * The layering rule in eslint.config.js, held to examples: the engine imports nothing outside
 * itself, the renderer no Node, Electron or main-process code but the IPC contract, the main process
 * no renderer code. (The type-aware rules are left out here: the examples are not real files.)
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: `${import.meta.dirname}/..`,
  overrideConfig: [tseslint.configs.disableTypeChecked, { languageOptions: { parserOptions: { projectService: false, project: null } } }],
});

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('the engine imports nothing outside engine/src', async () => {
    expect(
      await restricted('engine/src/example.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"),
    ).toHaveLength(1);
    expect(await restricted('engine/src/example.ts', "import { create } from 'zustand';\nexport const x = create;\n")).toHaveLength(1);
    expect(
      await restricted('engine/src/project/example.ts', "import { x } from '../../../src-shared/contract';\nexport const y = x;\n"),
    ).toHaveLength(1);
    expect(
      await restricted(
        'engine/src/example.ts',
        "import { z } from 'zod';\nimport { LIMITS } from './project/schema';\nexport const x = [z, LIMITS];\n",
      ),
    ).toEqual([]);
  });

  it('the renderer reaches the main process only through the IPC contract', async () => {
    expect(
      await restricted(
        'src-renderer/src/example.ts',
        "import { CHANNELS } from '../../src-shared/contract';\nexport const x = CHANNELS;\n",
      ),
    ).toEqual([]);
    expect(
      await restricted(
        'src-renderer/src/example.ts',
        "import { createHandlers } from '../../src-main/ipc/handlers';\nexport const x = createHandlers;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restricted('src-renderer/src/example.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"),
    ).toHaveLength(1);
    expect(await restricted('src-renderer/src/example.ts', "import { join } from 'node:path';\nexport const x = join;\n")).toHaveLength(1);
  });

  it('the main process does not import the renderer', async () => {
    expect(
      await restricted(
        'src-main/ipc/example.ts',
        "import { useStudio } from '../../src-renderer/src/state/store';\nexport const x = useStudio;\n",
      ),
    ).toHaveLength(1);
  });

  it('the web edition uses the shared host code, not the main process, and starts the renderer only from its entry', async () => {
    const fromWeb = (file: string, source: string) => restricted(`src-web/${file}`, source);
    expect(await fromWeb('example.ts', "import { dispatch } from '../src-shared/host/dispatch';\nexport const x = dispatch;\n")).toEqual(
      [],
    );
    expect(
      await fromWeb('example.ts', "import { createHandlers } from '../src-main/ipc/handlers';\nexport const x = createHandlers;\n"),
    ).toHaveLength(1);
    expect(await fromWeb('example.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n")).toHaveLength(1);
    expect(
      await fromWeb('example.ts', "import { useStudio } from '../src-renderer/src/state/store';\nexport const x = useStudio;\n"),
    ).toHaveLength(1);
    expect(await fromWeb('main.ts', "await import('../src-renderer/src/main');\nimport '../src-renderer/src/main';\n")).toEqual([]);
    expect(
      await restricted(
        'src-renderer/src/example.ts',
        "import { createWebHost } from '../../src-web/host';\nexport const x = createWebHost;\n",
      ),
    ).toHaveLength(1);
  });
});
