import {
  bindData,
  compileOrThrow,
  createRng,
  datasetFromRows,
  initialiseParameters,
  type BoundData,
  type CompiledModel,
  type Graph,
} from '../../engine/src/index';

/** 784-style wide network, scaled down: inputs → dense relu → dense softmax. */
export function wideNetwork(features: number, hidden: number, classes: number): Graph {
  return {
    nodes: [
      ...Array.from({ length: features }, (_, f) => ({ id: `x${f}`, kind: 'input' as const, feature: `x${f}` })),
      { id: 'h', kind: 'dense', units: hidden, activation: 'relu', bias: new Array(hidden).fill(0) },
      {
        id: 'y',
        kind: 'dense',
        units: classes,
        activation: 'softmax',
        bias: new Array(classes).fill(0),
        output: { targets: Array.from({ length: classes }, (_, k) => `c${k}`) },
      },
    ],
    edges: [
      ...Array.from({ length: features }, (_, f) => ({
        id: `x${f}->h`,
        source: `x${f}`,
        target: 'h',
        weight: Array.from({ length: hidden }, () => [0]),
      })),
      { id: 'h->y', source: 'h', target: 'y', weight: Array.from({ length: classes }, () => new Array(hidden).fill(0)) },
    ],
  };
}

/**
 * {@link wideNetwork} compiled, He-initialised, on `rows` random samples whose class is the
 * largest of the first `classes` features (so there is something to learn).
 */
export function wideProblem(options: {
  features: number;
  hidden: number;
  classes: number;
  rows: number;
  dataSeed: number;
  initSeed: number;
}): { model: CompiledModel; params: Float64Array; data: BoundData } {
  const { features, hidden, classes } = options;
  const model = compileOrThrow(wideNetwork(features, hidden, classes));
  const rng = createRng(options.dataSeed);
  const rows = Array.from({ length: options.rows }, () => {
    const x = Array.from({ length: features }, () => rng.next());
    let best = 0;
    for (let k = 1; k < classes; k++) if (x[k] > x[best]) best = k;
    return [...x, ...Array.from({ length: classes }, (_, k) => (k === best ? 1 : 0))];
  });
  const data = bindData(model, datasetFromRows(model.features, model.targets, rows));
  return { model, params: initialiseParameters(model, { method: 'he', seed: options.initSeed }), data };
}
