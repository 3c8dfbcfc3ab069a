/**
 * Folder = runtime. The engine runs in a worker, the renderer and the CLI, so its core imports
 * nothing but itself: no node: modules, no Electron, no DOM. And no test may load Electron at run
 * time (its binary cannot be downloaded on CI): Electron is only ever mocked.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

/** Module specifiers of every static import, re-export and dynamic import in a source file. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const statements =
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of source.matchAll(statements)) specifiers.push(match[1] ?? match[2] ?? match[3]);
  return specifiers;
}

/** Packages the engine may use: pure, environment-free libraries. */
const ENGINE_PACKAGES = ['zod'];

/**
 * Which of the engine's folders each may import (besides itself), as engine/README.md tells it:
 * the model knows nothing of training, the fast kernels nothing of the readable trace that is
 * their oracle, and so on. index.ts, the public face, may import them all.
 */
const ENGINE_LAYERS: Record<string, string[]> = {
  util: [],
  model: ['util'],
  compile: ['model', 'util'],
  datasets: ['compile', 'project', 'util'],
  fast: ['compile', 'datasets', 'model', 'util'],
  train: ['compile', 'datasets', 'fast', 'model', 'util'],
  explain: ['compile', 'datasets', 'fast', 'model', 'train', 'util'],
  project: ['compile', 'datasets', 'explain', 'fast', 'model', 'train', 'util'],
  export: ['compile', 'datasets', 'fast', 'model', 'project', 'train', 'util'],
  lessons: ['compile', 'datasets', 'explain', 'fast', 'model', 'project', 'train', 'util'],
};

describe('engine folders import in one direction', () => {
  const engineRoot = join(root, 'engine', 'src');
  const folderOf = (file: string) => relative(engineRoot, file).split(/[\\/]/)[0];
  const files = filesUnder(engineRoot, /\.ts$/).filter(
    (f) => !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && folderOf(f) !== 'index.ts',
  );

  it('every folder of the engine is in the table', () => {
    const folders = new Set(files.map(folderOf));
    expect([...folders].sort()).toEqual(Object.keys(ENGINE_LAYERS).sort());
  });

  for (const file of files) {
    it(`${relative(root, file)} imports only the folders below its own`, () => {
      const own = folderOf(file);
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = folderOf(resolve(dirname(file), specifier));
        if (target === own) continue;
        expect(ENGINE_LAYERS[own], `${relative(root, file)} imports '${specifier}' (${target}/)`).toContain(target);
      }
    });
  }
});

describe('engine core stays pure', () => {
  const engineFiles = filesUnder(join(root, 'engine', 'src'), /\.ts$/).filter((f) => !f.endsWith('.test.ts'));

  it('has source files to check', () => {
    expect(engineFiles.length).toBeGreaterThan(5);
  });

  for (const file of engineFiles) {
    it(`${relative(root, file)} imports only the engine`, () => {
      const source = readFileSync(file, 'utf8');
      for (const specifier of importsOf(source)) {
        if (ENGINE_PACKAGES.includes(specifier)) continue;
        expect(specifier, `${relative(root, file)} imports '${specifier}'`).toMatch(/^\.\.?\//);
        const target = resolve(dirname(file), specifier);
        expect(relative(join(root, 'engine', 'src'), target).startsWith('..'), `${specifier} leaves engine/src`).toBe(false);
      }
      expect(source).not.toMatch(/\b(?:window|document|navigator|localStorage)\s*\./);
      expect(source).not.toMatch(/\bprocess\.|\brequire\(/);
    });
  }

  it('the import scanner finds what it must refuse', () => {
    const sample = [
      `import { readFileSync } from 'node:fs';`,
      `export * from "electron";`,
      `import {\n  a,\n  type B,\n} from 'react';`,
      `import 'side-effect';`,
      "const m = await import('worker_threads');",
      "const text = `values come from 'somewhere'`; // not an import",
    ].join('\n');
    expect(importsOf(sample)).toEqual(['node:fs', 'electron', 'react', 'side-effect', 'worker_threads']);
  });
});

describe('no test loads Electron', () => {
  const testFiles = filesUnder(root, /\.test\.tsx?$|\.spec\.tsx?$/);
  for (const file of testFiles) {
    it(`${relative(root, file)}`, () => {
      const source = readFileSync(file, 'utf8');
      const loadsElectron = importsOf(source).includes('electron');
      if (loadsElectron)
        expect(source, 'an Electron import in a test must be mocked with vi.mock').toMatch(/vi\.mock\(\s*['"]electron['"]/);
    });
  }
});
