// `course verify`: an exercise set, its solution, its notebook and its hidden checks agree.
// Each check adds problems (empty = verified); mutation survivors are listed by id.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import {
  compareValues,
  invokePart,
  isPlain,
  toPlain,
  type Definitions,
  type Plain,
} from "../../notebooks/course/shared";
import {
  expectedAnswer,
  expectedValue,
  loadExerciseSet,
  loadSolution,
  projectRoot,
  type ExerciseSet,
  type Part,
} from "../sections";
import { gradeNotebook, type NotebookJson } from "../pipeline";
import { mutants } from "./mutate";
import { buildNotebook, notebookJson, publicChecksJson, solutionDeclaration, solutionSource } from "./notebook-build";
import { loadVariant } from "./solution-variant";
import { VARIANT_SAMPLES, verifyVariants } from "./verify-variants";

export interface MutationSummary {
  part: string;
  total: number;
  killed: number;
  survivors: string[];
  equivalent: string[];
}
export interface VerifyReport {
  section: string;
  problems: string[];
  mutation: MutationSummary[];
  seconds: number;
  /** Learners' variants graded (sections whose numbers vary), else 0. */
  variants: number;
}
export interface VerifyOptions {
  /** Test seams: a changed exercise set, solution module or learner files instead of the ones on disk. */
  set?: ExerciseSet;
  solution?: Definitions;
  learnerFiles?: { name: string; text: string }[];
  /** Skip grading the filled and stub notebooks (the slow part) — for tests of the other checks. */
  skipGrading?: boolean;
  log?: (line: string) => void;
}

export async function verifySection(section: string, o: VerifyOptions = {}): Promise<VerifyReport> {
  const t0 = Date.now();
  const log = o.log ?? (() => undefined);
  const set = o.set ?? loadExerciseSet(section);
  const solution = o.solution ?? loadSolution(section);
  const problems: string[] = [];
  const learnerFiles =
    o.learnerFiles ??
    [`notebooks/${section}.ipynb`, `notebooks/checks/${section}.json`].map((name) => ({
      name,
      text: fs.readFileSync(path.join(projectRoot, name), "utf8"),
    }));

  if (!o.skipGrading) {
    log(`${section}: grading the solution-filled and the stub notebooks`);
    const tmp = path.join(fs.mkdtempSync(path.join(require("os").tmpdir(), "verify-")), `${section}.ipynb`);
    fs.writeFileSync(tmp, notebookJson(buildNotebook(set, true)));
    const filled = await gradeNotebook(tmp, { section });
    if (filled.score !== filled.maxScore)
      problems.push(
        `the solution scores ${filled.score}/${filled.maxScore}: ${filled.parts
          .filter((p) => p.status !== "passed")
          .map((p) => `${p.name} (${p.feedback[0] ?? p.status})`)
          .join("; ")}`,
      );
    if (filled.notes.length)
      problems.push(`the solution-filled notebook's cells raise errors or are skipped: ${filled.notes.join("; ")}`);
    const stub = await gradeNotebook(path.join(projectRoot, "notebooks", `${section}.ipynb`), { section });
    if (stub.score !== 0)
      problems.push(
        `the stub notebook scores ${stub.score}, not 0: ${stub.parts
          .filter((p) => p.points > 0)
          .map((p) => p.name)
          .join(", ")}`,
      );
    const silent = stub.parts.filter((p) => !/not implemented yet|not answered yet/.test(p.feedback.join("\n")));
    if (silent.length)
      problems.push(
        `the stub's feedback does not say what is left to write for ${silent.map((p) => p.name).join(", ")}`,
      );
  }
  problems.push(
    ...checkReferences(set, solution),
    ...checkPublicCases(set, solution, learnerFiles),
    ...checkStubs(set, learnerFiles),
    ...checkLeaks(set, solution, learnerFiles),
  );
  if (set.variants) {
    log(`${section}: the variants of ${VARIANT_SAMPLES} sample learners`);
    problems.push(...(await verifyVariants(set, solution, { grading: !o.skipGrading, log })));
  }
  log(`${section}: mutating the solution`);
  const mutation = set.parts.filter((p) => !p.answer).map((p) => mutate(section, set, p, solution));
  for (const m of mutation)
    if (m.survivors.length)
      problems.push(
        `${m.part}: ${m.survivors.length} of ${m.total} mutants survive every hidden check:\n${m.survivors.map((s) => `      ${s}`).join("\n")}`,
      );
  const variants = set.variants && !o.skipGrading ? VARIANT_SAMPLES : 0;
  return { section, problems, mutation, seconds: (Date.now() - t0) / 1000, variants };
}

/** Published numbers (Part.references): the solution must reproduce them. */
function checkReferences(set: ExerciseSet, solution: Definitions): string[] {
  const out: string[] = [];
  for (const p of set.parts)
    for (const r of p.references ?? []) {
      const got = safely(() => {
        if (r.compute) return r.compute(solution);
        const v = toPlain(invokePart(solution, p, r.args));
        return r.pick ? r.pick(v) : v;
      });
      const c =
        got.ok && isPlain(got.value)
          ? compareValues(got.value, r.expected, r.tolerance ?? p.tolerance)
          : { ok: false, message: got.ok ? "not numbers" : got.error };
      if (!c.ok) out.push(`${p.name}: the solution does not reproduce the published "${r.label}": ${c.message}`);
    }
  return out;
}

/** The committed public checks are what the solution computes now (else: rebuild, or the solution changed). */
function checkPublicCases(set: ExerciseSet, solution: Definitions, files: { name: string; text: string }[]): string[] {
  const committed = files.find((f) => f.name.includes("checks/"));
  if (!committed) return [];
  const parts: { name: string; cases: { label: string; expected: Plain }[] }[] = JSON.parse(committed.text).parts;
  const out: string[] = [];
  for (const p of set.parts) {
    const cp = parts.find((x) => x.name === p.name);
    if (!cp) {
      out.push(`${p.name}: missing from ${committed.name} — run \`course build\``);
      continue;
    }
    p.publicCases.forEach((c, i) => {
      const got = safely(() => toPlain(invokePart(solution, p, c.args)) as Plain);
      const expected = cp.cases[i]?.expected;
      const r = !got.ok
        ? { ok: false, message: got.error }
        : expected === undefined
          ? { ok: false, message: "not in the committed checks" }
          : compareValues(got.value, expected, p.tolerance);
      if (!r.ok)
        out.push(
          `${p.name}: public case "${c.label}" fails on the solution (${r.message}) — a changed solution, or run \`course build\``,
        );
    });
  }
  if (
    committed.text !== publicChecksJson(set) &&
    out.length === 0 &&
    !files.some((f) => f.name.endsWith(".json") && f !== committed)
  ) {
    out.push(`${committed.name} is not what \`course build\` generates now — run it`);
  }
  return out;
}

/** The handed-out notebook declares every part with the exercise set's name and signature, as a stub. */
function checkStubs(set: ExerciseSet, files: { name: string; text: string }[]): string[] {
  const nb = files.find((f) => f.name.endsWith(".ipynb"));
  if (!nb) return [];
  const cells: string[] = (JSON.parse(nb.text) as NotebookJson).cells
    .filter((c) => c.cell_type === "code")
    .map((c) => ([] as string[]).concat(c.source).join(""));
  const out: string[] = [];
  for (const p of set.parts) {
    const wanted = p.answer ? `${p.signature} = null;` : `${p.signature} {`;
    const cell = cells.find((c) => c.includes(wanted));
    if (!cell) out.push(`${p.name}: no cell of ${nb.name} declares \`${wanted}\``);
    else if (!p.answer && !cell.includes("not implemented yet"))
      out.push(`${p.name}: the cell declaring it in ${nb.name} is not a stub`);
  }
  return out;
}

/** No hidden expected number, answer, or line of a solution body in anything a learner receives. */
export function checkLeaks(set: ExerciseSet, solution: Definitions, files: { name: string; text: string }[]): string[] {
  const out: string[] = [];
  const digits = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.flatMap(digits)
      : typeof v === "object" && v !== null
        ? Object.values(v).flatMap(digits)
        : [String(v)];
  // A number that a public case's expected value shows is public, even when a hidden case has it too
  // (a bias gradient that λ does not change, say): only the others are secrets.
  const shown = new Set(
    set.parts.flatMap((p) =>
      p.publicCases.flatMap((c) => digits(expectedValue(solution, p, c)).map((n) => n.slice(0, 9))),
    ),
  );
  for (const p of set.parts) {
    const hidden = p.answer
      ? [{ label: "answer", value: expectedAnswer(solution, p) }]
      : p.hiddenCases.filter((c) => !c.judge).map((c) => ({ label: c.label, value: expectedValue(solution, p, c) }));
    for (const h of hidden)
      for (const n of digits(h.value).filter((s) => s.replace(/[^0-9]/g, "").length > 6 && !shown.has(s.slice(0, 9)))) {
        for (const f of files)
          if (f.text.includes(n.slice(0, 9)))
            out.push(`${p.name}: the hidden expected value of "${h.label}" (${n.slice(0, 9)}…) appears in ${f.name}`);
      }
    if (p.answer) continue;
    for (const line of bodyLines(set.section, p))
      for (const f of files) {
        if (f.text.includes(line) || f.text.includes(JSON.stringify(line).slice(1, -1)))
          out.push(`${p.name}: a line of its solution appears in ${f.name}: ${line}`);
      }
  }
  return [...new Set(out)];
}

/** Statement lines of a part's solution body (functions and methods, not fields), long enough to be telling. */
function bodyLines(section: string, p: Part): string[] {
  const [name, method] = p.name.split(".");
  const sf = ts.createSourceFile("s.ts", solutionSource(section, name), ts.ScriptTarget.ES2022, true);
  const bodies: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (
      (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) &&
      n.body &&
      (!method || n.name?.getText(sf) === method)
    )
      bodies.push(n.body);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return bodies.flatMap((b) =>
    b
      .getText(sf)
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length >= 30 && !l.startsWith("//")),
  );
}

/** Every mutant of the part's solution declaration must fail at least one of its hidden cases. */
function mutate(section: string, set: ExerciseSet, part: Part, solution: Definitions): MutationSummary {
  const [name] = part.name.split(".");
  const decl = solutionDeclaration(section, name);
  const original = decl.source.slice(decl.start, decl.end);
  // A class's mutants belong to the method part whose body they change (the given fields are not learner code).
  const all = mutants(original).filter((m) => !part.method || !sameMethod(part, original, m.text));
  const equivalent = part.equivalentMutants ?? [];
  const survivors: string[] = [];
  let killed = 0;
  for (const m of all) {
    const variant = loadVariant(decl.file, decl.source.slice(0, decl.start) + m.text + decl.source.slice(decl.end));
    const caught =
      variant.ok &&
      part.hiddenCases.some((c) => {
        const got = safely(() => toPlain(invokePart(variant.value, part, c.args)));
        if (!got.ok || !isPlain(got.value)) return true;
        if (c.judge)
          return c.judge(got.value, { solution, reference: () => expectedValue(solution, part, c) }) !== undefined;
        return !compareValues(got.value, expectedValue(solution, part, c), part.tolerance).ok;
      });
    if (caught || !variant.ok) killed++;
    else if (!equivalent.includes(m.id)) survivors.push(m.id);
  }
  return {
    part: part.name,
    total: all.length,
    killed,
    survivors,
    equivalent: equivalent.filter((e) => all.some((m) => m.id === e)),
  };
}

/** Whether a class mutant leaves this part's method unchanged (so it belongs to another part, or to none). */
function sameMethod(part: Part, original: string, mutated: string): boolean {
  if (!part.method) return false;
  const method = part.name.split(".")[1];
  const body = (src: string) => {
    const sf = ts.createSourceFile("c.ts", src, ts.ScriptTarget.ES2022, true);
    let text = "";
    const visit = (n: ts.Node) => {
      if (ts.isMethodDeclaration(n) && n.name.getText(sf) === method) text = n.getText(sf);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return text;
  };
  return body(original) === body(mutated);
}

function safely<T>(f: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
