/**
 * The renderer draws no emoji: they need an emoji font, and where none is installed (many Linux
 * desktops, CI's Chromium) they render as empty boxes. Icons are inline SVG (src-renderer/src/ui/icons.tsx).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(tsx?|css|html)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the renderer', () => {
  it('uses no emoji (characters presented as emoji by default) in its sources', () => {
    const found: string[] = [];
    for (const file of sources(join(root, 'src-renderer'))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, n) => {
          const emoji = line.match(/\p{Emoji_Presentation}/gu);
          if (emoji) found.push(`${relative(root, file)}:${n + 1}: ${emoji.join(' ')}`);
        });
    }
    expect(found).toEqual([]);
  });
});
