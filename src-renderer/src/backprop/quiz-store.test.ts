/**
 * The quiz's store with the inspector's: answers recorded and scored, "Show answer" counted as not
 * right, progress asked afresh on a new trace, the canvas's badges blanked until answered, and the
 * CSV a teacher opens (header, quoting, formula-looking text kept as text).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { findExample } from '../../../engine/src/index';
import { startHistory } from '../document/history';
import { useStudio } from '../state/store';
import { useBackprop } from './store';
import { QUIZ_CSV_COLUMNS, pendingAt, quizCsv, quizScore, questionsAt, useQuiz, type QuizRecord } from './quiz-store';

vi.mock('../state/api', () => ({ api: { host: 'browser', invoke: vi.fn(async () => ({})), on: vi.fn(() => () => undefined) } }));

async function open321(name = '3-2-1 example') {
  const project = findExample('three-two-one')!.create();
  project.name = name;
  useStudio.setState({ history: startHistory(project, true), project, dirty: false });
  useBackprop.getState().close();
  await useBackprop.getState().openAt();
}

const σ = (s: number) => 1 / (1 + Math.exp(-s));

describe('the quiz store', () => {
  beforeEach(() => {
    useQuiz.setState({ on: false, records: [], progress: {}, parameters: {} });
  });

  it('records each checked answer, scores it and counts a shown answer as not right', async () => {
    await open321();
    useQuiz.getState().setOn(true);
    const bp = useBackprop.getState();
    const [s, z] = questionsAt(bp.inspection!, bp.inspection!.steps[0]);
    // s_y1 = 0.1·1 + (−0.2)·0 + 0.3·1 + 0.1 = 0.5 (by hand).
    expect(useQuiz.getState().answer(s, '0.5')).toMatchObject({ right: true });
    expect(useQuiz.getState().answer(z, 'zero')).toEqual({ problem: '“zero” is not a number (write decimals with a point: 0.25).' });
    expect(useQuiz.getState().answer(z, '0.5')).toMatchObject({ right: false, mistake: { kind: 'gave-s' } });
    useQuiz.getState().reveal(z);
    expect(quizScore()).toEqual({ asked: 3, right: 1, byQuantity: { s: { asked: 1, right: 1 }, z: { asked: 2, right: 0 } } });
    const records = useQuiz.getState().records;
    expect(records.map((r) => [r.stop, r.symbol, r.typed, r.right, r.shown])).toEqual([
      ['forward y1', 's_y1', '0.5', true, false],
      ['forward y1', 'z_y1', '0.5', false, false],
      ['forward y1', 'z_y1', '', false, true],
    ]);
    expect(records[0].project).toBe('3-2-1 example');
    expect(records[0].rows).toEqual([0]);
    expect(pendingAt(useQuiz.getState(), bp.inspection!, 0)).toEqual([]);
  });

  it('hides the canvas’s s and z of the unit asked about until answered, and δ and its edges’ gradients at a backward stop', async () => {
    await open321();
    const view = () => useBackprop.getState().view!;
    expect(view().units.get('y1')![0].s).toBeCloseTo(0.5, 12); // quiz off: shown
    useQuiz.getState().setOn(true);
    expect(view().units.get('y1')![0]).toEqual({ s: null, z: null, delta: null });
    const bp = useBackprop.getState();
    const [s, z] = questionsAt(bp.inspection!, bp.inspection!.steps[0]);
    useQuiz.getState().answer(s, '0.5');
    expect(view().units.get('y1')![0]).toMatchObject({ s: 0.5, z: null });
    useQuiz.getState().answer(z, String(σ(0.5)));
    expect(view().units.get('y1')![0].z).toBeCloseTo(σ(0.5), 12);
    // The backward stop of z1: its δ and the gradients on y1→z1 and y2→z1 (−δ·z_y) are hidden.
    useBackprop.getState().toPhase('backward');
    expect(view().units.get('z1')![0].delta).toBeNull();
    expect(view().edges.has('y1->z1')).toBe(false);
    useQuiz.getState().setOn(false);
    expect(view().units.get('z1')![0].delta).not.toBeNull();
    expect(view().edges.has('y1->z1')).toBe(true);
  });

  it('asks afresh when the trace changes (a what-if edit, an applied step)', async () => {
    await open321();
    useQuiz.getState().setOn(true);
    const bp = useBackprop.getState();
    const [s] = questionsAt(bp.inspection!, bp.inspection!.steps[0]);
    useQuiz.getState().answer(s, '0.5');
    expect(pendingAt(useQuiz.getState(), useBackprop.getState().inspection!, 0).map((q) => q.quantity)).toEqual(['z']);
    useBackprop.getState().applyAndContinue();
    expect(pendingAt(useQuiz.getState(), useBackprop.getState().inspection!, 0).map((q) => q.quantity)).toEqual(['s', 'z']);
    // The record stays.
    expect(quizScore().asked).toBe(1);
  });

  it('writes the CSV with one header row, quoted fields and formula-looking text kept as text', () => {
    const record: QuizRecord = {
      time: '2026-01-02T03:04:05.000Z',
      project: '=HYPERLINK("x"), "quoted"',
      rows: [3, 4],
      stop: 'backward z1',
      quantity: 'delta',
      symbol: 'δ_z1',
      expected: 0.10167,
      typed: '−0.1017',
      right: false,
      shown: false,
      mistake: "Your δ_z1 is the right size but the wrong sign: δ_k = (t_k − z_k) φ'(s_k), φ'(s) = z(1 − z).",
      tolerance: 0.0005,
    };
    const csv = quizCsv([record]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(QUIZ_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[1]).toBe(
      '2026-01-02T03:04:05.000Z,"\'=HYPERLINK(""x""), ""quoted""",3 4,backward z1,delta,δ_z1,0.10167,-0.1017,no,no,0.0005,' +
        '"Your δ_z1 is the right size but the wrong sign: δ_k = (t_k − z_k) φ\'(s_k), φ\'(s) = z(1 − z)."',
    );
    expect(quizCsv([])).toBe(`${QUIZ_CSV_COLUMNS.join(',')}\r\n`);
  });
});
