/**
 * The main-process handlers behind every channel of the contract, free of Electron: the desktop
 * shell registers them with ipcMain, the browser host with its WebSocket, and tests call them
 * directly. One implementation, two transports.
 */
import { realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { EXAMPLES, findExample, initialiseProjectWeights, parseProject } from '../../engine/src/index';
import type { AppData } from '../files/app-data';
import { UserError, readProjectFile, writeProjectFile } from '../files/project-file';
import type { TrainingController } from '../training/controller';
import { CHANNELS, type Channel, type IpcFailure, type ParsedRequestOf, type ResponseOf } from './contract';

/** Native or in-app file choice. Returns null when the user cancels. */
export interface Dialogs {
  chooseProjectToOpen(): Promise<string | null>;
  chooseWhereToSave(suggestedName: string): Promise<string | null>;
}

/**
 * Which paths the renderer may name. The browser host confines them to its workspace folder;
 * the desktop app to paths the user chose in a dialog or opened from outside.
 */
export interface PathPolicy {
  /** The absolute path, or a UserError saying why it is refused. */
  check(path: string): string;
  /** Records a path the user chose, so later requests may name it. */
  grant(path: string): void;
  /** The folder the in-app picker lists (browser host only). */
  readonly workspace: string | null;
}

/** A policy confining every path to one folder and what is below it. */
export function workspacePolicy(folder: string): PathPolicy {
  const root = resolve(folder);
  const realRoot = realLocation(root);
  return {
    workspace: root,
    check(path) {
      const full = resolve(root, path);
      // Both the path as written and where it really leads (through symbolic links) must be inside.
      if (!isInside(root, full) || !isInside(realRoot, realLocation(full))) {
        throw new UserError(`${path}: outside the workspace folder (${root}); NN Studio in the browser only reads and writes there.`);
      }
      return full;
    },
    grant() {},
  };
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

/** Where a path really leads: its realpath, or its nearest existing parent's for a new file. */
function realLocation(path: string): string {
  const tail: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...tail.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      tail.push(basename(current));
      current = parent;
    }
  }
}

/** A policy allowing only paths granted by dialogs or open requests. */
export function grantedPathsPolicy(): PathPolicy {
  const granted = new Set<string>();
  return {
    workspace: null,
    check(path) {
      const full = resolve(path);
      if (!granted.has(full)) throw new UserError(`${path}: not a file you chose; open it with File › Open.`);
      return full;
    },
    grant(path) {
      granted.add(resolve(path));
    },
  };
}

export interface HandlerDeps {
  host: 'electron' | 'browser';
  version: string;
  platform: string;
  dialogs: Dialogs;
  paths: PathPolicy;
  training: TrainingController;
  /** Recent projects and the backup of unsaved work. */
  data: AppData;
  /** Closes the window once the renderer has dealt with unsaved changes (desktop); absent in the browser. */
  closeWindow?: () => void;
}

/** Remembers a project in the recent list; a data folder that cannot be written must not fail the open or save. */
async function remember(deps: HandlerDeps, path: string): Promise<void> {
  await deps.data.addRecent(path).catch(() => undefined);
}

/** A handler per channel: it receives the validated request and answers the channel's response. */
export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** Every channel's handler. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => ({ version: deps.version, host: deps.host, platform: deps.platform, workspace: deps.paths.workspace }),
    'examples:list': async () => EXAMPLES.map(({ name, title, description, expected }) => ({ name, title, description, expected })),
    'examples:create': async ({ name }) => {
      const example = findExample(name);
      if (!example) throw new UserError(`There is no example '${name}'.`);
      return example.create();
    },
    'project:open': async ({ path }) => {
      const chosen = path ?? (await deps.dialogs.chooseProjectToOpen());
      if (chosen === null) return null;
      if (path === undefined) deps.paths.grant(chosen);
      const full = deps.paths.check(chosen);
      const { project, migratedFrom } = await readProjectFile(full);
      await remember(deps, full);
      return { path: full, project, migratedFrom };
    },
    'project:open-content': async ({ name, text }) => {
      const result = parseProject(text);
      if (!result.ok) throw new UserError(`${name}: ${result.error.message}`);
      return { project: result.project, migratedFrom: result.migratedFrom };
    },
    'recent:list': async () => {
      const { paths, removed } = await deps.data.recent();
      // Only what the workspace allows (browser), and each entry may be opened again (desktop).
      const allowed = paths.filter((p) => {
        try {
          deps.paths.grant(p);
          deps.paths.check(p);
          return true;
        } catch {
          return false;
        }
      });
      return { paths: allowed, removed };
    },
    'backup:write': async ({ project, path }) => {
      // The path is granted again when the backup is restored, so only one the renderer may
      // already name is kept: a backup must not become a way to reach other files.
      let allowed: string | null = null;
      try {
        allowed = path === null ? null : deps.paths.check(path);
      } catch {
        allowed = null;
      }
      await deps.data.writeBackup(project, allowed);
      return {};
    },
    'backup:check': async () => {
      const { backup, problem } = await deps.data.readBackup();
      if (backup?.path) deps.paths.grant(backup.path);
      return { backup, problem };
    },
    'backup:clear': async () => {
      await deps.data.clearBackup();
      return {};
    },
    'app:close': async () => {
      deps.closeWindow?.();
      return {};
    },
    'project:save': async ({ path, project }) => {
      let chosen = path ?? (await deps.dialogs.chooseWhereToSave(`${project.name.replace(/[^\w.-]+/g, '-')}.nnproj`));
      if (chosen === null) return null;
      if (path === undefined) {
        if (!chosen.endsWith('.nnproj')) chosen = `${chosen}.nnproj`;
        deps.paths.grant(chosen);
      }
      const full = deps.paths.check(chosen);
      // The renderer names only project files: never package.json or anything else.
      if (!full.endsWith('.nnproj')) throw new UserError(`${path}: projects are saved as .nnproj files.`);
      await writeProjectFile(full, project);
      await remember(deps, full);
      return { path: full };
    },
    'workspace:list': async ({ dir }) => {
      const root = deps.paths.workspace;
      if (!root) throw new UserError('The in-app file picker is only for NN Studio in the browser.');
      const folder = deps.paths.check(dir ?? root);
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        throw new UserError(`${folder}: cannot be listed.`);
      }
      return {
        dir: folder,
        entries: entries
          .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.name.endsWith('.nnproj')))
          .map((e) => ({ name: e.name, path: join(folder, e.name), kind: e.isDirectory() ? ('folder' as const) : ('project' as const) }))
          .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1)),
      };
    },
    'training:start': async ({ project, session }) => deps.training.start(project, session),
    'training:pause': async () => {
      deps.training.pause();
      return { paused: true };
    },
    'training:resume': async () => {
      deps.training.resume();
      return { running: true };
    },
    'training:step': async ({ unit, project, session }) => {
      await deps.training.step(unit, project, session);
      return { ok: true as const };
    },
    'training:stop': async () => {
      deps.training.stop();
      return { stopped: true };
    },
    'training:configure': async ({ hyperparameters }) => ({ sent: deps.training.configure(hyperparameters) }),
    'training:speed': async ({ stepsPerSecond }) => {
      deps.training.setSpeed(stepsPerSecond);
      return {};
    },
    'training:snapshot': async () => {
      const state = await deps.training.snapshot();
      // A diverged run's memory is no use to trace from (and JSON has no NaN): no snapshot then.
      if (!state || !state.velocity.every(Number.isFinite)) return null;
      return { session: state.session, velocity: Array.from(state.velocity), nextRows: state.nextRows };
    },
    'training:reset': async ({ project }) => {
      deps.training.stop();
      return { project: initialiseProjectWeights(project) };
    },
  };
}

/**
 * Runs one request through the contract: checks the sender, validates the payload, calls the
 * handler, validates the response. Never throws: any failure is an {@link IpcFailure} whose
 * message the renderer can show.
 */
export async function dispatch(handlers: Handlers, channel: string, payload: unknown, senderAllowed: boolean): Promise<{ ok: unknown } | IpcFailure> {
  if (!senderAllowed) return { error: 'Request refused: it did not come from the NN Studio window.' };
  if (!Object.hasOwn(CHANNELS, channel)) return { error: `Unknown request '${String(channel).slice(0, 80)}'.` };
  const contract = CHANNELS[channel as Channel];
  const request = contract.request.safeParse(payload ?? {});
  if (!request.success) {
    const issue = request.error.issues[0];
    return { error: `Invalid request to ${channel}: ${issue.path.join('.') || 'payload'}: ${issue.message}` };
  }
  try {
    const result = await (handlers[channel as Channel] as (r: unknown) => Promise<unknown>)(request.data);
    const response = contract.response.safeParse(result);
    if (!response.success) return { error: `NN Studio produced an invalid answer to ${channel}; please report this.` };
    return { ok: response.data };
  } catch (error) {
    if (error instanceof UserError) return { error: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { error: `Something went wrong in ${channel}: ${message}` };
  }
}
