// The format of an exercise set (exercises/<section>.ts): plain data an instructor edits.
import type { Matrix } from "mathjs";
import type { Definitions, NDArray, Plain } from "../../notebooks/course/shared";
import type { Variants } from "./variants";

/**
 * An argument: plain data (numbers, arrays, records), possibly holding markers that become live
 * values in the process that calls the function (see notebooks/course/shared/values.ts): a mathjs
 * matrix `{ matrix }`, an NDArray `{ nd }`, or one of the notebook's functions `{ fn: "name" }`.
 */
export type Arg = Plain | { matrix: number[][] } | { nd: number[][] } | { fn: string } | Arg[] | { [key: string]: Arg };

/** What a judge gets besides the learner's value. */
export interface JudgeContext {
  solution: Definitions;
  reference: () => Plain;
}

export interface Case {
  /** Which kind of input this is; shown in feedback ("a mathjs matrix", "a 2-record batch"). */
  label: string;
  args: Arg[];
  /**
   * Instead of comparing with the solution's value: a property the learner's value must have
   * ("training error under 0.15", "accuracy near the reference's"). Returns what is wrong, or
   * undefined. It receives the reference's functions by name (`solution`) and `reference()`, the
   * solution's value for the same case (computed when first asked for). Hidden cases only; what it
   * returns must not give away the reference's numbers.
   */
  judge?: (value: Plain, ctx: JudgeContext) => string | undefined;
}

/**
 * A question answered with a constant `const answer_X = …;` rather than a function. The right answer
 * is the solution's constant of that name, or what `expected` computes from the solution's functions
 * (a set with variants: each learner's own numbers).
 */
export type Answer = (
  | { type: "number"; atol: number; prompt: string }
  | { type: "choices"; prompt: string; statements: Record<string, string> }
) & { expected?: (solution: Definitions) => number | string[] };

export interface Part {
  /** The function the learner writes; parts are found by this name. */
  name: string;
  points: number;
  /** The stub's declaration line, exactly as the notebook shows it. */
  signature: string;
  /** Visible to learners: run by `check(name)` in the notebook. */
  publicCases: Case[];
  /** Inputs only: expected values are computed from the solution inside the grader. */
  hiddenCases: Case[];
  tolerance: { rtol: number; atol: number };
  hint: string;
  /** Parts whose functions this one calls: when they fail, this one is documented to fail too. */
  uses?: string[];
  /** Per-call time limit in milliseconds. */
  timeoutMs?: number;
  /**
   * A method of a class the learner writes: the part's name is "Class.method"; each case's first
   * argument is the instance's state (assigned to a fresh `new Class()`), the rest go to the method.
   * The value compared is `{ state: <these fields after the call>, returned?: <its result> }`.
   */
  method?: { stateFields: string[] };
  /** An answer part: no cases; the learner's constant named `name` is graded (see Answer). */
  answer?: Answer;
  /** Published numbers the solution must reproduce (checked by `course verify`, never shown to learners as cases). */
  references?: {
    label: string;
    args: Arg[];
    expected: Plain;
    tolerance?: { rtol: number; atol: number };
    /** The published part of the result (say the first and last loss), when not all of it is published. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the part's output, whose fields the reference names
    pick?: (value: any) => Plain;
    /** When the published number needs more than one call (a difference of two costs): computes it from the solution. */
    compute?: (solution: Definitions) => Plain;
  }[];
  /** Mutant ids (see grader/authoring/mutate.ts) that cannot change any result, so no check can catch them. */
  equivalentMutants?: string[];
}

export type NotebookCell =
  | { markdown: string }
  | { code: string }
  | { stub: string } // the stub of the part with this name
  | { check: string } // a public check cell for that part
  | { given: string }; // a declaration the learner completes that is not a part (a class with method stubs)

export interface ExerciseSet {
  section: string; // e.g. "01-single-unit-gd"
  title: string;
  parts: Part[];
  notebook: NotebookCell[];
  /**
   * How each `given` cell is made from the solution's declaration (with its doc comment): "as is", or a
   * class whose listed methods are stubs (their bodies "not implemented yet"; fields and docs kept).
   */
  given?: Record<string, "as is" | { stubMethods: string[] }>;
  /** Numbers drawn per learner (variants.ts): the set above is the one for `variants.defaults`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each set's own parameter record
  variants?: Variants<any>;
}

/** A number as prose shows it (notebook text, feedback): a true minus sign; `digits` fixes the decimals. */
export const shownNumber = (x: number, digits?: number): string =>
  (digits === undefined ? String(x) : x.toFixed(digits)).replace("-", "−");

export function totalPoints(set: ExerciseSet): number {
  return set.parts.reduce((s, p) => s + p.points, 0);
}

// ── Parts typed against their solution's function ──
// `part<typeof solution.relu>({ … })`: the compiler checks every case's arguments against the
// solution's parameters, each written as the case writes it (an NDArray as its `{ nd: rows }`
// marker, a mathjs matrix as `{ matrix: rows }`, a function as `{ fn: name }`).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function (parameters are contravariant: unknown[] would admit none)
export type Fn = (...args: any[]) => unknown;
/** How a case writes a value of type T. */
export type ArgOf<T> = T extends NDArray
  ? { nd: number[][] }
  : T extends Matrix
    ? { matrix: number[][] }
    : T extends Fn
      ? { fn: string }
      : T extends readonly unknown[]
        ? { [I in keyof T]: ArgOf<T[I]> }
        : T extends object
          ? { [K in keyof T]: ArgOf<T[K]> }
          : T;
/** A case's arguments for the function F. */
export type ArgsOf<F extends Fn> = MapArgs<Parameters<F>>;
type MapArgs<P extends readonly unknown[]> = { [I in keyof P]: ArgOf<P[I]> }; // over a type parameter: stays a tuple
/** A case whose arguments the compiler checks against F. */
export type CaseOf<F extends Fn> = Omit<Case, "args"> & { args: ArgsOf<F> };
type Reference = NonNullable<Part["references"]>[number];
export type PartOf<F extends Fn> = Omit<Part, "publicCases" | "hiddenCases" | "references"> & {
  publicCases: CaseOf<F>[];
  hiddenCases: CaseOf<F>[];
  /** A reference computed by `compute` takes no arguments. */
  references?: (Omit<Reference, "args"> & { args: ArgsOf<F> | [] })[];
};
/** A function part, typed against its solution `F`. */
export const part = <F extends Fn>(p: PartOf<F>): Part => p as Part;

/** The fields of a class's instance that a method case may set (the state in its first argument). */
type StateOf<C extends new () => object> = {
  [K in keyof InstanceType<C> as InstanceType<C>[K] extends Fn ? never : K]?: ArgOf<InstanceType<C>[K]>;
};
export type Prepend<S, T> = T extends readonly unknown[] ? [S, ...T] : never;
type MethodArgs<C extends new () => object, M extends keyof InstanceType<C>> = InstanceType<C>[M] extends Fn
  ? Prepend<StateOf<C>, ArgsOf<InstanceType<C>[M]>>
  : never;
type MethodCase<C extends new () => object, M extends keyof InstanceType<C>> = Omit<Case, "args"> & {
  args: MethodArgs<C, M>;
};
/** A method part "Class.method", typed against the solution's class C and its method M. */
export const methodPart = <C extends new () => object, M extends keyof InstanceType<C>>(
  p: Omit<Part, "publicCases" | "hiddenCases" | "references"> & {
    publicCases: MethodCase<C, M>[];
    hiddenCases: MethodCase<C, M>[];
    references?: (Omit<Reference, "args"> & { args: MethodArgs<C, M> })[];
  },
): Part => p as Part;
