/**
 * The network as an SVG picture for slides and papers, drawn as the canvas draws it: units where
 * the user placed them, edges orange for positive and blue for negative weights (a matrix edge by
 * its mean), thicker for larger magnitude, with the weight (or the number of weights) on each edge.
 *
 * The picture is one self-contained SVG document (no fonts, styles or images from elsewhere), so
 * it opens the same in a browser, Inkscape or a LaTeX pipeline. It is drawn from the graph alone,
 * so a graph that does not compile (yet) still has a picture.
 */
import { isComputing, isDataInput, unitCount, weightMatrix, type Graph, type GraphNode, type Position } from '../model/graph';
import type { Project } from '../project/schema';
import { formatNumber } from '../util/format';

/** The canvas's colours for positive and negative weights (src-renderer/src/styles.css). */
export const WEIGHT_COLOURS = Object.freeze({ positive: '#e07b24', negative: '#2f6fde' });

/** Edge width in pixels for a mean absolute weight, as the canvas computes it: visible at 0, capped. */
export function edgeWidthFor(magnitude: number): number {
  return Math.min(8, 1 + 2.5 * Math.sqrt(magnitude));
}

const NODE_WIDTH = 130;
const NODE_HEIGHT = 46;
const MARGIN = 30;
const TITLE_HEIGHT = 28;

/** Options of {@link exportNetworkSvg}. */
export interface SvgOptions {
  /** Heading above the network; the project's name by default, '' for none. */
  title?: string;
}

/**
 * The project's network as SVG text.
 * Every node is a `<g data-node="id">` and every edge a `<path data-edge="id">` with a `<title>`
 * giving its weights, so the picture can be checked and annotated by tools.
 */
export function exportNetworkSvg(project: Project, options: SvgOptions = {}): string {
  return networkSvg(project.graph, options.title ?? project.name);
}

/** {@link exportNetworkSvg} for a bare graph. */
export function networkSvg(graph: Graph, title = ''): string {
  const positions = layout(graph);
  // Bounds by a loop: spreading a large graph into Math.min overflows the stack.
  let minX = 0;
  let minY = 0;
  let maxX = 0;
  let maxY = 0;
  for (const node of graph.nodes) {
    const { x, y } = positions.get(node.id)!;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const top = title ? TITLE_HEIGHT : 0;
  const offsetX = MARGIN - minX;
  const offsetY = MARGIN + top - minY;
  const width = Math.max(200, maxX - minX + NODE_WIDTH + 2 * MARGIN);
  const height = Math.max(80, maxY - minY + NODE_HEIGHT + 2 * MARGIN + top);
  const at = (id: string) => {
    const p = positions.get(id)!;
    return { x: p.x + offsetX, y: p.y + offsetY };
  };
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title || 'Neural network')}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  if (title) parts.push(`<text x="${MARGIN}" y="${MARGIN + 4}" font-size="16" font-weight="600" fill="#1d2330">${escapeXml(title)}</text>`);

  // Edges first, so units sit on top of them.
  parts.push('<g class="edges" fill="none">');
  for (const edge of graph.edges) {
    const source = nodeById.get(edge.source);
    const target = nodeById.get(edge.target);
    if (!source || !target) continue; // a dangling edge has nowhere to be drawn; the compiler reports it
    const values = weightMatrix(edge).flat();
    const count = values.length;
    const mean = count ? values.reduce((a, b) => a + b, 0) / count : 0;
    const magnitude = count ? values.reduce((a, b) => a + Math.abs(b), 0) / count : 0;
    const from = at(source.id);
    const to = at(target.id);
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    const colour = mean >= 0 ? WEIGHT_COLOURS.positive : WEIGHT_COLOURS.negative;
    const label = count === 1 ? formatWeight(values[0]) : `${count} w`;
    const about =
      count === 1
        ? `${edge.id}: w = ${values[0]}`
        : `${edge.id}: ${count} weights, mean ${formatWeight(mean)}, mean |w| ${formatWeight(magnitude)}`;
    parts.push(
      `<path data-edge="${escapeXml(edge.id)}" d="M ${round(x1)} ${round(y1)} C ${round(x1 + bend)} ${round(y1)}, ${round(x2 - bend)} ${round(y2)}, ${round(x2)} ${round(y2)}" stroke="${colour}" stroke-width="${round(edgeWidthFor(magnitude))}" stroke-opacity="0.85"${edge.locked ? ' stroke-dasharray="6 3"' : ''}><title>${escapeXml(about)}</title></path>`,
      `<text x="${round((x1 + x2) / 2)}" y="${round((y1 + y2) / 2 - 4)}" font-size="10" text-anchor="middle" fill="#1d2330" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(edge.locked ? `${label} (locked)` : label)}</text>`,
    );
  }
  parts.push('</g>');

  parts.push('<g class="nodes">');
  for (const node of graph.nodes) {
    const { x, y } = at(node.id);
    const output = isComputing(node) && node.output;
    const radius = isDataInput(node) || node.kind === 'bias' ? 18 : node.kind === 'perceptron' ? 3 : 10;
    const dash = isDataInput(node) ? ' stroke-dasharray="5 3"' : node.kind === 'bias' ? ' stroke-dasharray="2 2"' : '';
    // The whole label and id (describeNode cuts them short for messages); escapeXml makes them safe.
    const named = node.label && node.label !== node.id ? `'${node.label}' (${node.id})` : `'${node.id}'`;
    const title = node.kind === 'inputLayer' ? `${named}: ${node.features.join(', ')}` : named;
    parts.push(`<g data-node="${escapeXml(node.id)}"><title>${escapeXml(title)}</title>`);
    if (output)
      parts.push(
        `<rect x="${round(x - 3)}" y="${round(y - 3)}" width="${NODE_WIDTH + 6}" height="${NODE_HEIGHT + 6}" rx="${radius + 3}" fill="none" stroke="${WEIGHT_COLOURS.positive}" stroke-opacity="0.35" stroke-width="3"/>`,
      );
    parts.push(
      `<rect x="${round(x)}" y="${round(y)}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="${radius}" fill="#f7f8fb" stroke="#1d2330" stroke-width="${node.kind === 'dense' || node.kind === 'inputLayer' ? 2.5 : 1.5}"${dash}/>`,
      `<text x="${round(x + 10)}" y="${round(y + 19)}" font-size="12" font-weight="600" fill="#1d2330">${escapeXml(clip(node.label ?? node.id, 18))}</text>`,
      `<text x="${round(x + 10)}" y="${round(y + 35)}" font-size="10" fill="#5b6272">${escapeXml(clip(detail(node), 24))}</text>`,
      '</g>',
    );
  }
  parts.push('</g>', '</svg>');
  return `${parts.join('\n')}\n`;
}

/** The second line of a unit: what it reads, computes or predicts. */
function detail(node: GraphNode): string {
  if (node.kind === 'input') return `input: ${node.feature}`;
  if (node.kind === 'inputLayer') {
    const count = unitCount(node);
    return count === 1 ? `input: ${node.features[0]}` : `${count} inputs: ${node.features[0]}, …`;
  }
  if (node.kind === 'bias') return 'constant 1';
  const what = node.kind === 'dense' ? `${unitCount(node)} × ${node.activation}` : node.activation;
  return node.output ? `${what} → ${node.output.targets.join(', ')}` : what;
}

/**
 * Where each node goes: its canvas position when every node has one; otherwise (a graph written
 * by hand or by a script) a layered layout, one column per depth, so nothing lands on top of
 * anything else.
 */
function layout(graph: Graph): Map<string, Position> {
  if (graph.nodes.every((n) => n.position)) return new Map(graph.nodes.map((n) => [n.id, n.position!]));
  const depth = new Map<string, number>();
  const incoming = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) incoming.get(edge.target)?.push(edge.source);
  const visiting = new Set<string>();
  // 1 + the deepest source, 0 for a node without sources. Depth-first with a stack of its own:
  // recursion would overflow the call stack on a chain of 10,000 nodes.
  const depthOf = (root: string): number => {
    const known = depth.get(root);
    if (known !== undefined) return known;
    const stack: { id: string; next: number; deepest: number }[] = [{ id: root, next: 0, deepest: 0 }];
    visiting.add(root);
    let result = 0;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const sources = incoming.get(frame.id) ?? [];
      if (frame.next < sources.length) {
        const source = sources[frame.next++];
        const done = depth.get(source);
        if (done !== undefined) frame.deepest = Math.max(frame.deepest, done);
        else if (!visiting.has(source)) {
          visiting.add(source);
          stack.push({ id: source, next: 0, deepest: 0 });
        }
        // A source still being visited closes a cycle: the compiler refuses it, the picture
        // still draws, counting that source as depth 0.
        continue;
      }
      const d = sources.length === 0 ? 0 : 1 + frame.deepest;
      visiting.delete(frame.id);
      depth.set(frame.id, d);
      stack.pop();
      if (stack.length > 0) stack[stack.length - 1].deepest = Math.max(stack[stack.length - 1].deepest, d);
      else result = d;
    }
    return result;
  };
  const rows = new Map<number, number>();
  const positions = new Map<string, Position>();
  for (const node of graph.nodes) {
    const d = depthOf(node.id);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    positions.set(node.id, { x: d * 220, y: row * 80 });
  }
  return positions;
}

/**
 * Text made safe for XML content and attribute values: the five special characters escaped, and
 * characters XML 1.0 forbids (control characters, lone surrogates) dropped or replaced, since a
 * label may hold anything the user typed or pasted.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function formatWeight(value: number): string {
  return formatNumber(value, { digits: 3 });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
