import { describe, expect, it } from 'vitest';
import { findExample } from '../project/examples';
import { networkForData } from '../project/network-for-data';
import { openSession, projectFromSession } from '../project/session';
import type { Project } from '../project/schema';
import { runCheck, truthTableOf, type Check, type CheckContext } from './checks';
import { builtinCourse, COURSE_FILES } from './course';
import { applyProjectChanges, lessonFromValue, parseLesson, startProjectOf, type Lesson } from './lesson-format';

/** A context around a project, as the window would have it with nothing else going on. */
function contextOf(project: Project, overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    project,
    start: project,
    training: { state: 'idle', message: null, history: [] },
    inspector: { open: false, phase: null, unit: null, phasesSeen: [] },
    quiz: { asked: 0, right: 0, byQuantity: {} },
    coach: [],
    runs: [],
    ...overrides,
  };
}

const example = (name: string) => findExample(name)!.create();

/** Trains a project as its hyperparameters say, to its stop. */
function trained(project: Project): { project: Project; message: string | null } {
  const session = openSession(project, 'train');
  const result = session.trainer.run();
  return { project: projectFromSession(project, session), message: result.message };
}

function lesson(id: string): Lesson {
  return builtinCourse().find((l) => l.id === id)!;
}

function startOf(id: string): Project {
  const start = startProjectOf(lesson(id));
  if ('problem' in start) throw new Error(start.problem);
  return start.project;
}

/** The project after a step's solution, as "Show solution" applies it. */
function solved(project: Project, id: string, step: number): Project {
  const solution = lesson(id).steps[step].solution!;
  if (solution.example) return example(solution.example);
  const changed = applyProjectChanges(project, solution.changes!);
  if ('problem' in changed) throw new Error(changed.problem);
  return changed.project;
}

describe('the built-in course', () => {
  it('has the eight lessons of the lecture, in its order, each read by the parser a teacher’s file goes through', () => {
    expect(COURSE_FILES).toHaveLength(8);
    for (const { file, value } of COURSE_FILES) {
      const loaded = lessonFromValue(value, file);
      expect(loaded.ok ? 'ok' : loaded.message, file).toBe('ok');
      // The same text through the file parser gives the same lesson.
      const reread = parseLesson(JSON.stringify(value), file);
      expect(reread.ok && loaded.ok && reread.lesson).toEqual(loaded.ok && loaded.lesson);
    }
    expect(builtinCourse().map((l) => l.id)).toEqual([
      'logistic-regression',
      'perceptron-or-and',
      'perceptron-rule',
      'xor-one-perceptron',
      'xor-from-or-and',
      'xor-sigmoid',
      'backprop-321',
      'hyperparameters',
    ]);
  });

  it('lesson 2: the zeroed perceptron holds neither table; the solutions hold OR, then AND', () => {
    const start = startOf('perceptron-or-and');
    expect(truthTableOf(start)).toBe('0000');
    const [or, and] = lesson('perceptron-or-and').steps.map((s) => s.tasks[0].check);
    expect(runCheck(or, contextOf(start))).toEqual({ done: false, detail: 'The network’s truth table is 0000; the task asks for 0111.' });
    const afterOr = solved(start, 'perceptron-or-and', 0);
    expect(runCheck(or, contextOf(afterOr)).done).toBe(true);
    expect(runCheck(and, contextOf(afterOr)).done).toBe(false);
    expect(runCheck(and, contextOf(solved(afterOr, 'perceptron-or-and', 1))).done).toBe(true);
  });

  it('lesson 3: the perceptron rule learns OR from the lesson’s start and stops by itself', () => {
    const start = startOf('perceptron-rule');
    const [stopped, accuracy] = lesson('perceptron-rule').steps[0].tasks.map((t) => t.check);
    expect(runCheck(accuracy, contextOf(start)).done).toBe(false);
    const run = trained(start);
    const context = contextOf(run.project, { training: { state: 'stopped', message: run.message, history: run.project.training.history } });
    expect(runCheck(stopped, context).done).toBe(true);
    expect(runCheck(accuracy, context).done).toBe(true);
  });

  it('lesson 4: a single perceptron on XOR runs to its maximum of epochs and never reaches 100%', () => {
    const start = startOf('xor-one-perceptron');
    expect(start.graph.nodes).toEqual([]);
    const networkTask = lesson('xor-one-perceptron').steps[0].tasks[0].check;
    expect(runCheck(networkTask, contextOf(start)).done).toBe(false);
    // What the student draws: the lecture's OR perceptron's shape on XOR's data and the lesson's settings.
    const drawn: Project = { ...start, graph: example('or-perceptron').graph };
    expect(runCheck(networkTask, contextOf(drawn)).done).toBe(true);
    const run = trained(drawn);
    expect(run.message).toMatch(/maximum of 100 epochs/);
    const stopTask = lesson('xor-one-perceptron').steps[1].tasks[0].check;
    expect(runCheck(stopTask, contextOf(run.project, { training: { state: 'stopped', message: run.message, history: [] } })).done).toBe(
      true,
    );
    expect(runCheck({ kind: 'accuracy', atLeast: 1, split: 'train' }, contextOf(run.project)).done).toBe(false);
  });

  it('lesson 5: changing a second-layer weight in step 1 is named; the solutions give XOR’s table', () => {
    const start = startOf('xor-from-or-and');
    const [onlyFirst] = lesson('xor-from-or-and').steps[0].tasks.map((t) => t.check);
    const firstLayer = solved(start, 'xor-from-or-and', 0);
    expect(runCheck(onlyFirst, contextOf(firstLayer, { start })).done).toBe(true);
    const tooMuch = applyProjectChanges(firstLayer, { weights: { 'y1->out': 1 } });
    if ('problem' in tooMuch) throw new Error(tooMuch.problem);
    expect(runCheck(onlyFirst, contextOf(tooMuch.project, { start }))).toEqual({
      done: false,
      detail:
        'You changed w(out←y1) as well; the task allows only w(y1←x1), w(y1←x2), w(y2←x1), w(y2←x2), the bias of y1 and the bias of y2.',
    });
    const table = lesson('xor-from-or-and').steps[1].tasks[0].check;
    expect(runCheck(table, contextOf(firstLayer)).done).toBe(false);
    expect(runCheck(table, contextOf(solved(firstLayer, 'xor-from-or-and', 1))).done).toBe(true);
  });

  it('lesson 6: a 2-2-1 sigmoid network built for the data trains to 100% on XOR with the lesson’s settings, for most seeds', () => {
    const start = startOf('xor-sigmoid');
    const [shape] = lesson('xor-sigmoid').steps[0].tasks.map((t) => t.check);
    const [accuracy] = lesson('xor-sigmoid').steps[1].tasks.map((t) => t.check);
    let learnt = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const seeded = { ...start, hyperparameters: { ...start.hyperparameters, init: { ...start.hyperparameters.init, seed } } };
      const built = networkForData(seeded, { hidden: [{ units: 2, activation: 'sigmoid' }] });
      expect(runCheck(shape, contextOf(built)).done).toBe(true);
      if (runCheck(accuracy, contextOf(trained(built).project)).done) learnt++;
    }
    // About one start in five leaves a 2-2-1 network in a local minimum (measured over 40 seeds: 32 learn); the lesson’s hint says to Reset.
    expect(learnt).toBeGreaterThanOrEqual(7);
  });

  it('every lesson starts: its project loads, and its solutions apply to it', () => {
    for (const l of builtinCourse()) {
      const start = startProjectOf(l);
      expect('problem' in start ? start.problem : 'ok', l.id).toBe('ok');
    }
  });
});

describe('each check', () => {
  const xor = example('xor-sigmoid');
  it('network: counts units (a dense layer by its units) and names what differs', () => {
    expect(runCheck({ kind: 'network', inputs: 2, hidden: 2, outputs: 1 }, contextOf(xor)).done).toBe(true);
    expect(runCheck({ kind: 'network', hidden: 3 }, contextOf(xor))).toEqual({
      done: false,
      detail: 'The network has 2 hidden units (the task asks for 3).',
    });
    expect(runCheck({ kind: 'network', hidden: 16 + 16 }, contextOf(example('spiral'))).done).toBe(true);
    expect(runCheck({ kind: 'network', outputActivation: 'tanh' }, contextOf(xor)).detail).toBe(
      'The network has output activation sigmoid (the task asks for tanh).',
    );
  });

  it('accuracy and loss: the current weights on the chosen split', () => {
    const or = example('or-perceptron');
    expect(runCheck({ kind: 'accuracy', atLeast: 1, split: 'train' }, contextOf(or))).toEqual({
      done: true,
      detail: 'Accuracy on train is 100.0%; the task asks for 100.0%.',
    });
    expect(runCheck({ kind: 'accuracy', atLeast: 0.8, split: 'train' }, contextOf(example('and-perceptron'))).done).toBe(true);
    // XOR's untrained network says 1 everywhere: half right.
    expect(runCheck({ kind: 'accuracy', atLeast: 0.75, split: 'train' }, contextOf(xor)).detail).toBe(
      'Accuracy on train is 50.0%; the task asks for 75.0%.',
    );
    expect(runCheck({ kind: 'loss', atMost: 0.2, split: 'train' }, contextOf(xor)).done).toBe(true);
    expect(runCheck({ kind: 'loss', atMost: 0.01, split: 'train' }, contextOf(xor)).done).toBe(false);
    expect(runCheck({ kind: 'accuracy', atLeast: 0.5, split: 'test' }, contextOf(xor))).toEqual({
      done: false,
      detail: 'The test split has no samples.',
    });
  });

  it('truthTable: a network that does not run on the data is "not yet", with the reason', () => {
    const broken: Project = { ...xor, graph: { ...xor.graph, edges: xor.graph.edges.filter((e) => e.target !== 'y') } };
    const result = runCheck({ kind: 'truthTable', table: '0110' }, contextOf(broken));
    expect(result.done).toBe(false);
    expect(result.detail).toMatch(/^Not yet: the network does not compile/);
  });

  it('setting: equals and ranges, by path', () => {
    const check = (c: Check) => runCheck(c, contextOf(xor)).done;
    expect(check({ kind: 'setting', path: 'hyperparameters.learningRate', equals: 0.5 })).toBe(true);
    expect(check({ kind: 'setting', path: 'hyperparameters.learningRate', atLeast: 1 })).toBe(false);
    expect(check({ kind: 'setting', path: 'hyperparameters.momentum', atLeast: 0.5, atMost: 0.95 })).toBe(true);
    expect(check({ kind: 'setting', path: 'dataset.name', equals: 'xor' })).toBe(true);
    expect(check({ kind: 'setting', path: 'normalisation.method', equals: 'standardise' })).toBe(false);
  });

  it('trained: epochs, a stop, and the stop message’s phrase', () => {
    const run = trained({ ...xor, hyperparameters: { ...xor.hyperparameters, maxEpochs: 5 } });
    const stopped = contextOf(run.project, { training: { state: 'stopped', message: run.message, history: [] } });
    expect(runCheck({ kind: 'trained', epochsAtLeast: 5, stopped: true, messageIncludes: 'maximum' }, stopped).done).toBe(true);
    expect(runCheck({ kind: 'trained', epochsAtLeast: 6, stopped: false }, stopped).done).toBe(false);
    expect(runCheck({ kind: 'trained', epochsAtLeast: 1, stopped: true, messageIncludes: 'target' }, stopped).done).toBe(false);
    expect(runCheck({ kind: 'trained', epochsAtLeast: 1, stopped: true }, contextOf(run.project)).done).toBe(false);
  });

  it('inspected, quiz, coach and runsCompared read the window’s state', () => {
    const inspector = { open: true, phase: 'backward' as const, unit: 'h1', phasesSeen: ['forward', 'backward'] };
    expect(runCheck({ kind: 'inspected', phase: 'backward' }, contextOf(xor, { inspector })).done).toBe(true);
    expect(runCheck({ kind: 'inspected', phase: 'update' }, contextOf(xor, { inspector })).done).toBe(false);
    expect(runCheck({ kind: 'inspected', unit: 'y' }, contextOf(xor, { inspector })).done).toBe(false);
    expect(runCheck({ kind: 'inspected' }, contextOf(xor)).done).toBe(false);

    const quiz = { asked: 3, right: 2, byQuantity: { s: { asked: 1, right: 1 }, delta: { asked: 2, right: 1 } } };
    expect(runCheck({ kind: 'quiz', right: 2 }, contextOf(xor, { quiz })).done).toBe(true);
    expect(runCheck({ kind: 'quiz', right: 2, quantity: 'delta' }, contextOf(xor, { quiz }))).toEqual({
      done: false,
      detail: '1 of 2 answered right (delta); the task asks for 2.',
    });
    expect(runCheck({ kind: 'quiz', right: 1, quantity: 'gradient' }, contextOf(xor, { quiz })).done).toBe(false);

    expect(runCheck({ kind: 'coach', diagnosis: 'plateau' }, contextOf(xor, { coach: ['plateau'] })).done).toBe(true);
    expect(runCheck({ kind: 'coach', diagnosis: 'plateau' }, contextOf(xor, { coach: ['divergence'] })).done).toBe(false);

    const withRate = (learningRate: number) => ({ hyperparameters: { ...xor.hyperparameters, learningRate }, finalLoss: 0.1 });
    const runs = [withRate(0.1), withRate(1), withRate(1)];
    const compared = { kind: 'runsCompared', setting: 'hyperparameters.learningRate', distinct: 3 } as const;
    expect(runCheck(compared, contextOf(xor, { runs })).done).toBe(false);
    expect(runCheck(compared, contextOf(xor, { runs: [...runs, withRate(10)] })).done).toBe(true);
  });
});

describe('a teacher’s lesson file', () => {
  const minimal = {
    format: 'nnstudio-lesson',
    version: 1,
    id: 'my-lesson',
    title: 'Mine',
    summary: 'A lesson of my own.',
    start: { example: 'or-perceptron' },
    steps: [{ title: 'One', text: 'Do it.', tasks: [{ id: 't1', text: 'OR', check: { kind: 'truthTable', table: '0111' } }] }],
  };
  const read = (value: unknown) => {
    const loaded = parseLesson(JSON.stringify(value), 'mine.nnlesson');
    return loaded.ok ? 'ok' : loaded.message;
  };

  it('opens when it is well formed, with defaults for what it leaves out', () => {
    const loaded = parseLesson(JSON.stringify(minimal));
    expect(loaded.ok && loaded.lesson.steps[0].hints).toEqual([]);
  });

  it('changes only the settings it names: a step that sets η leaves the precision as the project has it', () => {
    const lesson = {
      ...minimal,
      steps: [{ ...minimal.steps[0], solution: { text: 'Lower η.', changes: { hyperparameters: { learningRate: 0.1 } } } }],
    };
    const loaded = parseLesson(JSON.stringify(lesson));
    if (!loaded.ok) throw new Error(loaded.message);
    const changes = loaded.lesson.steps[0].solution!.changes!;
    expect(changes.hyperparameters).toEqual({ learningRate: 0.1 });
    const project = findExample('or-perceptron')!.create();
    const fast = { ...project, hyperparameters: { ...project.hyperparameters, precision: 'fast' as const } };
    const changed = applyProjectChanges(fast, changes);
    if (!('project' in changed)) throw new Error(changed.problem);
    expect(changed.project.hyperparameters.precision).toBe('fast');
    expect(changed.project.hyperparameters.learningRate).toBe(0.1);
  });

  it('is refused in one sentence naming the file and the place, for every kind of fault', () => {
    expect(parseLesson('{"format": ', 'mine.nnlesson')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^mine\.nnlesson: the file is not valid JSON/),
    });
    expect(read([1, 2])).toBe('mine.nnlesson: the file does not hold a lesson (a JSON object).');
    expect(read({ ...minimal, format: 'nnstudio-project' })).toBe(
      'mine.nnlesson: this is not an NN Studio lesson (its "format" is "nnstudio-project"; a lesson says "nnstudio-lesson").',
    );
    expect(read({ ...minimal, version: 7 })).toBe(
      'mine.nnlesson: the lesson is format version 7, newer than this NN Studio reads (1); update NN Studio to open it.',
    );
    const badCheck = { ...minimal, steps: [{ ...minimal.steps[0], tasks: [{ id: 't1', text: 'x', check: { kind: 'mindReading' } }] }] };
    expect(read(badCheck)).toMatch(/^mine\.nnlesson: steps\[0\]\.tasks\[0\]\.check\.kind: /);
    const badTable = {
      ...minimal,
      steps: [{ ...minimal.steps[0], tasks: [{ id: 't1', text: 'x', check: { kind: 'truthTable', table: '01x1' } }] }],
    };
    expect(read(badTable)).toBe('mine.nnlesson: steps[0].tasks[0].check.table: must be a string of 0s and 1s.');
    const twice = { ...minimal, steps: [minimal.steps[0], minimal.steps[0]] };
    expect(read(twice)).toBe("mine.nnlesson: steps[1].tasks[0].id: is used twice ('t1').");
    expect(read({ ...minimal, start: { example: 'no-such' } })).toBe("mine.nnlesson: start.example: there is no example 'no-such'.");
    expect(read({ ...minimal, start: { example: 'or-perceptron', changes: { weights: { 'x9->y': 1 } } } })).toBe(
      "mine.nnlesson: start.changes: there is no edge 'x9->y' in the project.",
    );
    expect(read({ ...minimal, start: { example: 'or-perceptron', changes: { weights: { 'x1->y': [[1, 2]] } } } })).toBe(
      'mine.nnlesson: start.changes: the weight of x1->y is one number, not 1×2.',
    );
    expect(read({ ...minimal, start: { project: { format: 'nnstudio-project', version: 3 } } })).toMatch(
      /^mine\.nnlesson: start\.project: /,
    );
    const badSolution = { ...minimal, steps: [{ ...minimal.steps[0], solution: { text: 'x', example: 'nope' } }] };
    expect(read(badSolution)).toBe("mine.nnlesson: steps[0].solution.example: there is no example 'nope'.");
    expect(read({ ...minimal, id: 'Has Spaces' })).toBe('mine.nnlesson: id: must be lowercase letters, digits and dashes (at most 80).');
  });

  it('may start from a project of its own, as a saved .nnproj holds it', () => {
    const project = example('three-two-one');
    const loaded = parseLesson(JSON.stringify({ ...minimal, start: { project } }));
    expect(loaded.ok).toBe(true);
    const start = loaded.ok && startProjectOf(loaded.lesson);
    expect(start && 'project' in start && start.project.graph).toEqual(project.graph);
  });
});
