/**
 * The handlers every host answers alike, whatever it stores files in: the examples, a dropped
 * file's text, and training (through a {@link TrainingController}, whose worker is a Node thread
 * or a Web Worker). Each host spreads these into its own {@link Handlers}.
 */
import { EXAMPLES, ResumeStateSchema, findExample, initialiseProjectWeights, parseProject, type Project } from '../../engine/src/index';
import { projectNameFromPath } from '../../engine/src/project/file-name';
import type { Handlers } from './dispatch';
import type { TrainingController } from './training-controller';
import { UserError } from './user-error';

/** The project under `name` (the very same object when it already has it). */
export function named(project: Project, name: string): Project {
  return project.name === name ? project : { ...project, name };
}

type Shared =
  | 'examples:list'
  | 'examples:create'
  | 'project:open-content'
  | 'training:start'
  | 'training:pause'
  | 'training:resume'
  | 'training:step'
  | 'training:stop'
  | 'training:configure'
  | 'training:speed'
  | 'training:snapshot'
  | 'training:reset';

/** The handlers that do not depend on where files live. */
export function sharedHandlers(training: TrainingController): Pick<Handlers, Shared> {
  return {
    'examples:list': async () => EXAMPLES.map(({ name, title, description, expected }) => ({ name, title, description, expected })),
    'examples:create': async ({ name }) => {
      const example = findExample(name);
      if (!example) throw new UserError(`There is no example '${name}'.`);
      return example.create();
    },
    'project:open-content': async ({ name, text }) => {
      const result = parseProject(text);
      if (!result.ok) throw new UserError(`${name}: ${result.error.message}`);
      return { project: named(result.project, projectNameFromPath(name, result.project.name)), migratedFrom: result.migratedFrom };
    },
    'training:start': async ({ project, session }) => training.start(project, session),
    'training:pause': async () => {
      training.pause();
      return { paused: true };
    },
    'training:resume': async () => {
      training.resume();
      return { running: true };
    },
    'training:step': async ({ unit, project, session }) => {
      const { notices } = await training.step(unit, project, session);
      return { ok: true as const, notices };
    },
    'training:stop': async () => {
      training.stop();
      return { stopped: true };
    },
    'training:configure': async ({ hyperparameters }) => ({ sent: training.configure(hyperparameters) }),
    'training:speed': async ({ stepsPerSecond }) => {
      training.setSpeed(stepsPerSecond);
      return {};
    },
    'training:snapshot': async ({ since }) => {
      const state = await training.snapshot(since);
      // A diverged run's memory is no use to trace from or to save (and JSON has no NaN): no snapshot then.
      if (
        !state ||
        !state.optimiser.slots.every((slot) => slot.every(Number.isFinite)) ||
        !state.weights.every(Number.isFinite) ||
        !ResumeStateSchema.safeParse(state.resume).success
      )
        return null;
      const optimiser = {
        kind: state.optimiser.kind,
        step: state.optimiser.step,
        slots: state.optimiser.slots.map((slot) => Array.from(slot)),
      };
      return { ...state, optimiser, weights: Array.from(state.weights) };
    },
    'training:reset': async ({ project }) => {
      training.stop();
      return { project: initialiseProjectWeights(project) };
    },
  };
}
