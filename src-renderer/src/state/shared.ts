/**
 * What the store's slices share: the type of a slice's creator, the store fields a history
 * implies, the compiled model of the current graph, and an error as the store shows it. Holds no
 * state of its own but the compiled model's cache.
 */
import type { StateCreator, StoreApi } from 'zustand';
import { compileGraph, type CompiledModel, type Project } from '../../../engine/src/index';
import { isDirty, type History } from '../document/history';
import type { StudioState } from './store';

/** A slice of the store: it creates its part, and reads and sets the whole. */
export type SliceOf<Slice> = StateCreator<StudioState, [], [], Slice>;

/** The store's `set`, for helpers a slice hands it to. */
export type SetStudio = StoreApi<StudioState>['setState'];

/** The store's `get`, for helpers a slice hands it to. */
export type GetStudio = StoreApi<StudioState>['getState'];

/** The store fields that follow from a history. */
export function documentState(history: History | null) {
  return { history, project: history?.present ?? null, dirty: history ? isDirty(history) : false };
}

/** The error field that shows `error` (its message; anything else as text). */
export function failure(error: unknown): Pick<StudioState, 'error'> {
  return { error: error instanceof Error ? error.message : String(error) };
}

/** The compiled model of the current graph, cached by graph identity. */
let compiledFor: { graph: Project['graph']; model: CompiledModel | null } | null = null;

/** The compiled model of the project's graph (null if it does not compile), cached by graph identity. */
export function modelOf(project: Project): CompiledModel | null {
  if (compiledFor?.graph !== project.graph) {
    const result = compileGraph(project.graph);
    compiledFor = { graph: project.graph, model: result.ok ? result.model : null };
  }
  return compiledFor.model;
}

/** Records `model` as the compiled model of `graph`: new weights on the same structure need no compiling. */
export function rememberModel(graph: Project['graph'], model: CompiledModel): void {
  compiledFor = { graph, model };
}
