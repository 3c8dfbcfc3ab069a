import type { Graph } from '../../engine/src/index';

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
