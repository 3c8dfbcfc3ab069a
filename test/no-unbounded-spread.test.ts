/**
 * No array of unbounded length is ever spread into a call. A spread passes every element as an
 * argument on the stack, and V8 overflows it somewhere above 100,000 arguments ("Maximum call
 * stack size exceeded"): `params.push(...names)` works on the small networks of the tests and
 * breaks a 400×400 layer. Loops have no such limit, so the source must use them.
 *
 * Scanned: every non-test source file under engine/, src-main/ and src-renderer/. Refused: a
 * spread among the arguments of `push`, `unshift`, `splice`, `Math.min`, `Math.max` and
 * `String.fromCharCode`, and any `.apply(thisArg, array)` (the same thing spelled the old way).
 *
 * Allowed without listing: spreading an array literal written out in the call (`push(...[a, b])`),
 * whose length is in the source. {@link BOUNDED} lists the other spreads that are allowed, each a
 * constant tuple whose length is fixed in the source, with the reason.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Spreads of bounded constant tuples, by file and the spread expression exactly as written.
 * Add an entry only for a tuple whose length is fixed in the source, never for data.
 */
const BOUNDED: readonly { file: string; spread: string; why: string }[] = [];

const CALLS =
  /(?:\.\s*(?:push|unshift|splice)|(?<![\w$.])Math\s*\.\s*(?:min|max)|(?<![\w$.])String\s*\.\s*(?:fromCharCode|fromCodePoint))\s*\(/g;
const APPLY = /\.\s*apply\s*\(/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const file of sourceFiles(path)) out.push(file);
    } else if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(name) && !/\.test\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

/**
 * The source with comments, string and template text and regular expressions blanked to spaces
 * (template substitutions kept), so that brackets and `...` in text are not taken for code.
 * Lengths and offsets are kept, so positions still map to lines.
 */
function codeOnly(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Per open template literal: how many `{` deep its current substitution is.
  const templates: number[] = [];
  let braces = 0;
  let last = ''; // the last significant code character, to tell a regex from a division
  let i = 0;
  const n = source.length;
  const skipTemplateText = (): void => {
    // From just inside a template's text to its end or its next `${`.
    const start = i;
    while (i < n) {
      const c = source[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        blank(start, i);
        i++;
        last = ')';
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        blank(start, i);
        i += 2;
        templates.push(braces);
        braces++;
        last = '(';
        return;
      } else i++;
    }
    blank(start, n);
  };
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const start = i++;
      while (i < n && source[i] !== c && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      i++;
      blank(start + 1, i - 1);
      last = ')';
    } else if (c === '`') {
      i++;
      skipTemplateText();
    } else if (
      c === '/' &&
      (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last) || /\b(return|typeof|case|in|of)\s*$/.test(source.slice(Math.max(0, i - 8), i)))
    ) {
      const start = i++;
      let inClass = false;
      while (i < n && source[i] !== '\n') {
        const d = source[i];
        if (d === '\\') i++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      blank(start + 1, i - 1);
      last = ')';
    } else {
      if (c === '{') braces++;
      else if (c === '}') {
        braces--;
        if (templates.length > 0 && templates[templates.length - 1] === braces) {
          templates.pop();
          i++;
          skipTemplateText();
          continue;
        }
      }
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out.join('');
}

/** The top-level arguments of the call whose `(` is at `open`, as source text. */
function argumentsAt(code: string, source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let k = open; k < code.length; k++) {
    const c = code[k];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(source.slice(start, k).trim());
        return args.filter((a) => a.length > 0);
      }
    } else if (c === ',' && depth === 1) {
      args.push(source.slice(start, k).trim());
      start = k + 1;
    }
  }
  return args;
}

/** Whether `text` is an array literal with no spread inside it: its length is in the source. */
function isLiteralTuple(code: string): boolean {
  return /^\[[^]*\]$/.test(code) && !code.includes('...');
}

interface Finding {
  file: string;
  line: number;
  call: string;
  spread: string;
}

/** Every unbounded spread into a call in one file's source. */
function findUnboundedSpreads(file: string, source: string): Finding[] {
  const code = codeOnly(source);
  const findings: Finding[] = [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const allowed = (spread: string) => BOUNDED.some((b) => b.file === file && b.spread === spread);
  for (const match of code.matchAll(CALLS)) {
    const open = match.index + match[0].length - 1;
    const codeArgs = argumentsAt(code, code, open);
    const sourceArgs = argumentsAt(code, source, open);
    codeArgs.forEach((arg, k) => {
      if (!arg.startsWith('...')) return;
      const spread = sourceArgs[k].slice(3).trim();
      if (isLiteralTuple(arg.slice(3).trim()) || allowed(spread)) return;
      findings.push({ file, line: lineOf(match.index), call: match[0].replace(/\s+/g, '').replace(/\($/, ''), spread });
    });
  }
  for (const match of code.matchAll(APPLY)) {
    const open = match.index + match[0].length - 1;
    const args = argumentsAt(code, source, open);
    // `command.apply(project)` is a method of ours; Function.prototype.apply takes (this, array).
    if (args.length === 2) findings.push({ file, line: lineOf(match.index), call: 'apply', spread: args[1] });
  }
  return findings;
}

describe('no unbounded spread into a call', () => {
  const files = ['engine', 'src-main', 'src-shared', 'src-renderer'].flatMap((dir) => sourceFiles(join(root, dir)));

  it('has the source to check', () => {
    expect(files.some((f) => f.endsWith(join('engine', 'src', 'compile', 'compile.ts')))).toBe(true);
    expect(files.some((f) => f.endsWith(join('src-renderer', 'src', 'panels', 'training', 'Evaluation.tsx')))).toBe(true);
    expect(files.some((f) => f.endsWith(join('src-shared', 'actions.ts')))).toBe(true);
    expect(files.length).toBeGreaterThan(50);
  });

  it('finds none in engine/, src-main/, src-shared/ or src-renderer/', () => {
    const findings = files.flatMap((path) => {
      const file = relative(root, path).split('\\').join('/');
      return findUnboundedSpreads(file, readFileSync(path, 'utf8'));
    });
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.call}(...${f.spread}) — use a loop`)).toEqual([]);
  });

  it('keeps every allow-list entry in use, so the list cannot go stale', () => {
    for (const entry of BOUNDED) {
      const source = readFileSync(join(root, entry.file), 'utf8');
      expect(source, `${entry.file} no longer spreads ${entry.spread}: remove it from BOUNDED`).toContain(`...${entry.spread}`);
    }
  });
});

describe('the scanner', () => {
  const scan = (source: string) => findUnboundedSpreads('x.ts', source).map((f) => `${f.call}:${f.spread}`);

  it('finds spreads into the calls that put arguments on the stack', () => {
    expect(scan('out.push(...names);')).toEqual(['.push:names']);
    expect(scan('a.b().unshift(x, ...rest)')).toEqual(['.unshift:rest']);
    expect(scan('list.splice(0, 1, ...more)')).toEqual(['.splice:more']);
    expect(scan('const hi = Math.max(0, ...values.map((v) => v.x));')).toEqual(['Math.max:values.map((v) => v.x)']);
    expect(scan('Math.min(\n  ...xs\n)')).toEqual(['Math.min:xs']);
    expect(scan('String.fromCharCode(...bytes)')).toEqual(['String.fromCharCode:bytes']);
    expect(scan('String.fromCharCode.apply(null, bytes)')).toEqual(['apply:bytes']);
    expect(scan('Math.max.apply(Math, values)')).toEqual(['apply:values']);
  });

  it('allows what is bounded or not a spread argument', () => {
    expect(scan('out.push({ ...record, epoch: 1 });')).toEqual([]);
    expect(scan('out.push([...row, 1]);')).toEqual([]);
    expect(scan('out.push(...[a, b]);')).toEqual([]);
    expect(scan('Math.max(a, b, c)')).toEqual([]);
    expect(scan('const r = command.apply(project);')).toEqual([]);
    expect(scan('f(...args)')).toEqual([]);
  });

  it('ignores comments, strings, templates and regular expressions', () => {
    expect(scan('// out.push(...names)\n/* Math.max(...xs) */ const s = "push(...x)";')).toEqual([]);
    expect(scan('const t = `Math.min(...${"xs"})`; const r = /push\\(\\.\\.\\.x/;')).toEqual([]);
    expect(scan('const t = `${out.push(...xs)}`;')).toEqual(['.push:xs']);
    expect(scan("const a = 'it\\'s'; out.push(...xs)")).toEqual(['.push:xs']);
  });
});
