/**
 * Writes docs/nnproj.schema.json and docs/nnlesson.schema.json from the zod schemas the loader uses, so the published JSON
 * Schema never drifts from what NN Studio accepts. `npm run schema`; a test checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lessonJsonSchema, projectJsonSchema } from '../src-main/files/json-schema';

for (const [file, text] of [
  ['nnproj.schema.json', projectJsonSchema()],
  ['nnlesson.schema.json', lessonJsonSchema()],
] as const) {
  const target = fileURLToPath(new URL(`../docs/${file}`, import.meta.url));
  writeFileSync(target, text);
  console.log(`Wrote ${target}`);
}
