#!/usr/bin/env node
// `npm run build:web`: the static web edition, into dist/web (see src-web/README.md).
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');
try {
  await build({ configFile: `${root}src-web/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });
} catch (error) {
  // A failed build (the bundle over its budget, a syntax error) is one sentence, not a stack.
  const message =
    String(error?.message ?? error)
      .split('\n')
      .find((line) => line.trim() && !/^Build failed with/.test(line)) ?? 'unknown error';
  console.error(`build:web: ${message.replace(/^\[plugin [^\]]+\]\s*/, '').replace(/^Error: /, '')}`);
  process.exit(1);
}
if (!quiet) console.log('Built the web edition into dist/web: serve that folder from any static web server (npm run preview:web).');
