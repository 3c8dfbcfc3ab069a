/**
 * Writes docs/nnproj.schema.json from the zod schema the loader uses, so the published JSON
 * Schema never drifts from what NN Studio accepts. `npm run schema`; a test checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { projectJsonSchema } from '../src-main/files/json-schema';

const target = fileURLToPath(new URL('../docs/nnproj.schema.json', import.meta.url));
writeFileSync(target, projectJsonSchema());
console.log(`Wrote ${target}`);
