/**
 * The check a project's text gets before `JSON.parse` builds anything from it.
 *
 * `JSON.parse` of a 200 MB file takes seconds and gigabytes before the loader can say that the
 * network in it is too large, and a large enough file exhausts memory outright. This pass reads
 * the text once, character by character, allocating nothing per token: it checks the JSON syntax
 * (so a syntax error is named by line and column, with the offending character escaped) and
 * counts what each part of the document holds against what any project within {@link LIMITS}
 * can hold: numbers and values in the graph, the dataset and the history, nesting depth, and the
 * length of every string. A file that passes can still be invalid, but it is small enough to
 * parse and validate quickly.
 */
import { quoteForMessage } from '../util/quote';
import { LIMITS } from './schema';
import { OPTIMISERS } from '../train/optimisers';

/** Why the text was refused: where in the document, and what is wrong. */
export interface PrecheckProblem {
  /** A document path (`graph`, `dataset`, `training.history`), or '' for the file as a whole. */
  path: string;
  reason: string;
}

/** Values nested deeper than this are refused; a project nests six levels (graph.edges[e].weight[j]). */
export const MAX_NESTING = 64;

/** The longest string a project holds (descriptions and the dataset's source are the longest). */
const MAX_STRING = Math.max(LIMITS.textLength, LIMITS.idLength);

// The parts of a document that may be large, by their top-level key; everything else is SMALL.
const SMALL = 0;
const GRAPH = 1;
const DATASET = 2;
const TRAINING = 3;

/** Parameter trees a training state may hold: the most slots an optimiser keeps, and early stopping's best weights. */
const TREES = Object.values(OPTIMISERS).reduce((most, optimiser) => Math.max(most, optimiser.slots.length), 0) + 1;
const P = LIMITS.parameters;
const N = LIMITS.nodes;
const E = LIMITS.edges;
const C = LIMITS.datasetCells;
const H = LIMITS.historyEpochs;
const COLUMNS = LIMITS.datasetColumns;

/**
 * Most numbers each part of a valid project holds. The graph: one per weight and bias (at most
 * the parameters), and a position (x, y) and a unit count per node. The dataset: its cells, or a
 * built-in's size, noise and seed. The training section: five per epoch of history, and the
 * training state, which holds at most {@link TREES} numbers per parameter (the optimiser's
 * memory — one slot for momentum, two for Adam — and early stopping's best weights) and a few
 * dozen more. The rest: the fitted normalisation (two per
 * column) and a few dozen settings.
 */
const NUMBER_LIMITS = [2 * COLUMNS + 1_000, P + 3 * N, C + 3, 5 * H + TREES * P + 64];

/**
 * Most values of any kind (numbers, strings, booleans, nulls, objects and arrays) each part
 * holds, so that no file of millions of empty strings or arrays gets through. The graph: the
 * numbers, a target name per output unit and a row array per weight row (each at most the
 * parameters), and fewer than 16 values per node and 8 per edge. The dataset: its cells, a row
 * array per row, and the names of its columns and classes. The training section: an object and
 * five fields per epoch (the records of a version 1 file; columns hold fewer), and for each of
 * the parameter trees of the training state a number and a row per parameter and an entry per
 * edge and node. The rest: the normalisation, the selection (an id per node and edge) and the
 * settings.
 */
const VALUE_LIMITS = [
  8 * COLUMNS + N + E + 1_000,
  3 * P + 16 * N + 8 * E + 3,
  2 * C + 8 * COLUMNS + 16,
  7 * H + 2 * TREES * P + TREES * (N + E) + 64,
];

const fmt = (n: number) => n.toLocaleString('en');

const NUMBER_MESSAGES: readonly PrecheckProblem[] = [
  {
    path: '',
    reason: `the file holds more than ${fmt(NUMBER_LIMITS[SMALL])} numbers outside the graph, the data and the history, more than any project has.`,
  },
  { path: 'graph', reason: `the network holds more numbers than NN Studio's limit of ${fmt(P)} parameters (weights and biases) allows.` },
  { path: 'dataset', reason: `the dataset holds more numbers than NN Studio's limit of ${fmt(C)} cells (rows × columns) allows.` },
  {
    path: 'training',
    reason: `the training history and state hold more numbers than NN Studio's limit of ${fmt(H)} epochs of history and ${fmt(P)} parameters allows.`,
  },
];

const VALUE_MESSAGES: readonly PrecheckProblem[] = [
  {
    path: '',
    reason: `the file holds more than ${fmt(VALUE_LIMITS[SMALL])} values outside the graph, the data and the history, more than any project has.`,
  },
  {
    path: 'graph',
    reason: `the network holds more than ${fmt(VALUE_LIMITS[GRAPH])} values, more than a network within NN Studio's limits (${fmt(P)} parameters, ${fmt(N)} nodes, ${fmt(E)} edges) has.`,
  },
  {
    path: 'dataset',
    reason: `the dataset holds more than ${fmt(VALUE_LIMITS[DATASET])} values, more than a dataset within NN Studio's limit of ${fmt(C)} cells has.`,
  },
  {
    path: 'training',
    reason: `the training history and state hold more than ${fmt(VALUE_LIMITS[TRAINING])} values, more than NN Studio's limit of ${fmt(H)} epochs of history and ${fmt(P)} parameters allows.`,
  },
];

// What the scanner expects next.
const VALUE = 0; // a value (the document, after ':', or after ',' in an array)
const FIRST_KEY = 1; // a key or '}' (just after '{')
const KEY = 2; // a key (after ',' in an object)
const COLON = 3;
const AFTER_VALUE = 4; // ',' or the container's end, or the end of the text
const FIRST_VALUE = 5; // a value or ']' (just after '[')

const OBJECT = 1;
const ARRAY = 2;

/**
 * Checks project text before it is parsed. Reads it once and allocates nothing per token.
 * @returns null when the text is JSON small enough to parse, else the problem in one sentence.
 */
export function precheckProjectText(text: string): PrecheckProblem | null {
  const n = text.length;
  const containers = new Uint8Array(MAX_NESTING + 1);
  const numbers = [0, 0, 0, 0];
  const values = [0, 0, 0, 0];
  let depth = 0;
  let section = SMALL;
  let state = VALUE;
  let line = 1;
  let lineStart = 0;
  let i = 0;

  const at = (offset: number) => `line ${line}, column ${offset - lineStart + 1}`;
  const invalid = (detail: string): PrecheckProblem => ({
    path: '',
    reason: `the file is not valid JSON (${detail}), so it is not an NN Studio project or it is damaged.`,
  });
  const syntax = (what: string, offset: number, after = ''): PrecheckProblem => invalid(`${what} at ${at(offset)}${after}`);
  const unexpected = (offset: number, expected: string): PrecheckProblem =>
    offset >= n
      ? syntax('the file ends', offset, `, where ${expected} should follow`)
      : syntax(`unexpected ${describeCharacter(text, offset)}`, offset, `, where ${expected} should be`);
  const count = (isNumber: boolean): PrecheckProblem | null => {
    if (++values[section] > VALUE_LIMITS[section]) return VALUE_MESSAGES[section];
    if (isNumber && ++numbers[section] > NUMBER_LIMITS[section]) return NUMBER_MESSAGES[section];
    return null;
  };

  for (;;) {
    // Whitespace: the only place a newline may be, so line and column are counted here alone.
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      if (c === 0x0a) {
        line++;
        lineStart = i + 1;
      }
      c = text.charCodeAt(++i);
    }
    if (i >= n) {
      if (state === AFTER_VALUE && depth === 0) return null;
      if (n === 0 || text.trim() === '') return invalid('the file is empty');
      return unexpected(
        i,
        state === COLON
          ? "':'"
          : state === AFTER_VALUE
            ? containers[depth] === OBJECT
              ? "',' or '}'"
              : "',' or ']'"
            : state === VALUE || state === FIRST_VALUE
              ? 'a value'
              : 'a property name',
      );
    }

    if (state === AFTER_VALUE) {
      if (depth === 0) return syntax(`unexpected ${describeCharacter(text, i)}`, i, ', after the end of the JSON value');
      const kind = containers[depth];
      if (c === 0x2c /* , */) {
        state = kind === OBJECT ? KEY : VALUE;
        i++;
      } else if ((c === 0x7d /* } */ && kind === OBJECT) || (c === 0x5d /* ] */ && kind === ARRAY)) {
        depth--;
        i++;
      } else return unexpected(i, kind === OBJECT ? "',' or '}'" : "',' or ']'");
      continue;
    }

    if (state === COLON) {
      if (c !== 0x3a /* : */) return unexpected(i, "':'");
      state = VALUE;
      i++;
      continue;
    }

    if (state === FIRST_KEY || state === KEY) {
      if (c === 0x7d /* } */ && state === FIRST_KEY) {
        depth--;
        state = AFTER_VALUE;
        i++;
        continue;
      }
      if (c !== 0x22 /* " */) return unexpected(i, 'a property name in double quotes');
      const start = i;
      const end = scanString(text, i);
      if (end < 0) return stringProblem(text, -end - 1, start, syntax);
      if (end - start - 2 > MAX_STRING && decodedLength(text, start, end) > MAX_STRING) return tooLong(at(start));
      // Keys are not counted as values: a member's value is.
      if (depth === 1) section = sectionOf(text, start, end);
      i = end;
      state = COLON;
      continue;
    }

    // A value (VALUE or FIRST_VALUE).
    if (c === 0x5d /* ] */ && state === FIRST_VALUE) {
      depth--;
      state = AFTER_VALUE;
      i++;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const problem = count(false);
      if (problem) return problem;
      if (depth >= MAX_NESTING) {
        return { path: '', reason: `the file nests values more than ${MAX_NESTING} levels deep (at ${at(i)}); a project nests at most 6.` };
      }
      containers[++depth] = c === 0x7b ? OBJECT : ARRAY;
      state = c === 0x7b ? FIRST_KEY : FIRST_VALUE;
      i++;
      continue;
    }
    if (c === 0x22 /* " */) {
      const end = scanString(text, i);
      if (end < 0) return stringProblem(text, -end - 1, i, syntax);
      if (end - i - 2 > MAX_STRING && decodedLength(text, i, end) > MAX_STRING) return tooLong(at(i));
      const problem = count(false);
      if (problem) return problem;
      i = end;
      state = AFTER_VALUE;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const end = scanNumber(text, i);
      if (end < 0) return syntax(`a malformed number`, i);
      // The commonest token by far: counted inline.
      if (++values[section] > VALUE_LIMITS[section]) return VALUE_MESSAGES[section];
      if (++numbers[section] > NUMBER_LIMITS[section]) return NUMBER_MESSAGES[section];
      i = end;
      state = AFTER_VALUE;
      continue;
    }
    const literal = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : null;
    if (literal !== null && text.startsWith(literal, i)) {
      const problem = count(false);
      if (problem) return problem;
      i += literal.length;
      state = AFTER_VALUE;
      continue;
    }
    return unexpected(i, 'a value');
  }
}

/** Which large part of the document the top-level key between `start` and `end` (its quotes) names. */
function sectionOf(text: string, start: number, end: number): number {
  let key: string | null = null;
  const length = end - start - 2;
  let escaped = false;
  for (let i = start + 1; i < end - 1 && !escaped; i++) escaped = text.charCodeAt(i) === 0x5c;
  if (escaped) {
    // An escaped key ("gr\u0061ph") is the same key to JSON.parse; decoding it is rare and small.
    try {
      key = JSON.parse(text.slice(start, end)) as string;
    } catch {
      return SMALL;
    }
  }
  const is = (name: string) => (key !== null ? key === name : length === name.length && text.startsWith(name, start + 1));
  if (is('graph')) return GRAPH;
  if (is('dataset')) return DATASET;
  // The runs kept for comparison are training histories too (at most 20 of 500 records each).
  if (is('training') || is('runs')) return TRAINING;
  return SMALL;
}

/**
 * The end (just past the closing quote) of the string whose opening quote is at `start`, or
 * −(offset + 1) of the first character that makes it invalid (a raw control character, a bad
 * escape, or the end of the text).
 */
function scanString(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c /* \ */) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return -(i + 1);
        i += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2;
      else return -(i + 1);
    } else if (c < 0x20) return -(i + 1);
    else i++;
  }
  return -(n + 1);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Characters the string between `start` and `end` (its quotes) decodes to. */
function decodedLength(text: string, start: number, end: number): number {
  let length = 0;
  for (let i = start + 1; i < end - 1; i++) {
    if (text.charCodeAt(i) === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 5 : 1;
    length++;
  }
  return length;
}

/** The end of the JSON number starting at `start`, or −1 if it is malformed. */
function scanNumber(text: string, start: number): number {
  let i = start;
  let c = text.charCodeAt(i);
  if (c === 0x2d) c = text.charCodeAt(++i);
  if (c === 0x30) c = text.charCodeAt(++i);
  else if (c >= 0x31 && c <= 0x39) {
    do c = text.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  } else return -1;
  if (c === 0x2e /* . */) {
    c = text.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    do c = text.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    c = text.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = text.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    do c = text.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  }
  return i;
}

/** The character at `offset` as a message names it: quoted, escaped if it is a control character. */
function describeCharacter(text: string, offset: number): string {
  const code = text.codePointAt(offset)!;
  const character = String.fromCodePoint(code);
  return `'${quoteForMessage(character)}'`;
}

function stringProblem(
  text: string,
  offset: number,
  start: number,
  syntax: (what: string, offset: number) => PrecheckProblem,
): PrecheckProblem {
  // Strings hold no raw newline, so the line is still the one the string began on.
  if (offset >= text.length) return syntax('a string that is never closed', start);
  const c = text.charCodeAt(offset);
  if (c === 0x5c) return syntax(`an invalid escape '${quoteForMessage(text.slice(offset, offset + 2))}' in a string`, offset);
  return syntax(`a raw control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) in a string`, offset);
}

function tooLong(where: string): PrecheckProblem {
  return { path: '', reason: `the text at ${where} is longer than ${fmt(MAX_STRING)} characters, the longest a project holds.` };
}
