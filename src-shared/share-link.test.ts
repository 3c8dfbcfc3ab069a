/**
 * Share by link: every example goes through a link and comes back as the loader reads its file;
 * the lecture's examples fit the strictest chat limit; and whatever a link holds — cut short,
 * garbage, a crafted project, a decompression bomb, an older project version, a bad lesson part —
 * ends as one sentence or as the project, never as an exception. Crafted links are built here with
 * node:zlib and Buffer, not with the module's own encoder, so that the format is checked from
 * outside.
 */
import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  COURSE_FILES,
  EXAMPLES,
  LIMITS,
  LESSON_MAX_CHARS,
  builtinCourse,
  findExample,
  lessonFromValue,
  parseProject,
  startProjectOf,
  serialiseProject,
  type Project,
} from '../engine/src/index';
import { trained } from '../test/support/trained';
import {
  CHAT_SAFE_LINK_CHARS,
  LINK_LIMITS,
  MAX_FRAGMENT_CHARS,
  MAX_LINK_CHARS,
  compactJson,
  decodeShareFragment,
  encodeShareFragment,
  inflateWithin,
  makeShareLink,
  projectForLink,
  type LinkLesson,
} from './share-link';
import { decodeShareLink } from './share-link-lesson';

/** The address of a page of the browser host, its token as long as the host makes it. */
const BASE = `http://127.0.0.1:54321/?token=${'t'.repeat(43)}`;

const zlibPart = (data: string | Uint8Array) =>
  deflateSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
const crafted = (projectText: string, lessonPart?: unknown) =>
  `#nnproj=v1.${zlibPart(projectText)}${lessonPart === undefined ? '' : `.${zlibPart(JSON.stringify(lessonPart))}`}`;
const partsOf = (fragment: string) => fragment.replace(/^#nnproj=/, '').split('.');

async function opened(fragment: string) {
  const result = await decodeShareLink(fragment);
  if (!result.ok) throw new Error(result.message);
  return result;
}
async function refusal(fragment: string, limits = LINK_LIMITS): Promise<string> {
  const result = await decodeShareLink(fragment, limits);
  if (result.ok) throw new Error('the link opened');
  // One sentence: no line breaks, no stack, ends as a sentence does.
  expect(result.message).not.toMatch(/\n|\bat .*:\d+:\d+/);
  expect(result.message).toMatch(/[.)]$/);
  return result.message;
}

const xor = () => findExample('xor-sigmoid')!.create();
const xorTrained = () => trained(xor(), 40);

describe('a project through a link', () => {
  it.each(EXAMPLES.map((e) => [e.name]))('%s comes back as the serialised project, after the loader has read it', async (name) => {
    const project = findExample(name)!.create();
    const fragment = await encodeShareFragment(project);
    // From outside: a zlib stream of the file's text, whitespace dropped.
    const inflated = inflateSync(Buffer.from(partsOf(fragment)[1], 'base64url')).toString('utf8');
    const expected = serialiseProject(projectForLink(project));
    expect(inflated).toBe(compactJson(expected));
    expect(JSON.parse(inflated)).toEqual(JSON.parse(expected));
    const back = await opened(fragment);
    expect(back.migratedFrom).toBeNull();
    expect(back.lesson).toBeNull();
    expect(serialiseProject(back.project)).toBe(expected);
  });

  it('keeps the trained weights, data and hyperparameters, and leaves out the history, the runs, the optimiser memory and the selection', async () => {
    const base = xorTrained();
    expect(base.training.history.length).toBe(40);
    expect(base.training.optimiser).not.toBeNull();
    const project: Project = {
      ...base,
      runs: [
        {
          id: 'r1',
          label: 'Run 1',
          startedAt: '2026-01-01T10:00:00Z',
          hyperparameters: base.hyperparameters,
          changes: [],
          startEpoch: 0,
          network: { inputs: 2, units: 3, parameters: 9 },
          history: { epoch: [1, 2], loss: [0.3, 0.25], accuracy: null, validationLoss: null, validationAccuracy: null },
          final: { epochs: 2, loss: 0.25, accuracy: null, validationLoss: null, validationAccuracy: null },
          stop: null,
        },
      ],
      view: { ...base.view, selection: ['h1'], inspectorSample: 2 },
    };
    expect(project.runs?.length).toBe(1);
    const back = (await opened(await encodeShareFragment(project))).project;
    expect(back.graph).toEqual(project.graph);
    expect(back.dataset).toEqual(project.dataset);
    expect(back.hyperparameters).toEqual(project.hyperparameters);
    expect(back.split).toEqual(project.split);
    expect(back.training).toEqual({ epoch: 0, history: [], optimiser: null, rng: null, position: null, earlyStopping: null });
    expect(back.runs).toBeUndefined();
    expect(back.view).toEqual({ inspectorSample: 2 });
    // The weights are the trained ones, not the example's initial ones.
    expect(back.graph).not.toEqual(xor().graph);
  });

  it('keeps −0 and every digit of a weight', () => {
    const text = serialiseProject({
      ...xor(),
      graph: { ...xor().graph, edges: xor().graph.edges.map((e, i) => ({ ...e, weight: i ? 0.1 + 0.2 : -0 })) },
    });
    const compact = compactJson(text);
    expect(compact).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/); // no whitespace outside strings
    expect(compact).toContain('"weight":-0');
    expect(compact).toContain('"weight":0.30000000000000004');
    expect(compactJson('{"a b": "c  d",\n  "e\\"  f": 1}')).toBe('{"a b":"c  d","e\\"  f":1}');
  });
});

describe('the length of a link', () => {
  // The lecture's examples: the truth tables and the small worked networks (not the spiral's or Iris's larger ones).
  const LECTURE = [
    'or-perceptron',
    'and-perceptron',
    'xor-perceptron-network',
    'perceptron-learns-or',
    'xor-sigmoid',
    'three-two-one',
    'logistic-regression',
  ];

  it.each(LECTURE.map((name) => [name]))('%s, trained, makes a link well under the strictest chat limit', async (name) => {
    const made = await makeShareLink(BASE, trained(findExample(name)!.create(), 40));
    if (!made.ok) throw new Error(made.message);
    expect(made.length).toBe(made.link.length);
    expect(made.length).toBeLessThan(0.75 * CHAT_SAFE_LINK_CHARS);
  });

  it('a lesson and its step add little to a link of the course', async () => {
    const plain = await makeShareLink(BASE, xorTrained());
    const inLesson = await makeShareLink(BASE, xorTrained(), { kind: 'course', id: 'xor-sigmoid', step: 1 });
    if (!plain.ok || !inLesson.ok) throw new Error('no link');
    expect(inLesson.length - plain.length).toBeLessThan(80);
    expect(inLesson.length).toBeLessThan(0.75 * CHAT_SAFE_LINK_CHARS);
  });

  it('a project too large for a link is refused with its length and the limit, and the file offered instead', async () => {
    // XOR on 400 rows of its own data: the rows alone are several thousand characters compressed.
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows = Array.from({ length: 400 }, () => [random(), random(), random() > 0.5 ? 1 : 0]);
    const project: Project = { ...xor(), dataset: { kind: 'inline', source: 'big.csv', features: ['x1', 'x2'], targets: ['y'], rows } };
    const made = await makeShareLink(BASE, project);
    expect(made.ok).toBe(false);
    if (made.ok) return;
    const fragment = await encodeShareFragment(project);
    expect(made.length).toBe(BASE.length + fragment.length);
    expect(made.length).toBeGreaterThan(MAX_LINK_CHARS);
    expect(made.message).toBe(
      `The link would be ${made.length!.toLocaleString('en')} characters, more than the 4,000 a chat message takes: save the project as a file and send that instead.`,
    );
  });

  it('the address the link is made from loses its own fragment', async () => {
    const made = await makeShareLink(`${BASE}#nnproj=v1.old`, xor());
    if (!made.ok) throw new Error(made.message);
    expect(made.link.startsWith(`${BASE}#nnproj=v1.`)).toBe(true);
    expect(made.link.indexOf('#')).toBe(made.link.lastIndexOf('#'));
  });
});

describe('a link that is not whole, or not ours', () => {
  it('is refused wherever it was cut short', async () => {
    const fragment = await encodeShareFragment(xorTrained(), { kind: 'course', id: 'xor-sigmoid', step: 1 });
    const [, project, lesson] = partsOf(fragment);
    const head = `#nnproj=v1.`;
    for (let cut = 1; cut < project.length; cut += 7) {
      expect(await refusal(`${head}${project.slice(0, cut)}`)).toMatch(
        /^This link is damaged or cut short: its project data does not decompress/,
      );
    }
    expect(await refusal(`${head}${project.slice(0, -1)}`)).toMatch(/cut short/);
    expect(await refusal(`${head}${project}.${lesson.slice(0, -2)}`)).toMatch(/its lesson data does not decompress/);
  });

  it('is refused when a character in the middle was changed (the checksum sees it)', async () => {
    const fragment = await encodeShareFragment(xorTrained());
    const data = partsOf(fragment)[1];
    for (const at of [20, 100, 300, 500, data.length - 12]) {
      const changed = `${data.slice(0, at)}${data[at] === 'A' ? 'B' : 'A'}${data.slice(at + 1)}`;
      expect(await refusal(`#nnproj=v1.${changed}`)).toMatch(/damaged or cut short/);
    }
  });

  it('refuses garbage, other fragments and other versions, each in one sentence', async () => {
    expect(await refusal('#section-2')).toMatch(/^This is not a link NN Studio made/);
    expect(await refusal('#nnproj=hello')).toMatch(/^This is not a link NN Studio made/);
    expect(await refusal('#nnproj=v1')).toMatch(/^This is not a link NN Studio made/);
    expect(await refusal('#nnproj=v1.a.b.c')).toMatch(/^This is not a link NN Studio made/);
    expect(await refusal('#nnproj=v2.eJwDAAAAAAE')).toBe(
      'This link was made by a newer NN Studio (link version 2; this version reads 1): update NN Studio to open it.',
    );
    expect(await refusal('#nnproj=v1.')).toMatch(/damaged or cut short/);
    expect(await refusal('#nnproj=v1.!!not*base64!!')).toMatch(/damaged or cut short/);
    expect(await refusal(`#nnproj=v1.${Buffer.from('definitely not zlib data at all').toString('base64url')}`)).toMatch(
      /damaged or cut short/,
    );
    // Valid compression of bytes that are not UTF-8.
    expect(await refusal(`#nnproj=v1.${zlibPart(new Uint8Array([0xff, 0xfe, 0x80]))}`)).toMatch(/damaged or cut short/);
    expect(await refusal(`#nnproj=v1.${'A'.repeat(MAX_FRAGMENT_CHARS)}`)).toBe(
      `This link is too long to open (${(MAX_FRAGMENT_CHARS + 11).toLocaleString('en')} characters after the #; NN Studio’s links have at most 32,768).`,
    );
  });
});

describe('a crafted link gets the loader’s message', () => {
  it('a project with a bad field: the loader’s own sentence, said to come from the link', async () => {
    const document = JSON.parse(serialiseProject(xor()));
    document.graph.edges[1].weight = 'heavy';
    const text = JSON.stringify(document);
    const loader = parseProject(text);
    expect(loader.ok).toBe(false);
    if (loader.ok) return;
    expect(loader.error.path).toBe('graph.edges[1].weight');
    expect(await refusal(crafted(text))).toBe(`This link’s project cannot be opened: ${loader.error.message}`);
  });

  it('text that is not JSON, JSON that is not a project, a project from a newer version', async () => {
    expect(await refusal(crafted('hello'))).toMatch(
      /^This link’s project cannot be opened: its text is not valid JSON \(unexpected .* at line 1, column 1.*\), so it is not an NN Studio project or it is damaged\.$/,
    );
    expect(await refusal(crafted('{"format": "something-else"}'))).toMatch(
      /^This link’s project cannot be opened: format: this is not an NN Studio project/,
    );
    expect(await refusal(crafted(JSON.stringify({ ...JSON.parse(serialiseProject(xor())), version: 99 })))).toMatch(
      /^This link’s project cannot be opened: version: the project was saved by a newer NN Studio \(format version 99/,
    );
  });

  it('a decompression bomb is refused without being inflated: inflating stops past the limit', async () => {
    const bomb = deflateSync(Buffer.alloc(20 * 1024 * 1024), { level: 9 });
    const fragment = `#nnproj=v1.${bomb.toString('base64url')}`;
    expect(fragment.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    const limit = 1024 * 1024;
    expect(await refusal(fragment, { ...LINK_LIMITS, projectBytes: limit })).toBe(
      'This link’s project would decompress to more than 1,048,576 bytes, more than a project file may hold, so it was not opened.',
    );
    const stopped = await inflateWithin(new Uint8Array(bomb), limit);
    expect(stopped.ok).toBe(false);
    if (stopped.ok) return;
    expect(stopped.problem).toBe('too-large');
    // It read past the limit by at most a few chunks, not the 20 MiB the bomb holds.
    expect(stopped.inflated).toBeGreaterThan(limit);
    expect(stopped.inflated).toBeLessThan(4 * limit);
    // The real caps are a project file's and a lesson file's (and the lesson part's envelope).
    expect(LINK_LIMITS.projectBytes).toBe(LIMITS.fileChars);
    expect(LINK_LIMITS.lessonBytes).toBe(LESSON_MAX_CHARS + 4096);
  });
});

describe('a link made by an older version', () => {
  const fixture = (name: string) => readFileSync(new URL(`../test/support/${name}`, import.meta.url), 'utf8');

  it.each([
    ['v1-xor-sigmoid-12-epochs.nnproj', 1],
    ['v2-xor-sigmoid-epoch-3-mid-epoch.nnproj', 2],
  ])('%s opens, migrated as its file is', async (file, version) => {
    const text = fixture(file);
    expect(JSON.parse(text).version).toBe(version);
    const fromFile = parseProject(text);
    if (!fromFile.ok) throw fromFile.error;
    const back = await opened(crafted(text));
    expect(back.migratedFrom).toBe(version);
    expect(back.project.version).toBe(3);
    expect(back.project).toEqual(fromFile.project);
    expect(back.project.hyperparameters.optimiser).toBe('sgd');
  });
});

describe('a lesson through a link', () => {
  const project = () => serialiseProject(xor());

  it('a lesson of the course by its id, at the student’s step', async () => {
    const back = await opened(await encodeShareFragment(xorTrained(), { kind: 'course', id: 'backprop-321', step: 2 }));
    expect(back.lesson?.lesson.id).toBe('backprop-321');
    expect(back.lesson?.source).toEqual({ kind: 'course' });
    expect(back.lesson?.step).toBe(2);
    expect(back.lesson?.lesson).toBe(builtinCourse().find((l) => l.id === 'backprop-321'));
    expect(back.project.graph).toEqual(xorTrained().graph);
    // The part alone, as the window reads it before it loads the lessons.
    const part = await decodeShareFragment(await encodeShareFragment(xor(), { kind: 'course', id: 'backprop-321', step: 2 }));
    expect(part.ok && part.lessonPart).toEqual({ kind: 'course', id: 'backprop-321', step: 2 });
  });

  it('a step past the lesson’s last (a later version’s shorter lesson) opens at its last', async () => {
    const back = await opened(crafted(project(), { kind: 'course', id: 'xor-sigmoid', step: 9 }));
    expect(back.lesson?.step).toBe(1);
  });

  it('a teacher’s lesson travels whole and is read by the lesson parser', async () => {
    const value = { ...(COURSE_FILES[5].value as object), id: 'my-xor', title: 'My XOR' };
    const teacher = lessonFromValue(value);
    if (!teacher.ok) throw new Error(teacher.message);
    const lesson: LinkLesson = { kind: 'file', name: 'my-xor.nnlesson', lesson: teacher.lesson, step: 1 };
    const back = await opened(await encodeShareFragment(xor(), lesson));
    const start = startProjectOf(teacher.lesson);
    if ('problem' in start) throw new Error(start.problem);
    expect(back.lesson).toEqual({
      lesson: teacher.lesson,
      source: { kind: 'file', name: 'my-xor.nnlesson' },
      step: 1,
      start: start.project,
    });
  });

  it('refuses a bad lesson part with the lesson parser’s sentence, or its own', async () => {
    const value = { ...(COURSE_FILES[5].value as object), steps: [] };
    expect(await refusal(crafted(project(), { kind: 'file', name: 'x.nnlesson', step: 0, lesson: value }))).toMatch(
      /^The lesson in this link: steps: /,
    );
    expect(await refusal(crafted(project(), { kind: 'file', name: 'x.nnlesson', step: 0, lesson: { format: 'other' } }))).toMatch(
      /^The lesson in this link: this is not an NN Studio lesson/,
    );
    expect(await refusal(crafted(project(), { kind: 'course', id: 'no-such-lesson', step: 0 }))).toBe(
      'This link opens the lesson “no-such-lesson”, which this version of NN Studio does not have.',
    );
    expect(await refusal(crafted(project(), { kind: 'course', id: 'xor-sigmoid', step: -1 }))).toBe(
      'This link’s lesson part is not valid (step: must be 0 or more).',
    );
    expect(await refusal(crafted(project(), { kind: 'other' }))).toMatch(/^This link’s lesson part is not valid \(kind: /);
    expect(await refusal(`${crafted(project())}.${zlibPart('{not json')}`)).toBe(
      'This link’s lesson part is not valid JSON, so the link is damaged or was not made by NN Studio.',
    );
  });
});
