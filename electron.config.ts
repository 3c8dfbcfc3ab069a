/**
 * electron-builder configuration: Linux (AppImage, deb), Windows (NSIS) and macOS (dmg), with the
 * .nnproj file association and the app icon. Build the app first (`npm run build`), then
 * package with `npx electron-builder --config electron.config.ts --linux` (or --win, --mac).
 * Packaging downloads Electron's binary, so it needs a machine with internet; here, the
 * configuration is validated against electron-builder's own schema (test/packaging.test.ts).
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'org.nnstudio.app',
  productName: 'NN Studio',
  copyright: 'Copyright © 2026 the NN Studio authors',
  directories: { output: 'release', buildResources: 'build' },
  // Only what the packaged app runs: the built main process, preload, worker and renderer.
  files: ['dist/main/**/*', 'dist/renderer/**/*', 'package.json', '!**/*.map'],
  extraMetadata: { main: 'dist/main/main.js' },
  asar: true,
  // Worker threads cannot load from inside the archive (see spawnTrainingWorker).
  asarUnpack: ['dist/main/worker.mjs', 'dist/main/product-helper.mjs'],
  // Fuses are flipped in the packaged Electron binary itself, so no environment variable or flag
  // can turn the app into a plain Node.js (ELECTRON_RUN_AS_NODE), inject code (NODE_OPTIONS) or
  // attach a debugger (--inspect). The app runs only from its archive, checked against the hash
  // electron-builder embeds (macOS, Windows); file:// pages get no extra powers, since the window
  // loads from app:// (src-main/electron/app-protocol.ts). Every fuse is set explicitly, and
  // test/packaging.test.ts fails when Electron adds one we have not decided on.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    grantFileProtocolExtraPrivileges: false,
    // A browser-process-only V8 snapshot is an optimisation the app does not ship.
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  fileAssociations: [
    {
      ext: 'nnproj',
      name: 'NN Studio project',
      description: 'A neural network drawn in NN Studio, with its data, weights and training history',
      mimeType: 'application/x-nnstudio-project',
      role: 'Editor',
      icon: 'build/nnproj',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    icon: 'build/icon.png',
    mimeTypes: ['application/x-nnstudio-project'],
    executableName: 'nnstudio',
  },
  deb: { depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2'] },
  win: { target: ['nsis'], icon: 'build/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.education', icon: 'build/icon.png', hardenedRuntime: true },
  dmg: { title: 'NN Studio' },
};

export default config;
