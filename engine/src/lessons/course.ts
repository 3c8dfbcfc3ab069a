/**
 * The built-in course: the lecture in its order, one lesson file per topic (course/*.nnlesson.json).
 * They are read by the same parser as a teacher's lesson and may use nothing it does not accept.
 */
import logisticRegression from './course/01-logistic-regression.nnlesson.json' with { type: 'json' };
import perceptronOrAnd from './course/02-perceptron-or-and.nnlesson.json' with { type: 'json' };
import perceptronRule from './course/03-perceptron-rule.nnlesson.json' with { type: 'json' };
import xorOnePerceptron from './course/04-xor-one-perceptron.nnlesson.json' with { type: 'json' };
import xorFromOrAnd from './course/05-xor-from-or-and.nnlesson.json' with { type: 'json' };
import xorSigmoid from './course/06-xor-sigmoid.nnlesson.json' with { type: 'json' };
import backprop321 from './course/07-backprop-321.nnlesson.json' with { type: 'json' };
import hyperparameters from './course/08-hyperparameters.nnlesson.json' with { type: 'json' };
import { lessonFromValue, type Lesson } from './lesson-format';

/** The course's files as JSON values, in the lecture's order. */
export const COURSE_FILES: readonly { file: string; value: unknown }[] = [
  { file: '01-logistic-regression.nnlesson.json', value: logisticRegression },
  { file: '02-perceptron-or-and.nnlesson.json', value: perceptronOrAnd },
  { file: '03-perceptron-rule.nnlesson.json', value: perceptronRule },
  { file: '04-xor-one-perceptron.nnlesson.json', value: xorOnePerceptron },
  { file: '05-xor-from-or-and.nnlesson.json', value: xorFromOrAnd },
  { file: '06-xor-sigmoid.nnlesson.json', value: xorSigmoid },
  { file: '07-backprop-321.nnlesson.json', value: backprop321 },
  { file: '08-hyperparameters.nnlesson.json', value: hyperparameters },
];

let course: Lesson[] | null = null;

/**
 * The built-in lessons, parsed. A built-in lesson that does not parse is a bug of ours, caught by
 * the course's tests; should one slip through, it is left out rather than taking the panel down.
 */
export function builtinCourse(): readonly Lesson[] {
  course ??= COURSE_FILES.flatMap(({ file, value }) => {
    const loaded = lessonFromValue(value, file);
    return loaded.ok ? [loaded.lesson] : [];
  });
  return course;
}
