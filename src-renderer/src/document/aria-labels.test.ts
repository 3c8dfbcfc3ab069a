import { describe, expect, it } from 'vitest';
import { compileGraph, findExample } from '../../../engine/src/index';
import { deriveCanvas } from './derive';

describe('what a screen reader calls each unit and edge on the canvas', () => {
  it('names every node and edge of the 3-2-1 example by kind, name, data binding and value', () => {
    const graph = findExample('three-two-one')!.create().graph;
    const { nodes, edges } = deriveCanvas(graph, compileGraph(graph));
    const label = (id: string) => nodes.find((n) => n.id === id)?.ariaLabel;
    expect(label('x1')).toBe('input x1, reads feature x1');
    expect(label('y1')).toBe('sigmoid neuron y1, bias 0.1');
    expect(label('z1')).toBe('sigmoid neuron z1, bias 0.2, output for t');
    const edge = edges.find((e) => e.id === 'x2->y1')!;
    expect(edge.ariaLabel).toBe('weight from x2 to y1: −0.2');
    // Every one distinct: Tab through the network never meets two that sound the same.
    const all = [...nodes, ...edges].map((n) => n.ariaLabel);
    expect(new Set(all).size).toBe(all.length);
  });

  it('says how many weights a layer’s edge holds, their mean, a lock and the problems', () => {
    const graph = {
      nodes: [
        { id: 'in', kind: 'inputLayer' as const, label: 'pixels', features: ['a', 'b'] },
        { id: 'h', kind: 'dense' as const, units: 2, activation: 'relu' as const, bias: [0, 0] },
      ],
      edges: [
        {
          id: 'in->h',
          source: 'in',
          target: 'h',
          weight: [
            [1, 2],
            [3, -2],
          ],
          locked: true,
        },
      ],
    };
    const { nodes, edges } = deriveCanvas(graph, compileGraph(graph));
    expect(nodes[0].ariaLabel).toBe('input layer pixels, 2 features');
    // The compiler's findings about the layer (it feeds nothing and is no output) are counted.
    expect(nodes[1].ariaLabel).toMatch(/^dense layer h of 2 ReLU units; (\d+ problems? and )?\d+ warnings?$/);
    expect(edges[0].ariaLabel).toBe('4 weights from pixels to h, mean 1, locked');
  });
});
