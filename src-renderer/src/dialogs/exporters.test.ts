/**
 * The Export dialog's exporters, loaded on demand: each format gives what the engine's
 * exportProject gives (the dialog cannot use that function without loading every exporter with
 * the app), and a network an exporter cannot express is refused in the exporter's own words.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportProject, findExample, openSession, projectFromSession, type ExportFormat } from '../../../engine/src/index';
import { exportContents } from './exporters';

describe('exportContents', () => {
  // Trained a little, so the weights and the history are the run's, not the initial ones.
  const start = findExample('xor-sigmoid')!.create();
  const session = openSession(start);
  session.trainer.run({ epochs: 20 });
  const project = projectFromSession(start, session);

  it.each(Object.keys(EXPORT_FORMATS) as ExportFormat[])('gives the same %s file as the engine', (format) => {
    const ours = exportContents(project, format);
    const engine = exportProject(project, format);
    expect(typeof ours).toBe(typeof engine);
    if (ours instanceof Uint8Array) expect(Array.from(ours)).toEqual(Array.from(engine as Uint8Array));
    else expect(ours).toBe(engine);
  });

  it('refuses a format it does not know, by name', () => {
    expect(() => exportContents(project, 'tflite' as ExportFormat)).toThrow('tflite');
  });
});
