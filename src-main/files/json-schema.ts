/**
 * The .nnproj and .nnlesson formats as JSON Schemas (draft 2020-12), generated from the engine's zod schemas.
 */
import { z } from 'zod';
import { LESSON_VERSION, LessonSchema, PROJECT_VERSION, ProjectFileInputSchema } from '../../engine/src/index';

/** The published JSON Schema text for the current format version. */
export function projectJsonSchema(): string {
  const schema = z.toJSONSchema(ProjectFileInputSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
  const document = {
    $id: `https://nnstudio.org/schema/nnproj-v${PROJECT_VERSION}.json`,
    title: `NN Studio project (.nnproj), format version ${PROJECT_VERSION}`,
    description:
      'Generated from engine/src/project/schema.ts by `npm run schema`. Checks the loader makes beyond this schema ' +
      '(unique ids, edges between existing nodes, weight and bias shapes, total size) are listed in docs/nnproj-format.md.',
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The published JSON Schema of the lesson format (`.nnlesson`), for teachers' editors: with
 * `"$schema"` pointing at it, an editor completes and checks a lesson as it is written.
 */
export function lessonJsonSchema(): string {
  const schema = z.toJSONSchema(LessonSchema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  const document = {
    $id: `https://nnstudio.org/schema/nnlesson-v${LESSON_VERSION}.json`,
    title: `NN Studio lesson (.nnlesson), format version ${LESSON_VERSION}`,
    description:
      'Generated from engine/src/lessons/lesson-format.ts and checks.ts by `npm run schema`. Checks the loader makes beyond ' +
      'this schema (unique task ids, the examples and edges a lesson names exist, a starting project that loads) are listed in docs/nnlesson-format.md.',
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
