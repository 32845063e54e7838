/**
 * What a kind descriptor says about one numeric field: its bounds (checked by the validator,
 * which words the "expected …" of its messages from them), its default (used by the validator
 * when the field is missing and by the panel), and its label in the panel.
 */
export interface NumberField {
  /** Panel label (lil-gui controller name). */
  readonly label: string;
  /** Value when the field is missing; undefined: the field is required. */
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  /** With `min`: the bound is exclusive (x > min). */
  readonly gt?: boolean;
  /** |x| ≤ maxAbs. */
  readonly maxAbs?: number;
  readonly integer?: boolean;
  /** The "expected …" text of a refusal, when the bounds' own wording would mislead. */
  readonly expected?: string;
  /** Not a control of the panel's folder (edited elsewhere, e.g. the matrix editor's layer duration). */
  readonly hidden?: boolean;
}

/** The keys of S whose values are numbers. */
export type NumericKeys<S> = { [K in keyof S]-?: S[K] extends number ? K : never }[keyof S];

/** The keys of S, other than `kind`, whose values are not numbers (matrices, lists, choices). */
export type DataKeys<S> = Exclude<keyof S, 'kind' | NumericKeys<S>>;

/** A kind's numeric fields as a list. */
export function numberFields(d: AnyKind): [string, NumberField][] {
  return Object.entries(d.numbers as Record<string, NumberField>);
}

/** The numeric fields of a kind, in the order the validator reads (and reports) them. */
export type NumberFields<S> = { readonly [K in NumericKeys<S>]: NumberField };

/** One member of a `{ kind, … }` union. */
export type Member<U extends { kind: string }, K extends U['kind']> = Extract<U, { kind: K }>;

/** The part of a descriptor every family shares. */
export interface KindBase<S extends { kind: string }> {
  /** Option text in the panel (also the JSON `kind`, where they differ the panel shows this). */
  readonly label: string;
  /** Numeric fields with bounds, defaults and labels. */
  readonly numbers: NumberFields<S>;
  /** The non-numeric fields (read by the validator's per-field reader), in reading order. */
  readonly data: readonly DataKeys<S>[];
  /** Whether the panel can offer the kind (explicit data come only from files and links). */
  readonly inPanel: boolean;
}

/** Any descriptor, seen without its kind's types (for code that walks every field). */
export interface AnyKind {
  readonly label: string;
  readonly numbers: object;
  readonly data: readonly string[];
  readonly inPanel: boolean;
}

/** The kinds of a table, in declaration order. */
export function kindsOf<T extends object>(table: T): (keyof T & string)[] {
  return Object.keys(table) as (keyof T & string)[];
}

/** Every field name a kind allows (numbers, then data), in reading order. */
export function fieldNames(d: AnyKind): string[] {
  return [...Object.keys(d.numbers), ...d.data];
}

/** The defaults of a kind's numeric fields (required fields are left out). */
export function numberDefaults(d: AnyKind): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, f] of Object.entries(d.numbers as Record<string, NumberField>))
    if (f.default !== undefined) out[k] = f.default;
  return out;
}

/** For a switch over a closed union: a new member fails to compile until it is handled. */
export function assertNever(x: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
