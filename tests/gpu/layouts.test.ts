/** src/gpu/layouts.ts (the one source of struct byte layouts) against shaders/structs.wgsl. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { STRUCTS, WGSL_CONSTS, type StructLayout } from '../../src/gpu/layouts';

const SOURCE = readFileSync(join(__dirname, '..', '..', 'shaders', 'structs.wgsl'), 'utf8');

/** The u32 `const` values of structs.wgsl (array counts may name them). */
const CONSTS = new Map([...SOURCE.matchAll(/^const (\w+): u32 = (\d+)u;/gm)].map((m) => [m[1]!, m[2]!]));

/** A field type with a named array count replaced by the const's value: array<f32, N> → array<f32, 6>. */
function resolveCount(type: string): string {
  return type.replace(/^array<(.+), (\w+)>$/, (all, el: string, count: string) =>
    /^\d+$/.test(count) ? all : `array<${el}, ${CONSTS.get(count) ?? count}>`,
  );
}

/** Alignment and size of a WGSL type (host-shareable rules; uniform arrays need a 16-byte stride). */
function alignSize(type: string): { align: number; size: number } {
  if (type === 'f32' || type === 'u32') return { align: 4, size: 4 };
  if (type === 'vec4f' || type === 'vec4u') return { align: 16, size: 16 };
  const fixed = /^array<(.+), (\d+)>$/.exec(type);
  if (fixed) {
    const el = alignSize(fixed[1]!);
    return { align: el.align, size: Math.ceil(el.size / el.align) * el.align * Number(fixed[2]) };
  }
  const runtime = /^array<(.+)>$/.exec(type);
  if (runtime) return { align: alignSize(runtime[1]!).align, size: 0 };
  throw new Error(`unknown WGSL type ${type}`);
}

/** Parses `struct Name { field: type, … }` and computes the offsets WGSL gives its fields. */
function wgslLayout(name: string): StructLayout {
  const body = new RegExp(`struct ${name} \\{([\\s\\S]*?)\\n\\}`).exec(SOURCE)?.[1];
  if (!body) throw new Error(`struct ${name} not found in structs.wgsl`);
  const lines = body
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, '').trim())
    .filter((l) => l && !l.startsWith('/**') && !l.startsWith('*'));
  let offset = 0;
  let align = 1;
  const fields = lines.map((line) => {
    const m = /^(\w+): (.+),$/.exec(line);
    if (!m) throw new Error(`cannot parse "${line}" in struct ${name}`);
    const type = resolveCount(m[2]!);
    const t = alignSize(type);
    offset = Math.ceil(offset / t.align) * t.align;
    const field = { name: m[1]!, type: type as StructLayout['fields'][number]['type'], offset };
    offset += t.size;
    align = Math.max(align, t.align);
    return field;
  });
  const runtimeSized = fields.at(-1)!.type === 'array<f32>';
  return { name, fields, size: runtimeSized ? fields.at(-1)!.offset : Math.ceil(offset / align) * align };
}

it('declares every shared struct exactly as structs.wgsl does', () => {
  for (const layout of STRUCTS) expect(wgslLayout(layout.name), layout.name).toEqual(layout);
});

it('mirrors the WGSL flag constants', () => {
  for (const [name, value] of Object.entries(WGSL_CONSTS)) {
    const m = new RegExp(`const ${name}: u32 = (\\d+)u;`).exec(SOURCE);
    expect(m?.[1], name).toBe(String(value));
  }
});
