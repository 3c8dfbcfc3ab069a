/**
 * The published lesson schema is what the loader's zod schema generates, names every check, and
 * the built-in lessons point their editors at it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_KINDS, COURSE_FILES } from '../engine/src/index';
import { lessonJsonSchema } from '../src-main/files/json-schema';

describe('the published lesson schema', () => {
  const published = readFileSync(new URL('../docs/nnlesson.schema.json', import.meta.url), 'utf8');

  it('docs/nnlesson.schema.json is what the loader’s schema generates (run `npm run schema` after changing it)', () => {
    expect(published).toBe(lessonJsonSchema());
    expect(JSON.parse(published).required).toEqual(expect.arrayContaining(['format', 'version', 'id', 'title', 'start', 'steps']));
  });

  it('lists every kind of check a task may run, and the docs describe each', () => {
    const kinds = [...published.matchAll(/"kind":\s*\{\s*"type":\s*"string",\s*"const":\s*"(\w+)"/g)].map((m) => m[1]);
    expect(kinds.sort()).toEqual([...CHECK_KINDS].sort());
    const docs = readFileSync(new URL('../docs/nnlesson-format.md', import.meta.url), 'utf8');
    for (const kind of CHECK_KINDS) expect(docs, kind).toContain(`\`${kind}\``);
  });

  it('the built-in lessons name it as their $schema, as a teacher’s may', () => {
    for (const { file, value } of COURSE_FILES)
      expect((value as { $schema?: string }).$schema, file).toBe('../../../../docs/nnlesson.schema.json');
  });
});
