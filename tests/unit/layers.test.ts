/**
 * The layer order of docs/ARCHITECTURE.md ("each only imports from the ones above it"), read
 * from that document and checked against every import in src/: static, type-only and dynamic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** The layers in the documented order: the block under "## Layers", one `name/` per line. */
function documentedLayers(): string[] {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Layers'));
  const block = section.slice(section.indexOf('```') + 3, section.indexOf('```', section.indexOf('```') + 3));
  return [...block.matchAll(/^(\S+)\/\s/gm)].map((m) => m[1]!);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The layer a repository path belongs to (src/main.ts, the entry point, is the app's). */
function layerOf(path: string, layers: string[]): string | undefined {
  const rel = relative(ROOT, path).split(sep).join('/');
  if (rel === 'src/main.ts') return 'src/app';
  return layers.find((l) => rel.startsWith(`${l}/`));
}

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function imports(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'(\.[^']*)'/gm);
  return [...found].map((m) => m[1]!);
}

describe('layers', () => {
  const layers = documentedLayers();

  it('reads the documented order', () => {
    expect(layers.slice(0, 3)).toEqual(['src/model', 'shaders', 'src/gpu']);
    expect(layers).toContain('src/view');
    expect(layers.indexOf('src/ui')).toBeGreaterThan(layers.indexOf('src/view'));
  });

  it('no file in src/ imports from a layer below its own', () => {
    const wrong: string[] = [];
    for (const file of sources(join(ROOT, 'src'))) {
      const own = layerOf(file, layers);
      if (own === undefined) {
        wrong.push(`${relative(ROOT, file)} is in no documented layer`);
        continue;
      }
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        const target = layerOf(resolve(dirname(file), spec.replace(/\?.*$/, '')), layers);
        if (target !== undefined && layers.indexOf(target) > layers.indexOf(own)) {
          wrong.push(`${relative(ROOT, file)} (${own}) imports '${spec}' (${target})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
