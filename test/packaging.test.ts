/**
 * Packaging, as far as it can be checked without Electron's binary: the configuration passes
 * electron-builder's own schema, targets every platform with the .nnproj association, and packs
 * exactly the built files the app runs from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../electron.config';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (c: unknown, log: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // And the schema does catch a mistake.
    await expect(validateConfiguration({ ...config, fileAssociation: config.fileAssociations }, new DebugLogger(false))).rejects.toThrow(/fileAssociation/);
  });

  it('builds for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg), and opens .nnproj files', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    const associations = Array.isArray(config.fileAssociations) ? config.fileAssociations : [config.fileAssociations];
    expect(associations.map((a) => a?.ext)).toEqual(['nnproj']);
  });

  it('the icon exists, and the entry point is what the build produces', () => {
    expect(existsSync(`${root}build/icon.png`)).toBe(true);
    const png = readFileSync(`${root}build/icon.png`);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // width: electron-builder wants 512×512 or more
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    expect(pkg.main).toBe('dist/main/main.js');
    expect(config.extraMetadata?.main).toBe(pkg.main);
    const build = readFileSync(`${root}scripts/build.mjs`, 'utf8');
    expect(build).toContain('outfile: `${root}dist/main/main.js`');
    // The worker is unpacked from the archive and must be the file the controller starts.
    expect(build).toContain('outfile: `${root}dist/main/worker.mjs`');
    expect(config.asarUnpack).toEqual(['dist/main/worker.mjs']);
    expect(readFileSync(`${root}src-main/training/controller.ts`, 'utf8')).toContain("new URL('./worker.mjs', import.meta.url)");
  });
});
