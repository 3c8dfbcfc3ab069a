/**
 * File › Export… in the browser host: a picture of the network as PNG and SVG (valid files of the
 * canvas, with its units and weights), and the ONNX model, as downloads.
 */
import { readFileSync } from 'node:fs';
import { appUrl, expect, test, type Page } from './fixtures';

async function exportAs(page: Page, format: string): Promise<{ name: string; bytes: Buffer }> {
  await page.keyboard.press('Control+e');
  await page.getByTestId(`export-${format}`).check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  await expect(page.getByRole('dialog', { name: 'Export' })).toHaveCount(0);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

test('export the network as PNG and SVG pictures, and the model as ONNX', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('compile-status')).toContainText('2 → 2 → 1');

  const svg = await exportAs(page, 'svg');
  expect(svg.name).toBe('XOR 2-2-1.svg');
  const text = svg.bytes.toString('utf8');
  // Parsed by the browser's own XML parser: well-formed, an <svg> root, a path per edge, a label per unit.
  const parsed = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.nodeName,
      edges: doc.querySelectorAll('path[data-edge]').length,
      text: doc.documentElement.textContent,
    };
  }, text);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.edges).toBe(6);
  for (const unit of ['x1', 'x2', 'h1', 'h2']) expect(parsed.text).toContain(unit);

  const png = await exportAs(page, 'png');
  expect(png.name).toBe('XOR 2-2-1.png');
  // PNG signature, then the IHDR chunk with the picture's size: twice the SVG's.
  expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const width = Number(/<svg[^>]* width="([\d.]+)"/.exec(text)![1]);
  expect(png.bytes.readUInt32BE(16)).toBe(Math.round(width * 2));
  // Not a blank picture: its pixels hold the edges' orange or blue.
  const coloured = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - data[i + 2]) > 80) count++;
    return count;
  }, png.bytes.toString('base64'));
  expect(coloured).toBeGreaterThan(100);

  const onnx = await exportAs(page, 'onnx');
  expect(onnx.name).toBe('XOR 2-2-1.onnx');
  expect(onnx.bytes.length).toBeGreaterThan(100);
  expect(onnx.bytes.includes(Buffer.from('nnstudio'))).toBe(true);
});
