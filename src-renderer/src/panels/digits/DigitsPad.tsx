/**
 * The digits pad: an 8×8 grid to draw a digit on (as the data's pixels, 0–16), the network's
 * output for each digit as a bar and the digit it picks, and one small map per first-layer unit:
 * its 64 incoming weights as an 8×8 image (orange positive, blue negative), ringed by how strongly
 * the drawing drives it. Live: the answer follows every stroke and the weights while training.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { DIGITS_MAX, DIGITS_SIDE, projectData, type Project } from '../../../../engine/src/index';
import { useDataPreparation, useThrottled } from '../../ui/use-throttled';
import { useThemeColors, withAlpha, type ThemeColors } from '../../ui/theme-colors';
import { padNetwork } from './digits-pad';
import './digits-pad.css';

const CELLS = DIGITS_SIDE * DIGITS_SIDE;

export function DigitsPad({ project }: { project: Project }) {
  // The weights change up to 30 times a second while training; the pad follows at 10.
  const shown = useThrottled(project, 100);
  const normalisation = useDataPreparation(shown, (p) => projectData(p).normalisation);
  const network = useMemo(
    () => (typeof normalisation === 'string' ? normalisation : padNetwork(shown, normalisation)),
    [shown, normalisation],
  );
  const [cells, setCells] = useState<number[]>(() => new Array<number>(CELLS).fill(0));
  const [cursor, setCursor] = useState(0);
  const stroke = useRef<number | null>(null);
  const answer = useMemo(() => (typeof network === 'string' ? null : network.answer(cells)), [network, cells]);
  const colors = useThemeColors();

  const paint = (index: number, value: number) =>
    setCells((now) => {
      if (now[index] === value) return now;
      const next = [...now];
      next[index] = value;
      return next;
    });
  const onPointerDown = (event: PointerEvent<HTMLDivElement>, index: number) => {
    event.preventDefault();
    // Left button paints; the right button or Shift erases.
    const value = event.button === 2 || event.shiftKey ? 0 : DIGITS_MAX;
    stroke.current = value;
    setCursor(index);
    paint(index, value);
    event.currentTarget.parentElement?.focus();
  };
  const onPointerEnter = (event: PointerEvent<HTMLDivElement>, index: number) => {
    if (stroke.current === null) return;
    if (event.buttons === 0) {
      stroke.current = null;
      return;
    }
    paint(index, stroke.current);
  };
  useEffect(() => {
    const end = () => (stroke.current = null);
    window.addEventListener('pointerup', end);
    return () => window.removeEventListener('pointerup', end);
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const row = Math.floor(cursor / DIGITS_SIDE);
    const column = cursor % DIGITS_SIDE;
    const move = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[event.key];
    if (move) {
      event.preventDefault();
      const r = Math.min(DIGITS_SIDE - 1, Math.max(0, row + move[0]));
      const c = Math.min(DIGITS_SIDE - 1, Math.max(0, column + move[1]));
      setCursor(r * DIGITS_SIDE + c);
    } else if (event.key === ' ') {
      event.preventDefault();
      paint(cursor, cells[cursor] > 0 ? 0 : DIGITS_MAX);
    }
  };

  return (
    <section className="digits-pad" aria-label="Digits pad">
      <div className="digits-pad-head">
        <h3>Digits pad</h3>
        <button type="button" onClick={() => setCells(new Array<number>(CELLS).fill(0))} disabled={cells.every((v) => v === 0)}>
          Clear
        </button>
      </div>
      <div className="digits-pad-body">
        <div
          className="digits-pad-grid"
          role="application"
          tabIndex={0}
          aria-label="Drawing pad, 8 by 8 pixels: drag to paint, right button or Shift to erase; arrow keys move, Space paints or erases"
          aria-describedby="digits-pad-cursor"
          onKeyDown={onKeyDown}
          onContextMenu={(event) => event.preventDefault()}
          data-testid="digits-pad-grid"
        >
          {cells.map((value, index) => (
            <div
              key={index}
              className={`digits-pad-cell${index === cursor ? ' cursor' : ''}`}
              style={{ opacity: 0.08 + (0.92 * value) / DIGITS_MAX }}
              data-testid={`pad-cell-${index}`}
              data-value={value}
              onPointerDown={(event) => onPointerDown(event, index)}
              onPointerEnter={(event) => onPointerEnter(event, index)}
            />
          ))}
        </div>
        <span id="digits-pad-cursor" className="visually-hidden">
          {`Cursor at row ${Math.floor(cursor / DIGITS_SIDE) + 1}, column ${(cursor % DIGITS_SIDE) + 1}: ${cells[cursor] > 0 ? 'painted' : 'empty'}.`}
        </span>
        {typeof network === 'string' || !answer ? (
          <p className="digits-pad-note">{typeof network === 'string' ? network : ''}</p>
        ) : (
          <div className="digits-pad-answer">
            <p className="digits-pad-predicted" aria-live="polite">
              Predicted: <b data-testid="digits-pad-predicted">{answer.predicted}</b>
            </p>
            <ol className="digits-pad-bars" aria-label="Output per digit">
              {answer.outputs.map((p, d) => (
                <li key={d} className={d === answer.predicted ? 'predicted' : undefined}>
                  <span className="digit">{d}</span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
                  </span>
                  <span className="value">{p.toFixed(3)}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
      {typeof network !== 'string' && answer && network.unitWeights.length > 0 && (
        <div className="digits-pad-units" aria-label="First-layer units: incoming weights as an image, ringed by the unit's activation">
          {network.unitWeights.map((weights, j) => (
            <UnitMap key={j} index={j} weights={weights} activation={answer.hidden[j]} colors={colors} />
          ))}
        </div>
      )}
    </section>
  );
}

/** A #rrggbb colour's red, green and blue (a mid grey for any other spelling). */
function rgbOf(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  return hex ? [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)] : [128, 128, 128];
}

/** One unit's weights as an 8×8 image, with its activation under it. */
function UnitMap({ index, weights, activation, colors }: { index: number; weights: number[]; activation: number; colors: ThemeColors }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    let largest = 0;
    for (const w of weights) largest = Math.max(largest, Math.abs(w));
    const positive = rgbOf(colors.positive);
    const negative = rgbOf(colors.negative);
    // One image for the 64 pixels: up to 32 maps redraw ten times a second while training, and a
    // fillStyle string per pixel cost the canvas its frame rate.
    const image = context.createImageData(DIGITS_SIDE, DIGITS_SIDE);
    weights.forEach((w, p) => {
      const [r, g, b] = w >= 0 ? positive : negative;
      image.data.set([r, g, b, Math.round(255 * (largest > 0 ? Math.abs(w) / largest : 0))], 4 * p);
    });
    context.putImageData(image, 0, 0);
  }, [weights, colors]);
  const strength = Math.min(1, Math.abs(activation));
  return (
    <figure className="digits-pad-unit" title={`unit ${index + 1}: activation ${activation.toFixed(3)}`}>
      <canvas
        ref={canvas}
        width={DIGITS_SIDE}
        height={DIGITS_SIDE}
        style={{ outlineColor: withAlpha(activation >= 0 ? colors.positive : colors.negative, strength) }}
        aria-hidden="true"
      />
      <figcaption data-testid={`digits-pad-unit-${index}`}>{activation.toFixed(2)}</figcaption>
    </figure>
  );
}
