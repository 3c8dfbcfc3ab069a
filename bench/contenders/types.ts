/** What each contender provides to the benchmark. */
import type { Workload, WorkloadData } from '../workloads';

export interface Prepared {
  /** Puts the initial weights back (not timed). */
  reset(): Promise<void> | void;
  /** Trains one run: the workload's epochs over `data` (timed). */
  run(): Promise<void> | void;
  /** Mean loss over the training data after the last run (not timed). */
  finalLoss(): Promise<number> | number;
  /** Samples one run trains on (a contender may use a subset; noted in the table). */
  samplesPerRun: number;
  /** Anything a reader must know to compare fairly. */
  notes: string[];
  /** Whether it trains the workload's model exactly (so its final loss must match the reference's); true if absent. */
  comparable?: boolean;
  /** The number format it trains in. */
  precision: 'float32' | 'float64';
  /** Trains exactly `epochs` epochs (the heap check uses it). */
  runEpochs?(epochs: number): void;
  /** Extra facts for the JSON report (e.g. which engine kernel ran). */
  details?(): Record<string, unknown>;
}

export interface Contender {
  name: string;
  prepare(workload: Workload, data: WorkloadData, initial: { w: Float64Array; b: Float64Array }[]): Promise<Prepared>;
}
