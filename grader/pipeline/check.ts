// Stage 5 — check: Jest's `expect` with a course matcher compares each learner output with the
// expected value, here in the grader process, after the output was validated as plain data.
import { expect } from "expect";
import { compareValues, isPlain, type Definitions, type Plain, type Tolerance } from "../../notebooks/course/shared";
import { expectedAnswer, expectedValue, type Case, type ExerciseSet, type Part } from "../sections";
import {
  scaledMs,
  type CallOutcome,
  type CallTarget,
  type CheckedProgram,
  type Isolated,
  type WrongTypeReason,
} from "../isolation";

export type Status = "passed" | "partial" | "failed" | "missing" | "type-error" | "timeout" | "error";
export interface PartResult {
  name: string;
  points: number;
  maxPoints: number;
  status: Status;
  feedback: string[];
  casesPassed: number;
  cases: number;
  /** How many hidden cases (or hidden answer checks) failed. */
  hiddenFailed?: number;
}

expect.extend({
  toAllClose(received: Plain, expected: Plain, tol: Tolerance, detail: "full" | "coarse" = "full") {
    const r = compareValues(received, expected, tol, detail);
    return { pass: r.ok, message: () => r.message };
  },
});
declare module "expect" {
  interface Matchers<R> {
    toAllClose(expected: Plain, tol: Tolerance, detail?: "full" | "coarse"): R;
  }
}

/** What a refused value was, in the grader's words (hidden cases show only these). */
const REFUSED: Record<WrongTypeReason, string> = {
  proxy: "a Proxy",
  promise: "a Promise — the function should not be async",
  getter: "an object with a getter",
  holes: "an array with holes",
  "symbol-keys": "an object with symbol keys",
  instance: "an instance of a class",
  "array-subclass": "an array subclass",
  "typed-array-subclass": "a typed-array subclass",
  "too-many-numbers": "more than 2,000,000 numbers",
  "too-deep": "values nested more than 8 deep",
  "not-a-number": "something that is not a number",
  "broken-ndarray": "an NDArray whose values cannot be read",
  "answer-form": "not a number or a list of letters",
};

/** What one case's outcome says: the full text (public cases) and the text hidden cases may show. */
interface Problem {
  full: string;
  hidden: string;
}

/** Why a call gave no usable value, worded for public cases (`full`) and hidden ones. */
function problemOf(out: Exclude<CallOutcome, { kind: "value" }>): Problem {
  switch (out.kind) {
    case "threw":
      return {
        full: `threw ${out.error.name}${out.error.message ? `: ${out.error.message}` : ""}`,
        hidden: `threw ${out.error.name}`,
      };
    case "wrongType": {
      // `detail` (a class or key name) is the learner's text: public cases only. Hidden cases get the
      // grader's own words for the reason, whatever text came with it.
      const full = !out.detail
        ? out.message
        : out.reason === "instance"
          ? out.message.replace("an instance of a class", `an instance of ${out.detail}`)
          : out.message.replace(/(a getter)/, `$1 (${out.detail})`);
      return { full, hidden: `returned ${REFUSED[out.reason]}, expected numbers, arrays or records of them` };
    }
    default:
      return { full: "message" in out ? out.message : out.kind, hidden: "message" in out ? out.message : out.kind };
  }
}

export async function checkPart(
  part: Part,
  solution: Definitions,
  program: CheckedProgram,
  run: Isolated,
): Promise<PartResult> {
  const base = { name: part.name, maxPoints: part.points, points: 0, casesPassed: 0 };
  const cases = [
    ...part.publicCases.map((c) => ({ c, hidden: false })),
    ...part.hiddenCases.map((c) => ({ c, hidden: true })),
  ];
  const typeError = typeErrorOf(part, program);
  if (typeError) return { ...base, cases: cases.length, status: "type-error", feedback: [typeError] };
  if (part.answer) return checkAnswer(part, solution, run, base);
  const failures: { hidden: boolean; which: string; problem: Problem }[] = [];
  let status: Status | undefined;
  let passed = 0,
    hiddenPassed = 0;
  const target: CallTarget = part.method ? { kind: "method", fields: part.method.stateFields } : { kind: "function" };
  for (const { c, hidden } of cases) {
    const out = await run.call(part.name, c.args, scaledMs(part.timeoutMs ?? 2000), target);
    const which = `${hidden ? "hidden" : "public"} case "${c.label}"`;
    const fail = (problem: Problem) => failures.push({ hidden, which, problem });
    if (out.kind === "missing")
      return {
        ...base,
        cases: cases.length,
        status: "missing",
        feedback: [part.method ? out.message : `function \`${part.name}\` ${out.message}`],
      };
    if (out.kind === "startFailed" || out.kind === "interfered")
      return {
        ...base,
        cases: cases.length,
        status: "error",
        feedback: [`the notebook's code could not run: ${out.message}`],
      };
    if (out.kind === "timeout" || out.kind === "budget") {
      status = "timeout";
      fail({ full: out.message, hidden: out.message });
      break;
    }
    if (out.kind !== "value") {
      fail(problemOf(out));
      continue;
    }
    const problem = valueProblem(part, c, out.value, hidden, solution);
    if (problem) fail(problem);
    else {
      passed++;
      if (hidden) hiddenPassed++;
    }
  }
  const feedback = feedbackLines(failures, cases.length);
  const points = Math.round((part.points * passed * 100) / cases.length) / 100;
  status ??= passed === cases.length ? "passed" : passed === 0 ? "failed" : "partial";
  if (status !== "passed") feedback.push(`hint: ${part.hint}`);
  return {
    ...base,
    points,
    cases: cases.length,
    casesPassed: passed,
    status,
    feedback,
    hiddenFailed: part.hiddenCases.length - hiddenPassed,
  };
}

/** The type error in the cell that last declares the part's name (a method's class), as feedback; else undefined. */
function typeErrorOf(part: Part, program: CheckedProgram): string | undefined {
  const declared = part.name.split(".")[0];
  const defining = program.cells.filter((c) => c.declares.includes(declared));
  const last = defining[defining.length - 1];
  if (!last || last.diagnostics.length === 0) return undefined;
  const d = last.diagnostics[0];
  return `type error in ${last.label} at ${d.line}:${d.col}: ${d.message}`;
}

/** What is wrong with the value a case returned (undefined: it passes). */
function valueProblem(
  part: Part,
  c: Case,
  value: unknown,
  hidden: boolean,
  solution: Definitions,
): Problem | undefined {
  if (!isPlain(value))
    return { full: "returned something that is not numbers", hidden: "returned something that is not numbers" };
  if (c.judge) {
    const problem = c.judge(value, { solution, reference: () => expectedValue(solution, part, c) });
    // A judge's sentence quotes numbers the learner's value chose: hidden cases say only that it failed.
    return problem ? { full: problem, hidden: "does not pass this case's check" } : undefined;
  }
  const expected = expectedValue(solution, part, c);
  try {
    expect(value).toAllClose(expected, part.tolerance, hidden ? "coarse" : "full");
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    return { full: `${message}; expected ${JSON.stringify(expected)}`, hidden: message };
  }
}

/**
 * One line per failed case: public cases in full, hidden ones as `Problem.hidden` (never what the
 * learner's code threw or returned beyond its kind, never an error's size). When every case failed
 * with exactly the same problem, and a public case shows it, one line says so: "every case (N): …"
 * (a stub's "not implemented yet"). An input-dependent message is never collapsed.
 */
function feedbackLines(failures: { hidden: boolean; which: string; problem: Problem }[], cases: number): string[] {
  const same =
    failures.length === cases &&
    cases > 1 &&
    failures.some((f) => !f.hidden) &&
    failures.every((f) => f.problem.full === failures[0].problem.full);
  if (same) return [`every case (${cases}): ${failures[0].problem.full}`];
  return failures.map((f) => `${f.which}: ${f.hidden ? f.problem.hidden : f.problem.full}`);
}

/**
 * An answer part: a number within ±atol of the solution's, or a choice of statements graded one
 * by one (each statement right when it is picked exactly if true; never below zero). Feedback
 * says how many statements are right, never which, and never the number.
 */
async function checkAnswer(
  part: Part,
  solution: Definitions,
  run: Isolated,
  base: Omit<PartResult, "status" | "feedback" | "cases">,
): Promise<PartResult> {
  const a = part.answer!;
  const out = await run.call(part.name, [], scaledMs(part.timeoutMs ?? 2000), { kind: "answer" });
  const fail = (status: Status, message: string): PartResult => ({
    ...base,
    cases: 1,
    status,
    feedback: [message, `hint: ${part.hint}`],
    hiddenFailed: 1,
  });
  if (out.kind === "missing")
    return {
      ...base,
      cases: 1,
      status: "missing",
      feedback: [`answer \`${part.name}\` not found: keep the line \`${part.signature} = …;\``],
    };
  if (out.kind === "unanswered") return fail("failed", "not answered yet (still null)");
  // An answer is a constant: no hidden input is involved, so the full text is shown.
  if (out.kind !== "value") return fail("error", `\`${part.name}\` ${problemOf(out).full}`);
  const expected = expectedAnswer(solution, part);
  if (a.type === "number") {
    if (typeof out.value !== "number" || !Number.isFinite(out.value))
      return fail("failed", `expected a finite number, got ${JSON.stringify(out.value)}`);
    if (Math.abs(out.value - (expected as number)) <= a.atol)
      return { ...base, points: part.points, cases: 1, casesPassed: 1, status: "passed", feedback: [] };
    return fail("failed", `not within ±${a.atol} of the value`);
  }
  const letters = Object.keys(a.statements);
  const picked = out.value;
  if (!Array.isArray(picked) || picked.some((x) => typeof x !== "string"))
    return fail("failed", `expected a list of letters (${letters.join(", ")}), got ${JSON.stringify(picked)}`);
  const unknown = picked.filter((x) => !letters.includes(x as string));
  if (unknown.length)
    return fail(
      "failed",
      `unknown letter${unknown.length > 1 ? "s" : ""} ${unknown.map((x) => JSON.stringify(x)).join(", ")}; the statements are ${letters.join(", ")}`,
    );
  const truth = new Set(expected as string[]);
  const right = letters.filter((l) => picked.includes(l) === truth.has(l)).length;
  const points = Math.round((part.points * right * 100) / letters.length) / 100;
  const status: Status = right === letters.length ? "passed" : right === 0 ? "failed" : "partial";
  const feedback =
    status === "passed" ? [] : [`${right} of ${letters.length} statements judged correctly`, `hint: ${part.hint}`];
  return {
    ...base,
    points,
    cases: letters.length,
    casesPassed: right,
    status,
    feedback,
    hiddenFailed: letters.length - right,
  };
}

/** Failing parts that call other failing parts say so: fix the dependency first. Parts not graded (--part) are no dependency. */
export function noteDependencies(set: ExerciseSet, results: PartResult[]): void {
  for (const r of results) {
    const failedDeps = (set.parts.find((p) => p.name === r.name)?.uses ?? []).filter((u) =>
      results.some((x) => x.name === u && x.status !== "passed"),
    );
    if (r.status !== "passed" && failedDeps.length)
      r.feedback.unshift(
        `it calls ${failedDeps.join(", ")}, which ${failedDeps.length > 1 ? "fail their" : "fails its"} own checks: fix that first`,
      );
  }
}
