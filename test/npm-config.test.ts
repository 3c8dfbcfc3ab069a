/**
 * The install must not fetch anything from outside the npm registry, and npm must not nag about
 * the way that is arranged: onnxruntime-node's postinstall (which would download CUDA files) is
 * denied by package.json's `allowScripts`, npm 11's own install-script policy, not by a project
 * `.npmrc` key that npm does not know and warns about on every command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('npm configuration', () => {
  it('denies the install scripts that would download from outside the registry', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
    // The CPU runtime ships inside the package; the denied script only adds CUDA files.
    expect(
      existsSync(join(root, `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`)),
    ).toBe(true);
  });

  it('prints no warning about unknown project configuration on an npm command', () => {
    const result = spawnSync('npm', ['config', 'get', 'allow-scripts'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/Unknown (project|user|global) config/);
  });
});
