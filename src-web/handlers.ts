/**
 * The web edition's handlers behind every channel of the contract: the same answers the desktop
 * gives (src-main/ipc/handlers.ts), with the browser's files ({@link WebFiles}) and storage
 * ({@link WebData}) in place of the disk and the data folder. Training and the examples are the
 * hosts' shared handlers, over a Web Worker.
 */
import { parseProject, serialiseProject, type Project } from '../engine/src/index';
import { projectNameFromPath, suggestedFileName } from '../engine/src/project/file-name';
import type { Handlers } from '../src-shared/host/dispatch';
import { named, sharedHandlers } from '../src-shared/host/shared-handlers';
import type { TrainingController } from '../src-shared/host/training-controller';
import { UserError } from '../src-shared/host/user-error';
import { MissingFileError, fileNameOf, isDownloadPath, type FileHandleLike, type WebFiles } from './files';
import type { WebData } from './storage';

export interface WebHandlerDeps {
  version: string;
  platform: string;
  files: WebFiles;
  data: WebData;
  training: TrainingController;
  /** Switches to the newer version the service worker holds (src-web/pwa/register.ts). */
  applyUpdate(): Promise<void>;
}

/** Every channel's handler in the browser. */
export function createWebHandlers(deps: WebHandlerDeps): Handlers {
  const { files, data } = deps;
  /** The handle a path names, or a sentence saying why there is none. */
  const handleOf = async (path: string): Promise<FileHandleLike> => {
    const handle = (await data.handle(path)) as FileHandleLike | null;
    if (handle) return handle;
    throw new UserError(
      isDownloadPath(path)
        ? `${fileNameOf(path)}: this browser can only download projects, not reopen them; open the downloaded file again with Open….`
        : `${fileNameOf(path)}: NN Studio no longer has access to this file in this browser; open it again with Open….`,
    );
  };
  /** Remembers a project in the recent list; storage that cannot be written must not fail the open or save. */
  const remember = async (path: string) => {
    if (!isDownloadPath(path)) await data.addRecent(path).catch(() => undefined);
  };
  const opened = (path: string, text: string) => {
    const result = parseProject(text);
    if (!result.ok) throw new UserError(`${fileNameOf(path)}: ${result.error.message}`);
    return { path, project: named(result.project, projectNameFromPath(path, result.project.name)), migratedFrom: result.migratedFrom };
  };
  const textFor = (project: Project) => (fileName: string) => serialiseProject(named(project, projectNameFromPath(fileName, project.name)));

  return {
    ...sharedHandlers(deps.training),
    'app:info': async () => ({ version: deps.version, host: 'web' as const, platform: deps.platform, workspace: null }),
    'project:open': async ({ path }) => {
      if (path !== undefined) {
        const handle = await handleOf(path).catch(async (error: unknown) => {
          await data.forget(path).catch(() => undefined);
          throw error;
        });
        let text: string;
        try {
          text = await files.read(handle, path);
        } catch (error) {
          // Moved or deleted since: as on the desktop, it leaves Open Recent.
          if (error instanceof MissingFileError) await data.forget(path).catch(() => undefined);
          throw error;
        }
        const answer = opened(path, text);
        await remember(path);
        return answer;
      }
      const chosen = await files.chooseToOpen();
      if (!chosen) return null;
      const where = (chosen.handle && (await data.knownPathOf(chosen.handle))) ?? chosen.path;
      const answer = opened(where, chosen.text);
      if (chosen.handle) {
        // Keeping the handle is what lets Save write back; without it the file still opens.
        await data.keepHandle(where, chosen.handle).catch(() => undefined);
        await remember(where);
      }
      return answer;
    },
    'project:save': async ({ path, project }) => {
      if (path === undefined) {
        const saved = await files.saveAs(suggestedFileName(project.name), textFor(project));
        if (!saved) return null;
        const where = (saved.handle && (await data.knownPathOf(saved.handle))) ?? saved.path;
        if (saved.handle) {
          await data.keepHandle(where, saved.handle);
          await remember(where);
        }
        return { path: where, name: projectNameFromPath(where, project.name) };
      }
      const name = projectNameFromPath(path, project.name);
      if (isDownloadPath(path)) files.download(fileNameOf(path), textFor(project)(fileNameOf(path)));
      else await files.write(await handleOf(path), path, textFor(project)(fileNameOf(path)));
      await remember(path);
      return { path, name };
    },
    'recent:list': async () => ({ paths: await data.recent(), removed: [] }),
    'backup:write': async ({ project, path }) => {
      await data.writeBackup(project, path);
      return {};
    },
    'backup:check': async () => data.readBackup(),
    'backup:clear': async () => {
      await data.clearBackup();
      return {};
    },
    'lessons:progress': async () => ({ lessons: await data.lessonProgress() }),
    'lessons:save-progress': async ({ lessonId, progress }) => {
      await data.saveLessonProgress(lessonId, progress);
      return {};
    },
    'app:update': async () => {
      await deps.applyUpdate();
      return {};
    },
    // The browser closes the tab itself once the page lets it (beforeunload has asked).
    'app:close': async () => ({}),
    'workspace:list': async () => {
      throw new UserError('The in-app file picker is only for NN Studio served by `npm run start:web`; here Open uses your browser’s own.');
    },
  };
}
