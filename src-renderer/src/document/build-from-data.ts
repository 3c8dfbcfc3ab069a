/**
 * The "build from the data" edits as document commands: inputs for the data's features, outputs
 * for its targets, and a whole new network — each one undoable edit, refused with the engine's
 * sentence when there is nothing to build.
 */
import { inputsFromData, networkForData, outputsForTargets, type NetworkPlan, type Project } from '../../../engine/src/index';
import type { Command, CommandResult } from './commands';

/** Runs a builder; its RangeError (nothing to add, a plan it cannot build) becomes the refusal. */
function attempt(build: () => Project): CommandResult {
  try {
    return { ok: true, project: build() };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Inputs for every feature no input reads yet. */
export const addInputsFromData: Command = { label: 'Inputs from data', apply: (project) => attempt(() => inputsFromData(project)) };

/** The outputs the targets call for that no output predicts yet, and the loss they call for. */
export const addOutputsForTargets: Command = {
  label: 'Outputs for targets',
  apply: (project) => attempt(() => outputsForTargets(project)),
};

/** A whole network for the data, replacing the graph (undoable, as every edit). */
export function newNetworkForData(plan: NetworkPlan): Command {
  return { label: 'New network for this data', apply: (project) => attempt(() => networkForData(project, plan)) };
}
