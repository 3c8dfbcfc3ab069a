import { openSession, projectFromSession, type Project } from '../../engine/src/index';

/**
 * The project after a few epochs of training where it can be trained, so that exported weights
 * are not the initial ones; a hand-set multilayer perceptron network (no learning rule) as it is.
 */
export function trained(project: Project, epochs: number): Project {
  try {
    const session = openSession(project, 'train');
    session.trainer.run({ epochs });
    return projectFromSession(project, session);
  } catch {
    return project;
  }
}
