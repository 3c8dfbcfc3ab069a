/**
 * The one contract between the renderer and the main process: every channel with the zod schema
 * of its request and of its response, and every event the main process sends.
 *
 * The main side validates each request against it before a handler runs (and each response
 * before it leaves, so a bug cannot leak malformed data). The preload and the browser host's
 * bridge expose exactly these channels, by name, and nothing else.
 */
import { z } from 'zod';
import { EpochRecordSchema, HyperparametersSchema, LIMITS, ProjectSchema, ResumeStateSchema } from '../engine/src/project/schema';
import { OPTIMISER_NAMES } from '../engine/src/train/optimisers';
import { LessonProgressSchema, ProgressByLessonSchema } from '../engine/src/lessons/progress';

const path = z.string().min(1).max(4096);
const sessionId = z.string().min(1).max(64);
const projectFile = z.object({ path, project: ProjectSchema, migratedFrom: z.number().int().nullable() });

/** Request and response schemas of every channel. */
export const CHANNELS = {
  'app:info': {
    request: z.object({}).strict(),
    response: z.object({
      version: z.string(),
      /** electron: the desktop app; browser: the Node browser host (npm run start:web); web: the static web edition. */
      host: z.enum(['electron', 'browser', 'web']),
      platform: z.string(),
      workspace: z.string().nullable(),
    }),
  },
  'examples:list': {
    request: z.object({}).strict(),
    response: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), expected: z.string() })),
  },
  'examples:create': {
    request: z.object({ name: z.string().min(1).max(100) }).strict(),
    response: ProjectSchema,
  },
  'project:open': {
    /**
     * With a path, opens that file; without, asks the user (a native dialog, or the in-app
     * picker's choice). The project comes named after its file.
     */
    request: z.object({ path: path.optional() }).strict(),
    response: projectFile.nullable(),
  },
  'project:save': {
    /**
     * Without a path, asks where to save. The project is written under its file's name (see
     * engine/src/project/file-name.ts): `name` is the name written, for the renderer to take over.
     */
    request: z.object({ path: path.optional(), project: ProjectSchema }).strict(),
    response: z.object({ path, name: ProjectSchema.shape.name }).nullable(),
  },
  'project:open-content': {
    /** A project file's text (dropped on the window): parsed and validated like a file on disk, and named after it. */
    request: z.object({ name: z.string().min(1).max(255), text: z.string().max(LIMITS.fileChars) }).strict(),
    response: z.object({ project: ProjectSchema, migratedFrom: z.number().int().nullable() }),
  },
  'recent:list': {
    /** File › Open Recent, newest first; `removed` are entries that no longer exist (dropped from the list). */
    request: z.object({}).strict(),
    response: z.object({ paths: z.array(path), removed: z.array(path) }),
  },
  'backup:write': {
    /** The unsaved document, kept in the app's data folder in case of a crash. */
    request: z.object({ project: ProjectSchema, path: path.nullable() }).strict(),
    response: z.object({}),
  },
  'backup:check': {
    /** Unsaved work a previous launch left behind, to offer back. */
    request: z.object({}).strict(),
    response: z.object({
      backup: z.object({ project: ProjectSchema, path: path.nullable(), savedAt: z.string() }).nullable(),
      problem: z.string().nullable(),
    }),
  },
  'backup:clear': { request: z.object({}).strict(), response: z.object({}) },
  'lessons:progress': {
    /** The student's progress in every lesson they have begun, by lesson id. */
    request: z.object({}).strict(),
    response: z.object({ lessons: ProgressByLessonSchema }),
  },
  'lessons:save-progress': {
    /** One lesson's progress (the others are kept as they are). */
    request: z.object({ lessonId: z.string().min(1).max(80), progress: LessonProgressSchema }).strict(),
    response: z.object({}),
  },
  'app:update': {
    /** Load the newer version the web edition has downloaded (after app:update-available): the page reloads. Web edition only. */
    request: z.object({}).strict(),
    response: z.object({}),
  },
  'app:close': {
    /** The renderer has dealt with unsaved changes: the window may close now (desktop only). */
    request: z.object({}).strict(),
    response: z.object({}),
  },
  'workspace:list': {
    /** The browser host's file picker: the .nnproj files and folders in a workspace folder. */
    request: z.object({ dir: z.string().max(4096).optional() }).strict(),
    response: z.object({
      dir: z.string(),
      entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['folder', 'project']) })),
    }),
  },
  'training:start': {
    /**
     * `session` is the renderer's name for this run; every event of the run carries it. The run
     * goes on from the project's training state; `notices` says what of it did not fit.
     */
    request: z.object({ project: ProjectSchema, session: sessionId }).strict(),
    response: z.object({ parameters: z.number().int(), epoch: z.number().int(), notices: z.array(z.string()) }),
  },
  'training:pause': { request: z.object({}).strict(), response: z.object({ paused: z.boolean() }) },
  'training:resume': { request: z.object({}).strict(), response: z.object({ running: z.boolean() }) },
  'training:step': {
    /** With a project (and a session name), stepping starts a new session on it, paused. */
    request: z
      .object({ unit: z.enum(['sample', 'batch', 'epoch']), project: ProjectSchema.optional(), session: sessionId.optional() })
      .strict(),
    response: z.object({ ok: z.literal(true), notices: z.array(z.string()) }),
  },
  'training:stop': { request: z.object({}).strict(), response: z.object({ stopped: z.boolean() }) },
  'training:configure': {
    /** New hyperparameters for the running or paused session; they apply from the next step. */
    request: z.object({ hyperparameters: HyperparametersSchema }).strict(),
    response: z.object({ sent: z.boolean() }),
  },
  'training:speed': {
    /** Training steps a second while running (one batch each, in the session's mode), or null for full speed. */
    request: z.object({ stepsPerSecond: z.number().min(0.1).max(10_000).nullable() }).strict(),
    response: z.object({}),
  },
  'training:snapshot': {
    /**
     * The session as it is, null without one: its optimiser's memory (each slot in the compiled
     * model's parameter order) and the training rows of its next step, for the inspector; its weights, epoch,
     * training state (as a project stores it) and the epoch records after epoch `since`, for a save.
     */
    request: z.object({ since: z.number().int().min(0).optional() }).strict(),
    response: z
      .object({
        session: z.string(),
        optimiser: z.object({
          kind: z.enum(OPTIMISER_NAMES),
          step: z.number().int().min(0),
          slots: z.array(z.array(z.number()).max(LIMITS.parameters)).max(4),
        }),
        nextRows: z.array(z.number().int().min(0)),
        epoch: z.number().int().min(0),
        samplesIntoEpoch: z.number().int().min(0),
        weights: z.array(z.number()),
        resume: ResumeStateSchema,
        newEpochs: z.array(EpochRecordSchema).max(LIMITS.historyEpochs),
      })
      .nullable(),
  },
  'training:reset': {
    request: z.object({ project: ProjectSchema }).strict(),
    response: z.object({ project: ProjectSchema }),
  },
} as const;

/** A channel's name. */
export type Channel = keyof typeof CHANNELS;
/** What a channel takes. */
export type RequestOf<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
/** A channel's request after validation (defaults applied), as handlers receive it. */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;
/** What a channel returns. */
export type ResponseOf<C extends Channel> = z.output<(typeof CHANNELS)[C]['response']>;

/** zod refuses NaN and Infinity; events carry them as null (see toFiniteOrNull). */
const finiteOrNull = z.number().nullable();
const weights = z.array(finiteOrNull).max(20_000_000);
const epochRecord = z.object({
  epoch: z.number().int(),
  loss: finiteOrNull,
  accuracy: finiteOrNull,
  validationLoss: finiteOrNull,
  validationAccuracy: finiteOrNull,
});

/** Events from the main process to the renderer. */
export const EVENTS = {
  /** Training progress, at most 30 a second. `weights` is the parameter vector in the compiled model's order. */
  'training:progress': z.object({
    session: z.string(),
    state: z.enum(['running', 'paused', 'stopped']),
    epoch: z.number().int(),
    samplesIntoEpoch: z.number().int(),
    epochSize: z.number().int(),
    runningLoss: finiteOrNull,
    /** Epoch records completed since the previous progress event. */
    newEpochs: z.array(epochRecord),
    weights,
    /**
     * The run's training state as a project stores it, while it is held still (paused or
     * stopped); null while it runs, when the weights move on without it.
     */
    resume: ResumeStateSchema.nullable().optional(),
    /**
     * How the run computes: the precision its kernel computes in, and the most threads its
     * matrix products were split over in its latest steps (1: the training thread alone).
     */
    computing: z.object({ precision: z.enum(['exact', 'fast']), threads: z.number().int().min(1).max(256) }).optional(),
  }),
  /** Training ended: a stopping criterion, a pause, or divergence. */
  'training:stopped': z.object({ session: z.string(), reason: z.string(), message: z.string(), epoch: z.number().int() }),
  /** Something went wrong (the worker crashed, the network does not compile); the app stays usable. */
  'training:error': z.object({ message: z.string() }),
  /** A file to open arrived from outside (file manager, second instance, macOS open-file). */
  'project:open-request': z.object({ path }),
  /** The user asked to close the window or quit: the renderer asks about unsaved changes, then calls app:close. */
  'app:close-requested': z.object({}),
  /** The web edition has downloaded a newer version; app:update switches to it. */
  'app:update-available': z.object({}),
  /** A menu item was chosen; the renderer performs the action. */
  'menu:command': z.object({ command: z.string() }),
} as const;

/** An event's name. */
export type EventName = keyof typeof EVENTS;
/** An event's payload. */
export type EventOf<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** A number for an event: itself when finite, else null (JSON and zod have no NaN or Infinity). */
export function toFiniteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** The error a handler returns to the renderer: a message to show, never a stack trace. */
export interface IpcFailure {
  error: string;
}

/** Every channel, for the preload and the bridge to expose by name. */
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
/** Every event name. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
