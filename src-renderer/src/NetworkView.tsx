/**
 * A read-only drawing of the network at its saved positions: edges coloured by the sign of the
 * weight and as thick as its magnitude (as TensorFlow Playground draws them), units labelled with
 * their activation. The editable React Flow canvas replaces it with the canvas issue.
 */
import { isComputing, weightMatrix, type Graph } from '../../engine/src/index';
import { formatValue } from './format';

const RADIUS = 26;

export function NetworkView({ graph }: { graph: Graph }) {
  const placed = graph.nodes.map((node, i) => ({ node, x: node.position?.x ?? 200 * i, y: node.position?.y ?? 0 }));
  const at = new Map(placed.map((p) => [p.node.id, p]));
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const minX = Math.min(...xs) - 80;
  const minY = Math.min(...ys) - 60;
  const width = Math.max(...xs) - minX + 80;
  const height = Math.max(...ys) - minY + 60;
  return (
    <svg className="network" viewBox={`${minX} ${minY} ${width} ${height}`} role="img" aria-label="The network">
      {graph.edges.map((edge) => {
        const from = at.get(edge.source);
        const to = at.get(edge.target);
        if (!from || !to) return null;
        const values = weightMatrix(edge).flat();
        const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
        const magnitude = values.reduce((a, b) => a + Math.abs(b), 0) / Math.max(1, values.length);
        return (
          <g key={edge.id}>
            <line
              x1={from.x + RADIUS}
              y1={from.y}
              x2={to.x - RADIUS}
              y2={to.y}
              className={mean >= 0 ? 'edge positive' : 'edge negative'}
              strokeWidth={Math.min(10, 0.8 + 2.2 * magnitude)}
            >
              <title>{`${edge.source} → ${edge.target}: ${values.length === 1 ? formatValue(values[0]) : `${values.length} weights, mean ${formatValue(mean)}`}`}</title>
            </line>
          </g>
        );
      })}
      {placed.map(({ node, x, y }) => (
        <g key={node.id} className={`unit ${node.kind}`} data-testid={`node-${node.id}`}>
          <circle cx={x} cy={y} r={RADIUS} />
          <text x={x} y={y - 3} textAnchor="middle">
            {node.label ?? node.id}
          </text>
          <text x={x} y={y + 12} textAnchor="middle" className="sub">
            {node.kind === 'input' ? 'input' : node.kind === 'bias' ? '1' : isComputing(node) ? `${node.kind === 'dense' ? `${node.units}× ` : ''}${node.activation}` : ''}
          </text>
        </g>
      ))}
    </svg>
  );
}
