import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The folder of physeval's package.json, found by walking up from this module, so that shipped
 * data (the prompt catalog, schemas) is found both from source (vitest) and from dist/ after tsc.
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'physeval') {
      cachedRoot = folder;
      return folder;
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error('physeval: package.json not found above ' + fileURLToPath(import.meta.url));
    folder = parent;
  }
}

export function physevalVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}
