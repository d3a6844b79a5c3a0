import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';

/** Browser bundles inlined in every HTML report, in load order (vega-embed needs the other two). */
const BUNDLES = [
  { name: 'vega', file: 'build/vega.min.js' },
  { name: 'vega-lite', file: 'build/vega-lite.min.js' },
  { name: 'vega-embed', file: 'build/vega-embed.min.js' },
] as const;

export type VegaBundleErrorCode = 'vega-bundle-missing' | 'vega-bundle-unsafe';

export class VegaBundleError extends Error {
  override readonly name = 'VegaBundleError';
  constructor(
    readonly code: VegaBundleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VegaBundle {
  name: string;
  version: string;
  /** Script text, ready to sit inside a <script> element. */
  source: string;
}

const requireFromHere = createRequire(import.meta.url);

/** The package's root folder: its entry point's nearest ancestor whose package.json has its name. */
function packageRoot(name: string): string {
  let entry: string;
  try {
    entry = requireFromHere.resolve(name);
  } catch (error) {
    throw new VegaBundleError('vega-bundle-missing', `cannot resolve package ${name} from ${import.meta.url}: ${String(error)}`);
  }
  for (let dir = dirname(entry); dir !== parse(dir).root; dir = dirname(dir)) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === name) return dir;
    } catch {
      // No package.json at this level: keep climbing.
    }
  }
  throw new VegaBundleError('vega-bundle-missing', `no package.json named ${name} above ${entry}`);
}

function readVersion(root: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string'
    ? manifest.version
    : 'unknown';
}

function readBundle(name: string, file: string): VegaBundle {
  const root = packageRoot(name);
  const path = join(root, file);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VegaBundleError('vega-bundle-missing', `cannot read the browser bundle of ${name} at ${path}: ${String(error)}`);
  }
  // Either sequence would end or bend the <script> element that holds the bundle.
  const unsafe = /<\/script|<!--/i.exec(source);
  if (unsafe !== null) {
    throw new VegaBundleError('vega-bundle-unsafe', `${path} contains "${unsafe[0]}" at offset ${unsafe.index}: it cannot be inlined in a <script> element`);
  }
  return { name, version: readVersion(root), source };
}

let cached: readonly VegaBundle[] | null = null;

/** vega, vega-lite and vega-embed browser bundles, read from node_modules once per process. */
export function vegaBundles(): readonly VegaBundle[] {
  cached ??= BUNDLES.map((bundle) => readBundle(bundle.name, bundle.file));
  return cached;
}
