#!/usr/bin/env node
// `npm run build:web`: the static web edition, into dist/web (see src-web/README.md).
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');
await build({ configFile: `${root}src-web/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });
if (!quiet) console.log('Built the web edition into dist/web: serve that folder from any static web server (npm run preview:web).');
