import { defineConfig } from '@playwright/test';

/**
 * Journeys that run against the static web edition too: every journey that does not go through
 * the browser host's workspace folder (projects, resume, runs and layout read and write files
 * there, or use its in-app picker; the web edition's own files are web-files.spec.ts).
 * web-*.spec.ts are the web edition's own (its files, recovery, offline, updates).
 */
const WEB_JOURNEYS = [
  'a11y',
  'backprop',
  'canvas-keyboard',
  'coach',
  'csv-binary',
  'csv-to-trained',
  'data',
  'digits',
  'edge-labels',
  'editor',
  'export',
  'fields',
  'help',
  'hints',
  'input-layer',
  'lessons-1',
  'lessons-2',
  'minimap',
  'palette',
  'quiz',
  'share-link',
  'training',
  'web-files',
  'web-offline',
];

/**
 * End-to-end journeys in Debian's Chromium against two editions, which global-setup.ts builds
 * and starts on free ports (and stops afterwards): `host`, the browser host (every journey), and
 * `web`, the static web edition from a plain static server (the journeys above).
 */
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  globalSetup: './global-setup.ts',
  outputDir: '../test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  projects: [
    { name: 'host', testIgnore: /web-[^/]*\.spec\.ts$/ },
    { name: 'web', testMatch: new RegExp(`(^|/)(${WEB_JOURNEYS.join('|')})\\.spec\\.ts$`) },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Without the background-networking flags Chromium keeps trying (and failing) to reach
      // Google's services on a machine with no internet.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
