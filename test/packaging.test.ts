/**
 * Packaging, as far as it can be checked without Electron's binary: the configuration passes
 * electron-builder's own schema, targets every platform with the .nnproj association, and packs
 * exactly the built files the app runs from.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../electron.config';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
// The very @electron/fuses electron-builder flips the fuses with, not whichever copy is nearest.
const fuses = createRequire(require.resolve('app-builder-lib/package.json'))('@electron/fuses') as typeof import('@electron/fuses');
const { FuseV1Options } = fuses;
/** @electron/fuses' byte values for a fuse's state in the binary (its FuseState, not exported). */
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The fuses by name, as electron-builder turns `electronFuses` into @electron/fuses' wire config. */
async function builderFuseConfig(electronFuses: unknown): Promise<Record<number, boolean | undefined>> {
  const { PlatformPackager } = require('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<number, boolean | undefined>> } };
  };
  return PlatformPackager.prototype.generateFuseConfig.call(null, electronFuses);
}

/** The numeric members of FuseV1Options: every fuse @electron/fuses knows. */
const ALL_FUSES = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // And the schema does catch a mistake.
    await expect(validateConfiguration({ ...config, fileAssociation: config.fileAssociations }, new DebugLogger(false))).rejects.toThrow(
      /fileAssociation/,
    );
  });

  it('the schema also checks the fuse names', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    expect(config.electronFuses).toBeTruthy();
    await expect(
      validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsnode: false } }, new DebugLogger(false)),
    ).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('flips every dangerous fuse off and every protective one on, deciding each fuse there is', async () => {
    const wire = await builderFuseConfig(config.electronFuses);
    // Named by @electron/fuses' own enum: a renamed or removed fuse is undefined here and fails.
    const expected: [number, boolean][] = [
      [FuseV1Options.RunAsNode, false],
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
      [FuseV1Options.EnableNodeCliInspectArguments, false],
      [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
      [FuseV1Options.EnableCookieEncryption, true],
      [FuseV1Options.OnlyLoadAppFromAsar, true],
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, false],
    ];
    for (const [fuse, value] of expected) expect(wire[fuse], FuseV1Options[fuse]).toBe(value);
    // A fuse added in a later Electron must be decided here, not left to its default.
    for (const fuse of ALL_FUSES) expect(typeof wire[fuse], `${FuseV1Options[fuse]} is not set in electron.config.ts`).toBe('boolean');
    expect(expected.map(([fuse]) => fuse).sort()).toEqual([...ALL_FUSES].sort());
  });

  it('the fuses land in the binary: flipped by @electron/fuses in a stand-in Electron, read back', async () => {
    // A stand-in for the Electron executable: just its fuse wire (sentinel, version 1, length,
    // then one byte per fuse) at Electron's defaults, between unrelated bytes.
    const defaults = ALL_FUSES.map((fuse) =>
      fuse === FuseV1Options.RunAsNode ||
      fuse === FuseV1Options.EnableNodeOptionsEnvironmentVariable ||
      fuse === FuseV1Options.EnableNodeCliInspectArguments ||
      fuse === FuseV1Options.GrantFileProtocolExtraPrivileges
        ? ON
        : OFF,
    );
    const binary = Buffer.concat([
      Buffer.from('\x7fELF not really'),
      Buffer.from(SENTINEL),
      Buffer.from([1, ALL_FUSES.length, ...defaults]),
      Buffer.from('rest of the binary'),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'nnstudio-fuses-'));
    try {
      const file = join(dir, 'nnstudio');
      writeFileSync(file, binary);
      const wire = await builderFuseConfig(config.electronFuses);
      // Strict: @electron/fuses refuses if any fuse of the wire is left undecided.
      await fuses.flipFuses(file, { ...(wire as object), version: fuses.FuseVersion.V1, strictlyRequireAllFuses: true } as never);
      const flipped = (await fuses.getCurrentFuseWire(file)) as unknown as Record<number, number>;
      expect(flipped[FuseV1Options.RunAsNode]).toBe(OFF);
      expect(flipped[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
      expect(flipped[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
      expect(flipped[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
      expect(flipped[FuseV1Options.EnableCookieEncryption]).toBe(ON);
      expect(flipped[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
      expect(flipped[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
      // And without our configuration the stand-in keeps Electron's dangerous defaults.
      writeFileSync(file, binary);
      expect(((await fuses.getCurrentFuseWire(file)) as unknown as Record<number, number>)[FuseV1Options.RunAsNode]).toBe(ON);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    // The thread entries are unpacked from the archive and must be the files spawn.ts starts.
    const spawn = readFileSync(`${root}src-main/training/spawn.ts`, 'utf8');
    expect(spawn).toContain('new URL(`./${entry}.mjs`, import.meta.url)');
    for (const entry of ['worker', 'product-helper']) {
      expect(build).toContain(`entryPoints: [\`\${root}src-main/training/${entry}.ts\`], outfile: \`\${root}dist/main/${entry}.mjs\``);
      expect(config.asarUnpack).toContain(`dist/main/${entry}.mjs`);
      expect(spawn).toContain(`'${entry}'`);
    }
    expect(config.asarUnpack).toHaveLength(2);
  });
});
