/**
 * The .nnproj format as a JSON Schema (draft 2020-12), generated from the engine's zod schema.
 */
import { z } from 'zod';
import { PROJECT_VERSION, ProjectFileInputSchema } from '../../engine/src/index';

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
