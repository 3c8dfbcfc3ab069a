/**
 * `nnstudio`: the command-line trainer. Examples, training with progress, evaluation and the step
 * trace, on the same engine the app uses. Every failure is one line on stderr and a non-zero exit.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { writeFileDurably } from '../files/durable-write';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  EXAMPLES,
  DataError,
  EXPORT_FORMATS,
  ExportError,
  GraphCompileError,
  TrainingSetupError,
  isExportFormat,
  exportFileName,
  findExample,
  openSession,
  evaluateSession,
  projectFromSession,
  traceStep,
  traceToText,
  traceToJson,
  rowPlaces,
  trainingRowRefusal,
  escapeControlCharacters,
  checkHyperparameters,
  formatNumber,
  formatPercent,
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  OPTIMISER_SETTING_NAMES,
  type Hyperparameters,
  type OptimiserName,
  type EpochRecord,
  type Project,
  type ProjectSession,
  type SplitEvaluation,
  type TrainResult,
} from '../../engine/src/index';
import { UserError, describeFsError, readProjectFile, writeProjectFile } from '../files/project-file';
import { exportProject } from '../../engine/src/export/export-project';
import { useProductThreads, type ProductThreadHost } from '../../engine/src/fast/product-threads';
import { defaultHelperCount, nodeProductThreads } from '../training/spawn';

/** Where the CLI writes, so tests can run it in-process as well as as a binary. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  /**
   * Called when training starts, with a function that asks it to stop after the current epoch
   * (Ctrl-C), and one that tells whether the trained project is being written (a second Ctrl-C
   * then should wait for the write rather than quit).
   */
  onInterrupt?: (stop: () => void, saving: () => boolean) => void;
}

/** The most threads `--threads` takes (more than a mini-batch's products can use). */
const MAX_THREADS = 64;
/** Threads by default: the training thread and its helpers (spawn.ts). */
const MAX_DEFAULT_THREADS = 1 + defaultHelperCount(Infinity, { window: false });

/** The helpers registered for this process's training, by count (a train command run in-process again reuses them). */
let registeredHelpers: { count: number; host: ProductThreadHost } | null = null;

/** Registers `count` helper threads for the products (started on first use), reusing those of an earlier command. */
function useHelpers(count: number): void {
  if (registeredHelpers?.count !== count) registeredHelpers = { count, host: nodeProductThreads(count) };
  useProductThreads(registeredHelpers.host);
}

/** Wrong usage: exit code 2, as is the convention for command-line tools. */
class UsageError extends UserError {}

const USAGE = `Usage: nnstudio <command> [options]

Commands:
  examples                      list the example projects
  new --example NAME [--out FILE] [--force]
                                write an example project (default: NAME.nnproj)
  train FILE [--epochs N] [--optimiser NAME] [--learning-rate X] [--out FILE | --in-place]
        [--threads N] [--json] [--quiet]
                                train as the project's hyperparameters say (or N more epochs,
                                or with another optimiser) and write the trained project
                                (default: FILE.trained.nnproj)
  eval FILE [--json]            loss, accuracy and confusion matrix on each split
  trace FILE --sample N[,M...] [--json]
                                one training step on row N of the data (its row in the
                                file, from 0), or on a mini-batch of rows, in the
                                lecture's formulas with numbers
  export FILE --to FORMAT [--out PATH] [--force] [--precision float32|float64]
                                the network with its current weights as FORMAT:
                                onnx (a model for ONNX Runtime etc.), pytorch or keras
                                (a Python script), weights (JSON), history (CSV),
                                svg (a picture); default PATH: FILE with the format's
                                extension; --precision is for onnx (default float32)
  help                          show this

Run 'nnstudio COMMAND --help' for one command's usage.
Exit status: 0 success, 1 a problem with a file or the network, 2 wrong usage.
`;

/** What `nnstudio COMMAND --help` prints. */
const COMMAND_USAGE = {
  examples: `Usage: nnstudio examples [--json]

Lists the example projects: name, title and what training it reaches.
  --json        one JSON array instead of text
`,
  new: `Usage: nnstudio new --example NAME [--out FILE] [--force]

Writes an example project (see nnstudio examples).
  --example NAME  the example to write
  --out FILE      where to write it (default: NAME.nnproj)
  --force         replace FILE if it exists
`,
  train: `Usage: nnstudio train FILE [--epochs N] [--optimiser NAME] [--learning-rate X] [SETTINGS]
                     [--out FILE | --in-place] [--threads N] [--json] [--quiet]

Trains the project as its hyperparameters say, then writes the trained project. Ctrl-C stops
after the current epoch and saves the weights so far; Ctrl-C again quits at once, without
saving (but never while the file is being written). The options that change a hyperparameter
are saved with the trained project.
  --epochs N    train N more epochs (the project's other stopping criteria still apply)
  --optimiser NAME  ${OPTIMISER_NAMES.map((name) => `${name} (${OPTIMISERS[name].label})`).join(', ')}
  --learning-rate X the learning rate η
${OPTIMISER_SETTING_NAMES.map((name) => `  --${name} X${' '.repeat(Math.max(1, 15 - name.length))}${OPTIMISER_SETTINGS[name].label} (${OPTIMISER_NAMES.filter((o) => (OPTIMISERS[o].settings as readonly string[]).includes(name)).join(', ')})`).join('\n')}
  --out FILE    where to write (default: FILE.trained.nnproj beside the input)
  --in-place    overwrite the input instead
  --threads N   threads for the matrix products of a wide network trained in float32
                (default: every core, at most ${MAX_DEFAULT_THREADS}; 1: this thread only); the numbers
                are the same on any number of threads
  --json        one JSON line per epoch on stdout, then one with the result
  --quiet       no progress bar
`,
  eval: `Usage: nnstudio eval FILE [--json]

Loss, accuracy and confusion matrix of the project's current weights on each split.
  --json        one JSON object instead of text
`,
  trace: `Usage: nnstudio trace FILE --sample N[,M...] [--json]

One training step on row N of the project's data (its row in the file or the generated set,
counting from 0), or on a mini-batch of rows, in the lecture's formulas with the numbers
filled in. The rows must be in the training split.
  --sample N[,M...]  the dataset row or rows
  --json             the trace as JSON (format nnstudio-trace, docs/trace-format.md)
`,
  export: `Usage: nnstudio export FILE --to FORMAT [--out PATH] [--force] [--precision float32|float64]

Writes the network with its current weights as FORMAT: onnx (a model for ONNX Runtime etc.),
pytorch or keras (a Python script), weights (JSON), history (CSV), svg (a picture).
  --to FORMAT        the format
  --out PATH         where to write (default: FILE with the format's extension)
  --force            replace PATH if it exists
  --precision P      float32 (default) or float64; for onnx only
`,
} as const;

type Command = keyof typeof COMMAND_USAGE;

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      case 'examples':
        return commandExamples(rest, io);
      case 'new':
        return await commandNew(rest, io);
      case 'train':
        return await commandTrain(rest, io);
      case 'eval':
        return await commandEval(rest, io);
      case 'trace':
        return await commandTrace(rest, io);
      case 'export':
        return await commandExport(rest, io);
      default:
        throw new UsageError(`unknown command '${command}'. Commands: examples, new, train, eval, trace, export, help.`);
    }
  } catch (error) {
    // Messages quote file names, arguments and bytes from files: escaped, they cannot move the
    // cursor, retitle the terminal or split the one line.
    if (error instanceof UsageError) {
      io.stderr.write(`nnstudio: ${escapeControlCharacters(error.message)}\nRun 'nnstudio help' for usage.\n`);
      return 2;
    }
    // The engine's own words for a network or data set that cannot work (a split that does not add up...).
    if (
      error instanceof UserError ||
      error instanceof TrainingSetupError ||
      error instanceof ExportError ||
      error instanceof DataError ||
      error instanceof GraphCompileError
    ) {
      io.stderr.write(`nnstudio: ${escapeControlCharacters(error.message)}\n`);
      return 1;
    }
    // Not expected: still one line, with the details only when asked for.
    const message = escapeControlCharacters(error instanceof Error ? error.message : String(error));
    io.stderr.write(
      `nnstudio: internal error: ${message}${process.env.NNSTUDIO_DEBUG ? `\n${(error as Error).stack}` : ' (set NNSTUDIO_DEBUG=1 for details)'}\n`,
    );
    return 70;
  }
}

/** Every command takes --help (-h). */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, ...HELP } as T & typeof HELP, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs's messages are clear but span several lines; keep one.
    const message = (error as Error).message;
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} needs a value; to give one that starts with a dash, write ${ambiguous[1]}=VALUE.`);
    throw new UsageError(`${message.split(/\.\s/)[0].replace(/\.$/, '')}.`);
  }
  if (parsed.positionals.length > positionals && !(parsed.values as { help?: boolean }).help)
    throw new UsageError(`unexpected argument '${parsed.positionals[positionals]}'.`);
  return parsed;
}

/** `COMMAND --help`: its usage on stdout, exit 0. */
function help(io: CliIo, command: Command): number {
  io.stdout.write(COMMAND_USAGE[command]);
  return 0;
}

function commandExamples(args: string[], io: CliIo): number {
  const { values } = parse(args, { json: { type: 'boolean' } }, 0);
  if (values.help) return help(io, 'examples');
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(EXAMPLES.map((e) => ({ name: e.name, title: e.title, description: e.description, expected: e.expected })))}\n`,
    );
    return 0;
  }
  const width = EXAMPLES.reduce((most, e) => Math.max(most, e.name.length), 0);
  for (const example of EXAMPLES) io.stdout.write(`${example.name.padEnd(width)}  ${example.title}: ${example.expected}\n`);
  return 0;
}

async function commandNew(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { example: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } }, 0);
  if (values.help) return help(io, 'new');
  if (!values.example) throw new UsageError('new needs --example NAME (see nnstudio examples).');
  const example = findExample(values.example);
  if (!example) throw new UsageError(`there is no example '${values.example}'. Examples: ${EXAMPLES.map((e) => e.name).join(', ')}.`);
  const out = resolve(io.cwd, values.out ?? `${example.name}.nnproj`);
  if (existsSync(out) && !values.force) throw new UserError(`${out} already exists; use --force to replace it.`);
  await writeProjectFile(out, example.create());
  io.stdout.write(`Wrote ${out} (${example.title}).\n`);
  return 0;
}

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${option} needs a whole number of at least 1, got '${value}'.`);
  return n;
}

/** A number option's value, or undefined when it is not given. */
function numberOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${option} needs a number, got '${value}'.`);
  return n;
}

/**
 * The project's hyperparameters with the optimiser, learning rate and optimiser settings the
 * options give; each refused value is a usage error naming its option.
 */
function chosenHyperparameters(hyper: Hyperparameters, values: Record<string, string | boolean | undefined>): Hyperparameters {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const optimiser = text('optimiser');
  if (optimiser !== undefined && !(OPTIMISER_NAMES as readonly string[]).includes(optimiser))
    throw new UsageError(`--optimiser takes one of ${OPTIMISER_NAMES.join(', ')}, got '${optimiser}'.`);
  const chosen: Hyperparameters = { ...hyper };
  if (optimiser !== undefined) chosen.optimiser = optimiser as OptimiserName;
  const learningRate = numberOption(text('learning-rate'), '--learning-rate');
  if (learningRate !== undefined) chosen.learningRate = learningRate;
  for (const name of OPTIMISER_SETTING_NAMES) {
    const value = numberOption(text(name), `--${name}`);
    if (value !== undefined) chosen[name] = value;
  }
  const options: Record<string, string> = { learningRate: '--learning-rate', optimiser: '--optimiser' };
  for (const name of OPTIMISER_SETTING_NAMES) options[name] = `--${name}`;
  const issue = checkHyperparameters(chosen).find((i) => i.field in options && text(options[i.field].slice(2)) !== undefined);
  if (issue) throw new UsageError(`${options[issue.field]}: ${issue.message}`);
  return chosen;
}

function requireFile(positionals: string[], command: string): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a project file.`);
  return positionals[0];
}

async function commandTrain(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      epochs: { type: 'string' },
      optimiser: { type: 'string' },
      'learning-rate': { type: 'string' },
      ...Object.fromEntries(OPTIMISER_SETTING_NAMES.map((name) => [name, { type: 'string' as const }])),
      out: { type: 'string' },
      'in-place': { type: 'boolean' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    1,
  );
  if (values.help) return help(io, 'train');
  const input = resolve(io.cwd, requireFile(positionals, 'train'));
  const epochs = positiveInteger(values.epochs, '--epochs');
  const threads = positiveInteger(values.threads, '--threads');
  if (threads !== undefined && threads > MAX_THREADS) throw new UsageError(`--threads is at most ${MAX_THREADS}, got ${threads}.`);
  if (values['in-place'] && values.out) throw new UsageError('use either --out or --in-place, not both.');
  const out = values['in-place']
    ? input
    : resolve(io.cwd, values.out ?? join(dirname(input), `${basename(input, extname(input))}.trained.nnproj`));
  if (out === input && !values['in-place']) throw new UsageError('--out names the input file; add --in-place to overwrite it.');

  const { project, migratedFrom } = await readProjectFile(input);
  if (migratedFrom !== null && !values.json)
    io.stderr.write(`Note: ${escapeControlCharacters(input)} was saved in format version ${migratedFrom} and has been upgraded.\n`);
  const chosen = chosenHyperparameters(project.hyperparameters, values);
  const hyper = epochs ? { ...chosen, maxEpochs: project.training.epoch + epochs } : chosen;
  if (hyper.maxEpochs <= project.training.epoch) {
    throw new UserError(
      `${input} has already been trained for ${project.training.epoch} epochs, its maximum; use --epochs N to train N more.`,
    );
  }
  // No limit on epochs here: the history is thinned to a few thousand records however long it runs.
  await checkCanWrite(out);
  // No window to keep responsive: every core but training's may take rows of large float32 products.
  useHelpers(threads === undefined ? defaultHelperCount(undefined, { window: false }) : threads - 1);
  const session = openSession(project, 'train', hyper);
  for (const notice of session.notices) io.stderr.write(`Note: ${escapeControlCharacters(notice)}\n`);
  const progress = values.json || values.quiet ? null : new ProgressBar(io.stderr, hyper.maxEpochs, project.training.epoch);
  let interrupted = false;
  let saving = false;
  io.onInterrupt?.(
    () => (interrupted = true),
    () => saving,
  );

  const result = await trainInSlices(
    session,
    (record) => {
      if (values.json) io.stdout.write(`${JSON.stringify({ type: 'epoch', ...record })}\n`);
      progress?.update(record);
    },
    () => interrupted,
  );
  progress?.finish();

  // The optimiser and settings the options chose are the project's from now on (not --epochs' limit: that was this run's).
  const trained: Project = projectFromSession({ ...project, hyperparameters: chosen }, session);
  saving = true;
  try {
    await writeProjectFile(out, trained);
  } finally {
    saving = false;
  }
  const last = result.last;
  const message =
    result.reason === 'interrupted' ? `Interrupted after epoch ${result.epochs}; the weights so far are saved.` : result.message;
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({ type: 'done', reason: result.reason, message, epochs: result.epochs, loss: last?.loss ?? null, accuracy: last?.accuracy ?? null, out })}\n`,
    );
  } else {
    io.stdout.write(`${message}\n`);
    if (last)
      io.stdout.write(
        `Epoch ${last.epoch}: loss ${fmt(last.loss)}${last.accuracy !== null ? `, accuracy ${percent(last.accuracy)}` : ''}${last.validationLoss !== null ? `; validation loss ${fmt(last.validationLoss)}${last.validationAccuracy !== null ? `, accuracy ${percent(last.validationAccuracy)}` : ''}` : ''}\n`,
      );
    io.stdout.write(`Wrote ${out}\n`);
  }
  return result.reason === 'diverged' ? 1 : 0;
}

/** How long training runs before it lets the event loop in, so that Ctrl-C is heard. */
const SLICE_MS = 50;

/**
 * Trains until a stopping criterion is met or, once `interrupted()` says so, until the current
 * epoch ends. Training runs in slices of about {@link SLICE_MS} with a turn of the event loop
 * between them (a signal handler runs only then). The slices change nothing in the numbers:
 * `run` picks up where it left off, so an interrupted run at epoch k has exactly the weights of
 * an uninterrupted run of k epochs.
 */
async function trainInSlices(
  session: ProjectSession,
  onEpoch: (record: EpochRecord) => void,
  interrupted: () => boolean,
): Promise<TrainResult> {
  const { trainer } = session;
  const firstEpoch = trainer.epoch;
  const stopHere = (): TrainResult => ({
    reason: 'interrupted',
    message: 'Interrupted.',
    epochs: trainer.epoch,
    last: trainer.history.at(-1) ?? null,
  });
  for (;;) {
    const until = Date.now() + SLICE_MS;
    let epochEnded = false;
    let stopped = false;
    const result = trainer.run({
      onEpoch: (record) => {
        epochEnded = true;
        onEpoch(record);
      },
      progressIntervalMs: SLICE_MS,
      // Asked right after each epoch and at each progress check: Ctrl-C takes effect only at an epoch's end.
      shouldContinue: () => {
        const atEpochEnd = epochEnded;
        epochEnded = false;
        if (atEpochEnd && interrupted()) stopped = true;
        return !stopped && Date.now() < until;
      },
    });
    if (result.reason !== 'interrupted' || stopped) return result;
    await new Promise((resolve) => setImmediate(resolve));
    // Ctrl-C between slices, when the slice had ended just as an epoch did: stop without another.
    if (interrupted() && trainer.epoch > firstEpoch && trainer.progress().samplesIntoEpoch === 0) return stopHere();
  }
}

/**
 * Checks, before any training, that the trained project can be written to `out`: it is not a
 * folder, and its folder exists and takes a new file. @throws UserError naming the problem.
 */
async function checkCanWrite(out: string): Promise<void> {
  const cannot = (reason: string) => new UserError(`${out}: cannot save there: ${reason}`);
  try {
    if ((await stat(out)).isDirectory()) throw new UserError(`${out}: is a folder; name a file for the trained project.`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as { code?: string }).code !== 'ENOENT') throw cannot(describeFsError(error));
  }
  const folder = dirname(out);
  try {
    if (!(await stat(folder)).isDirectory()) throw cannot(`${folder} is not a folder.`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw cannot((error as { code?: string }).code === 'ENOENT' ? `the folder ${folder} does not exist.` : describeFsError(error));
  }
  // Creating a file is the test that counts: root passes every permission check, and a
  // read-only mount or a network share may refuse what the mode bits allow.
  const probe = join(folder, `.${basename(out)}.${randomBytes(6).toString('hex')}.probe`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw cannot(describeFsError(error));
  }
  await unlink(probe).catch(() => undefined);
}

async function commandEval(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  if (values.help) return help(io, 'eval');
  const input = resolve(io.cwd, requireFile(positionals, 'eval'));
  const { project } = await readProjectFile(input);
  const session = openSession(project, 'evaluate');
  const results = evaluateSession(session);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ project: project.name, epoch: project.training.epoch, ...results })}\n`);
    return 0;
  }
  io.stdout.write(
    `${project.name} — after ${project.training.epoch} epoch${project.training.epoch === 1 ? '' : 's'}, loss: ${project.hyperparameters.loss}\n`,
  );
  for (const split of ['train', 'validation', 'test'] as const) {
    const r = results[split];
    if (r.size === 0) {
      io.stdout.write(`\n${split}: no samples\n`);
      continue;
    }
    io.stdout.write(
      `\n${split} (${r.size} sample${r.size === 1 ? '' : 's'}): loss ${fmt(r.loss)}${r.accuracy !== null ? `, accuracy ${percent(r.accuracy)}` : ''}\n`,
    );
    if (r.confusion) io.stdout.write(confusionTable(r.confusion));
  }
  return 0;
}

async function commandTrace(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { sample: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (values.help) return help(io, 'trace');
  const input = resolve(io.cwd, requireFile(positionals, 'trace'));
  if (values.sample === undefined)
    throw new UsageError('trace needs --sample N (a row of the data in the training split, counting from 0).');
  const indices = values.sample.split(',').map((part) => {
    if (!/^\s*\d+\s*$/.test(part))
      throw new UsageError(`--sample takes row numbers counting from 0 (e.g. 3 or 0,1,2), got '${values.sample}'.`);
    return Number(part);
  });
  const { project } = await readProjectFile(input);
  // The trace shows the samples' own values: float64, whatever precision training runs in.
  const session = openSession(project, 'train', project.hyperparameters, 'float64');
  for (const notice of session.notices) io.stderr.write(`Note: ${escapeControlCharacters(notice)}\n`);
  // --sample names rows of the data as the file has them; the trainer counts rows of the shuffled training split.
  const none = new Int32Array(0);
  const places = rowPlaces({
    train: session.train.rowIds ?? none,
    validation: session.validation.rowIds ?? none,
    test: session.test.rowIds ?? none,
  });
  const positions = indices.map((row) => {
    const refusal = trainingRowRefusal(row, places);
    if (refusal) throw new UserError(refusal);
    return places.position[row];
  });
  const trace = traceStep(
    session.model,
    session.trainer.params,
    session.trainer.optimiserState,
    session.train,
    positions,
    session.trainer.hyperparameters,
  );
  io.stdout.write(values.json ? traceToJson(trace) : traceToText(trace));
  return 0;
}

async function commandExport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { to: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, precision: { type: 'string' } },
    1,
  );
  if (values.help) return help(io, 'export');
  const input = resolve(io.cwd, requireFile(positionals, 'export'));
  const formats = Object.keys(EXPORT_FORMATS).join(', ');
  if (values.to === undefined) throw new UsageError(`export needs --to FORMAT (one of ${formats}).`);
  if (!isExportFormat(values.to)) throw new UsageError(`there is no export format '${values.to}'. Formats: ${formats}.`);
  const format = values.to;
  const precision = values.precision;
  if (precision !== undefined && precision !== 'float32' && precision !== 'float64')
    throw new UsageError(`--precision is float32 or float64, got '${precision}'.`);
  if (precision !== undefined && format !== 'onnx') throw new UsageError('--precision applies to --to onnx only.');
  const info = EXPORT_FORMATS[format];
  const out = resolve(io.cwd, values.out ?? join(dirname(input), exportFileName(basename(input, extname(input)), format)));
  if (out === input) throw new UsageError('--out names the project file itself; choose another path for the export.');
  if (existsSync(out) && !values.force) throw new UserError(`${out} already exists; use --force to replace it.`);

  const { project } = await readProjectFile(input);
  const content = exportProject(project, format, { precision });
  try {
    await writeFileDurably(out, content);
  } catch (error) {
    throw new UserError(`${out}: could not save: ${describeFsError(error)}`);
  }
  io.stdout.write(`Wrote ${out} (${info.title}).\n`);
  return 0;
}

/** A number as every part of the app writes it, with an ASCII minus for terminals. */
function fmt(value: number): string {
  return formatNumber(value, { minus: '-' });
}

function percent(value: number): string {
  return formatPercent(value);
}

function confusionTable(confusion: NonNullable<SplitEvaluation['confusion']>): string {
  const { classes, matrix } = confusion;
  const corner = 'true \\ predicted';
  let first = corner.length;
  let width = 6;
  for (const name of classes) {
    first = Math.max(first, name.length);
    width = Math.max(width, name.length);
  }
  for (const row of matrix) for (const count of row) width = Math.max(width, String(count).length);
  const cell = (text: string) => text.padStart(width);
  const lines = [`  ${corner.padEnd(first)}  ${classes.map(cell).join(' ')}`];
  matrix.forEach((row, i) => lines.push(`  ${classes[i].padEnd(first)}  ${row.map((v) => cell(String(v))).join(' ')}`));
  return `${lines.join('\n')}\n`;
}

/** A one-line progress bar on a terminal, redrawn at most ten times a second. */
class ProgressBar {
  private lastDraw = 0;
  private readonly enabled: boolean;
  constructor(
    private readonly stream: CliIo['stderr'],
    private readonly total: number,
    private readonly start: number,
  ) {
    this.enabled = stream.isTTY === true;
  }

  update(record: EpochRecord): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && record.epoch < this.total) return;
    this.lastDraw = now;
    const fraction = Math.min(1, (record.epoch - this.start) / Math.max(1, this.total - this.start));
    const width = 24;
    const filled = Math.round(fraction * width);
    const accuracy = record.accuracy !== null ? `  accuracy ${percent(record.accuracy)}` : '';
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] epoch ${record.epoch}/${this.total}  loss ${fmt(record.loss)}${accuracy}\u001b[K`,
    );
  }

  finish(): void {
    if (this.enabled && this.lastDraw > 0) this.stream.write('\n');
  }
}
