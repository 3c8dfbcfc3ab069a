/**
 * UCI's handwritten digits, 8×8 (the optdigits test set: 1,797 images from 13 writers, each pixel
 * the count of inked points in a 4×4 block of a 32×32 bitmap, 0–16). E. Alpaydin and C. Kaynak,
 * “Optical Recognition of Handwritten Digits”, UCI Machine Learning Repository, 1998,
 * https://doi.org/10.24432/C50P49, CC BY 4.0. The rows themselves are in digits-data.ts, generated
 * by scripts/write-digits.mjs. The CLI, the tests and the training workers import that module as
 * it is; the renderer's build (src-renderer/vite.config.ts) puts a shim in its place that loads it
 * with import() the first time the rows are asked for, so the 45 kB of rows stay out of the app's
 * first load.
 */
import { DataError } from './data';
import { digitsRowsNow } from './digits-data';

/** The image's side: the images are DIGITS_SIDE × DIGITS_SIDE pixels. */
export const DIGITS_SIDE = 8;

/** The largest pixel value (a 4×4 block fully inked). */
export const DIGITS_MAX = 16;

/** The 64 pixel columns, row by row from the top left: p0 … p63. */
export const DIGITS_FEATURES: readonly string[] = Array.from({ length: DIGITS_SIDE * DIGITS_SIDE }, (_, i) => `p${i}`);

/** The ten one-hot target columns, digit=0 … digit=9. */
export const DIGITS_TARGETS: readonly string[] = Array.from({ length: 10 }, (_, d) => `digit=${d}`);

/** The number of images. */
export const DIGITS_COUNT = 1797;

/**
 * The images as rows of 64 pixel values (0–16) followed by the digit, decoded from digits-data.ts.
 * @throws DataError while the renderer is still loading them (it shows the data once they are in).
 */
export function digitsRows(): number[][] {
  const rows = digitsRowsNow();
  if (!rows) throw new DataError('The handwritten digits are still loading; they appear in a moment.');
  return rows.map((text) => {
    const row: number[] = [];
    for (let i = 0; i < DIGITS_SIDE * DIGITS_SIDE; i++) row.push(text.charCodeAt(i) - 97);
    row.push(Number(text[DIGITS_SIDE * DIGITS_SIDE]));
    return row;
  });
}
