/**
 * `nnstudio`: the command-line trainer. Examples, training with progress, evaluation and the step
 * trace, on the same engine the app uses. Every failure is one line on stderr and a non-zero exit.
 */
import { existsSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  EXAMPLES,
  EXPORT_FORMATS,
  ExportError,
  TrainingSetupError,
  exportProject,
  isExportFormat,
  exportFileName,
  findExample,
  openSession,
  evaluateSession,
  projectFromSession,
  traceStep,
  traceToText,
  type EpochRecord,
  type Project,
  type SplitEvaluation,
} from '../../engine/src/index';
import { UserError, describeFsError, readProjectFile, writeProjectFile } from '../files/project-file';

/** Where the CLI writes, so tests can run it in-process as well as as a binary. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  /** Called with a function that asks training to stop after the current epoch (Ctrl-C). */
  onInterrupt?: (stop: () => void) => void;
}

/** Wrong usage: exit code 2, as is the convention for command-line tools. */
class UsageError extends UserError {}

const USAGE = `Usage: nnstudio <command> [options]

Commands:
  examples                      list the example projects
  new --example NAME [--out FILE] [--force]
                                write an example project (default: NAME.nnproj)
  train FILE [--epochs N] [--out FILE | --in-place] [--json] [--quiet]
                                train as the project's hyperparameters say (or N more epochs)
                                and write the trained project (default: FILE.trained.nnproj)
  eval FILE [--json]            loss, accuracy and confusion matrix on each split
  trace FILE --sample N[,M...] [--json]
                                one training step on training row N (from 0), or on a
                                mini-batch of rows, in the lecture's formulas with numbers
  export FILE --to FORMAT [--out PATH] [--force] [--precision float32|float64]
                                the network with its current weights as FORMAT:
                                onnx (a model for ONNX Runtime etc.), pytorch or keras
                                (a Python script), weights (JSON), history (CSV),
                                svg (a picture); default PATH: FILE with the format's
                                extension; --precision is for onnx (default float32)
  help                          show this

Exit status: 0 success, 1 a problem with a file or the network, 2 wrong usage.
`;

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
    if (error instanceof UsageError) {
      io.stderr.write(`nnstudio: ${error.message}\nRun 'nnstudio help' for usage.\n`);
      return 2;
    }
    if (error instanceof UserError || error instanceof TrainingSetupError || error instanceof ExportError) {
      io.stderr.write(`nnstudio: ${error.message}\n`);
      return 1;
    }
    // Not expected: still one line, with the details only when asked for.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`nnstudio: internal error: ${message}${process.env.NNSTUDIO_DEBUG ? `\n${(error as Error).stack}` : ' (set NNSTUDIO_DEBUG=1 for details)'}\n`);
    return 70;
  }
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs's messages are clear but span several lines; keep one.
    const message = (error as Error).message;
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} needs a value; to give one that starts with a dash, write ${ambiguous[1]}=VALUE.`);
    throw new UsageError(`${message.split(/\.\s/)[0].replace(/\.$/, '')}.`);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument '${parsed.positionals[positionals]}'.`);
  return parsed;
}

function commandExamples(args: string[], io: CliIo): number {
  const { values } = parse(args, { json: { type: 'boolean' } }, 0);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(EXAMPLES.map((e) => ({ name: e.name, title: e.title, description: e.description, expected: e.expected })))}\n`);
    return 0;
  }
  const width = Math.max(...EXAMPLES.map((e) => e.name.length));
  for (const example of EXAMPLES) io.stdout.write(`${example.name.padEnd(width)}  ${example.title}: ${example.expected}\n`);
  return 0;
}

async function commandNew(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { example: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } }, 0);
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
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} needs a whole number of at least 1, got '${value}'.`);
  return n;
}

function requireFile(positionals: string[], command: string): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a project file.`);
  return positionals[0];
}

async function commandTrain(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { epochs: { type: 'string' }, out: { type: 'string' }, 'in-place': { type: 'boolean' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } },
    1,
  );
  const input = resolve(io.cwd, requireFile(positionals, 'train'));
  const epochs = positiveInteger(values.epochs, '--epochs');
  if (values['in-place'] && values.out) throw new UsageError('use either --out or --in-place, not both.');
  const out = values['in-place'] ? input : resolve(io.cwd, values.out ?? join(dirname(input), `${basename(input, extname(input))}.trained.nnproj`));
  if (out === input && !values['in-place']) throw new UsageError('--out names the input file; add --in-place to overwrite it.');

  const { project, migratedFrom } = await readProjectFile(input);
  if (migratedFrom !== null && !values.json) io.stderr.write(`Note: ${input} was saved in format version ${migratedFrom} and has been upgraded.\n`);
  const hyper = epochs ? { ...project.hyperparameters, maxEpochs: project.training.epoch + epochs } : project.hyperparameters;
  if (hyper.maxEpochs <= project.training.epoch) {
    throw new UserError(`${input} has already been trained for ${project.training.epoch} epochs, its maximum; use --epochs N to train N more.`);
  }
  const session = openSession(project, 'train', hyper);
  const progress = values.json || values.quiet ? null : new ProgressBar(io.stderr, hyper.maxEpochs, project.training.epoch);
  let interrupted = false;
  io.onInterrupt?.(() => (interrupted = true));

  const result = session.trainer.run({
    onEpoch: (record) => {
      if (values.json) io.stdout.write(`${JSON.stringify({ type: 'epoch', ...record })}\n`);
      progress?.update(record);
    },
    shouldContinue: () => !interrupted,
  });
  progress?.finish();

  const trained: Project = projectFromSession({ ...project }, session);
  await writeProjectFile(out, trained);
  const last = result.last;
  const message = result.reason === 'interrupted' ? `Interrupted after epoch ${result.epochs}; the weights so far are saved.` : result.message;
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ type: 'done', reason: result.reason, message, epochs: result.epochs, loss: last?.loss ?? null, accuracy: last?.accuracy ?? null, out })}\n`);
  } else {
    io.stdout.write(`${message}\n`);
    if (last) io.stdout.write(`Epoch ${last.epoch}: loss ${fmt(last.loss)}${last.accuracy !== null ? `, accuracy ${percent(last.accuracy)}` : ''}${last.validationLoss !== null ? `; validation loss ${fmt(last.validationLoss)}${last.validationAccuracy !== null ? `, accuracy ${percent(last.validationAccuracy)}` : ''}` : ''}\n`);
    io.stdout.write(`Wrote ${out}\n`);
  }
  return result.reason === 'diverged' ? 1 : 0;
}

async function commandEval(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  const input = resolve(io.cwd, requireFile(positionals, 'eval'));
  const { project } = await readProjectFile(input);
  const session = openSession(project, 'evaluate');
  const results = evaluateSession(session);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ project: project.name, epoch: project.training.epoch, ...results })}\n`);
    return 0;
  }
  io.stdout.write(`${project.name} — after ${project.training.epoch} epoch${project.training.epoch === 1 ? '' : 's'}, loss: ${project.hyperparameters.loss}\n`);
  for (const split of ['train', 'validation', 'test'] as const) {
    const r = results[split];
    if (r.size === 0) {
      io.stdout.write(`\n${split}: no samples\n`);
      continue;
    }
    io.stdout.write(`\n${split} (${r.size} sample${r.size === 1 ? '' : 's'}): loss ${fmt(r.loss)}${r.accuracy !== null ? `, accuracy ${percent(r.accuracy)}` : ''}\n`);
    if (r.confusion) io.stdout.write(confusionTable(r.confusion));
  }
  return 0;
}

async function commandTrace(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { sample: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const input = resolve(io.cwd, requireFile(positionals, 'trace'));
  if (values.sample === undefined) throw new UsageError('trace needs --sample N (a row of the training split, counting from 0).');
  const indices = values.sample.split(',').map((part) => {
    if (!/^\s*\d+\s*$/.test(part)) throw new UsageError(`--sample takes row numbers counting from 0 (e.g. 3 or 0,1,2), got '${values.sample}'.`);
    return Number(part);
  });
  const { project } = await readProjectFile(input);
  const session = openSession(project, 'train');
  const size = session.train.size;
  const outside = indices.find((n) => n >= size);
  if (outside !== undefined) throw new UserError(`the training split has ${size} rows (0 to ${size - 1}); there is no row ${outside}.`);
  const trace = traceStep(session.model, session.trainer.params, session.trainer.velocity, session.train, indices, session.trainer.hyperparameters);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ ...trace, newParams: Array.from(trace.newParams), newVelocity: Array.from(trace.newVelocity) })}\n`);
  } else {
    io.stdout.write(traceToText(trace, (n) => `row ${n} of the training split`));
  }
  return 0;
}

async function commandExport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { to: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, precision: { type: 'string' } },
    1,
  );
  const input = resolve(io.cwd, requireFile(positionals, 'export'));
  const formats = Object.keys(EXPORT_FORMATS).join(', ');
  if (values.to === undefined) throw new UsageError(`export needs --to FORMAT (one of ${formats}).`);
  if (!isExportFormat(values.to)) throw new UsageError(`there is no export format '${values.to}'. Formats: ${formats}.`);
  const format = values.to;
  const precision = values.precision;
  if (precision !== undefined && precision !== 'float32' && precision !== 'float64') throw new UsageError(`--precision is float32 or float64, got '${precision}'.`);
  if (precision !== undefined && format !== 'onnx') throw new UsageError('--precision applies to --to onnx only.');
  const info = EXPORT_FORMATS[format];
  const out = resolve(io.cwd, values.out ?? join(dirname(input), exportFileName(basename(input, extname(input)), format)));
  if (out === input) throw new UsageError('--out names the project file itself; choose another path for the export.');
  if (existsSync(out) && !values.force) throw new UserError(`${out} already exists; use --force to replace it.`);

  const { project } = await readProjectFile(input);
  const content = exportProject(project, format, { precision });
  try {
    await writeFileAtomic(out, typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength), { fsync: true });
  } catch (error) {
    throw new UserError(`${out}: could not save: ${describeFsError(error)}`);
  }
  io.stdout.write(`Wrote ${out} (${info.title}).\n`);
  return 0;
}

function fmt(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function confusionTable(confusion: NonNullable<SplitEvaluation['confusion']>): string {
  const { classes, matrix } = confusion;
  const corner = 'true \\ predicted';
  const first = Math.max(corner.length, ...classes.map((c) => c.length));
  const width = Math.max(6, ...classes.map((c) => c.length), ...matrix.flat().map((v) => String(v).length));
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
    this.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] epoch ${record.epoch}/${this.total}  loss ${fmt(record.loss)}${accuracy}\u001b[K`);
  }

  finish(): void {
    if (this.enabled && this.lastDraw > 0) this.stream.write('\n');
  }
}
