/**
 * The engine's hand-written types and the zod schema that validates files say the same thing: a
 * field added to one and not the other fails the type check (`npm run typecheck` checks this file)
 * and this test. `Graph` and `Hyperparameters` stay hand-written for their TSDoc; the schema is
 * what files are held to.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  DEFAULT_HYPERPARAMETERS,
  GraphSchema,
  HyperparametersSchema,
  findExample,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type Hyperparameters,
} from '../engine/src/index';

/** True when A and B are the same type (each assignable to the other, with no `any` in the way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

// Compile-time: these lines fail `tsc` the moment the types drift apart.
export type GraphMatchesSchema = Assert<Equal<z.output<typeof GraphSchema>, Graph>>;
export type NodeMatchesSchema = Assert<Equal<z.output<typeof GraphSchema>['nodes'][number], GraphNode>>;
export type EdgeMatchesSchema = Assert<Equal<z.output<typeof GraphSchema>['edges'][number], GraphEdge>>;
export type HyperparametersMatchSchema = Assert<Equal<z.output<typeof HyperparametersSchema>, Hyperparameters>>;

describe('hand-written types and the file schema', () => {
  it('agree on the graph and the hyperparameters (type level)', () => {
    expectTypeOf<z.output<typeof GraphSchema>>().toEqualTypeOf<Graph>();
    expectTypeOf<z.output<typeof HyperparametersSchema>>().toEqualTypeOf<Hyperparameters>();
  });

  it('agree at run time: what the engine makes, the schema accepts unchanged', () => {
    for (const name of ['xor-sigmoid', 'three-two-one', 'spiral', 'iris', 'xor-perceptron-network']) {
      const project = findExample(name)!.create();
      expect(GraphSchema.parse(project.graph)).toEqual(project.graph);
      expect(HyperparametersSchema.parse(project.hyperparameters)).toEqual(project.hyperparameters);
    }
    expect(HyperparametersSchema.parse(DEFAULT_HYPERPARAMETERS)).toEqual(DEFAULT_HYPERPARAMETERS);
  });
});
