#!/usr/bin/env node
// `npm run preview:web`: serves dist/web as a plain static web server would: files and their
// content types, no other headers (no policy, no isolation headers), so that what works here
// works on any static host. Options: --port N (default 4173; 0 for a free one), --dir DIR.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

let values;
try {
  ({ values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } }, strict: true }));
} catch (error) {
  console.error(`preview:web: ${error.message.split('\n')[0]}`);
  process.exit(2);
}
const port = values.port === undefined ? 4173 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`preview:web: --port needs a port number (0 to 65535), got '${values.port}'.`);
  process.exit(2);
}
const dir = resolve(values.dir ?? join(root, 'dist/web'));
try {
  await stat(join(dir, 'index.html'));
} catch {
  console.error(`preview:web: ${dir} has no index.html; run \`npm run build:web\` first.`);
  process.exit(1);
}

const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
  if (file !== dir && !file.startsWith(dir + sep)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`NN Studio's web edition is served at http://127.0.0.1:${server.address().port}/ (from ${dir}). Press Ctrl-C to stop.`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
