// A grading run: load → extract → section → type-check → run isolated → check → report, each stage
// in its own file, all within one budget per notebook (budget.ts) kept by the grader's clock.
import * as path from "path";
import { createBudget, type Budget } from "./budget";
import { checkPart, noteDependencies, type PartResult } from "./check";
import { InputError } from "./errors";
import { totalPoints, type ExerciseSet } from "./exercise-set";
import { listSections, loadExerciseSet, loadSolution, projectRoot } from "./expected";
import { extractCode, type CodeCell } from "./extract";
import { loadNotebook } from "./load-notebook";
import type { GradeReport } from "./report";
import { createIsolated, DEFAULT_LIMITS, type RunLimits } from "./run-isolated";
import { oneLine } from "./sanitize";
import { scaledMs } from "./time-scale";
import { MAX_CELL_CHARS, sharedTypeChecker, TypeCheckTimeout, type CheckedProgram, type TypeChecker } from "./typecheck";

export interface GradeOptions {
  section?: string;
  /** Grade only these parts (the score and maximum count only them); all parts when absent. */
  parts?: string[];
  limits?: Partial<RunLimits>;
  /** The notebook's whole budget in milliseconds (default NOTEBOOK_BUDGET_MS). */
  budgetMs?: number;
  /** The type-checker to use (default: this process's shared one for the notebooks' folder). */
  typeChecker?: TypeChecker;
  log?: (line: string) => void;
  /** Called with the pid of every learner process started (each leads its own process group). */
  onSpawn?: (pid: number) => void;
}

export const notebookDir = path.join(projectRoot, "notebooks");
/** Everything one notebook's grading may take: type-check, load and every call (scaled by COURSE_TIME_SCALE). */
export const NOTEBOOK_BUDGET_MS = scaledMs(180_000);
/** Code cells graded at most; later ones are not run (a notebook of the course has about 60). */
export const MAX_CODE_CELLS = 300;
/** Code over all cells: a course notebook holds about 30 KB; type-checking grows with the square of it. */
export const MAX_CODE_CHARS = 512 * 1024;

/**
 * The section: --section, else the file name (01-…). A `checker("…")` call inside the notebook only
 * decides when neither does; when it names another section than the file, the file wins, with a note.
 */
export function detectSection(file: string, sources: string[], explicit?: string): { section: string; notes: string[] } {
  const known = listSections();
  if (explicit) {
    if (!known.includes(explicit)) throw new InputError(`unknown section "${explicit}"; sections: ${known.join(", ")}`);
    return { section: explicit, notes: [] };
  }
  const byName = known.find((s) => path.basename(file).startsWith(s.slice(0, 3)));
  const byChecker = known.find((s) => sources.some((src) => src.includes(`checker("${s}")`)));
  if (byName) return { section: byName, notes: byChecker && byChecker !== byName ? [`the notebook's checker("${byChecker}") names another section; it was graded as ${byName}, as its file name says`] : [] };
  if (byChecker) return { section: byChecker, notes: [`the section was taken from the notebook's checker("${byChecker}") call; pass --section to be sure`] };
  throw new InputError(`${file}: cannot tell which section this notebook is; pass --section (one of ${known.join(", ")})`);
}

/** Every part with the same outcome (the type-check or the whole run stopped before any call). */
const allParts = (set: ExerciseSet, status: PartResult["status"], message: string): PartResult[] =>
  set.parts.map((p) => ({ name: p.name, points: 0, maxPoints: p.points, status, feedback: [message], cases: p.publicCases.length + p.hiddenCases.length, casesPassed: 0, hiddenFailed: p.hiddenCases.length }));

export async function gradeNotebook(file: string, opts: GradeOptions = {}): Promise<GradeReport> {
  const log = opts.log ?? (() => undefined);
  const budget: Budget = createBudget(opts.budgetMs ?? NOTEBOOK_BUDGET_MS);
  const notes: string[] = [];
  // load → extract
  const nb = loadNotebook(file);
  const allCode = extractCode(nb);
  const code: CodeCell[] = allCode.slice(0, MAX_CODE_CELLS);
  const chars = code.reduce((n, c) => n + Math.min(c.source.length, MAX_CELL_CHARS), 0);
  if (chars > MAX_CODE_CHARS) throw new InputError(`${file}: the notebook's code cells hold ${Math.round(chars / 1024)} KB; notebooks with more than ${MAX_CODE_CHARS / 1024} KB of code are not graded (is data or generated code pasted into cells? put it in a file under data/)`);
  if (allCode.length > MAX_CODE_CELLS) notes.push(`the notebook has ${allCode.length} code cells; only the first ${MAX_CODE_CELLS} were run (cells ${allCode[MAX_CODE_CELLS].cell} on were not)`);
  // section
  const found = detectSection(file, code.map((c) => c.source), opts.section);
  notes.push(...found.notes);
  const section = found.section;
  const fullSet = loadExerciseSet(section);
  const unknown = (opts.parts ?? []).filter((n) => !fullSet.parts.some((p) => p.name === n));
  if (unknown.length) throw new InputError(`no part ${unknown.map((n) => `"${n}"`).join(", ")} in ${section}; parts: ${fullSet.parts.map((p) => p.name).join(", ")}`);
  const set = opts.parts ? { ...fullSet, parts: fullSet.parts.filter((p) => opts.parts!.includes(p.name)) } : fullSet;
  const report = (parts: PartResult[]): GradeReport => sanitized({ section, notebook: file, ...(nb.learner ? { learner: nb.learner } : {}), parts, score: Math.round(parts.reduce((s, p) => s + p.points, 0) * 100) / 100, maxScore: totalPoints(set), notes });
  // type-check
  log(`type-checking ${code.length} code cells`);
  let program: CheckedProgram;
  try {
    program = await (opts.typeChecker ?? sharedTypeChecker(notebookDir)).check(code, budget);
  } catch (e) {
    if (e instanceof TypeCheckTimeout) return report(allParts(set, "timeout", e.message));
    throw e;
  }
  // run isolated → check
  const solution = loadSolution(section);
  const run = createIsolated(program, notebookDir, { ...DEFAULT_LIMITS, ...opts.limits }, { onSpawn: opts.onSpawn, budget });
  try {
    for (const e of await run.loadErrors()) {
      // Cell 0 is the child's own start (the course helper and its addon), not learner code.
      if (e.cell === 0) throw new Error(`the grader could not start the learner's process: ${e.message}`);
      notes.push(`cell ${e.cell} ${e.message}`);
    }
    const parts: PartResult[] = [];
    for (const part of set.parts) {
      log(`checking ${part.name}`);
      parts.push(await checkPart(part, solution, program, run));
    }
    noteDependencies(set, parts);
    for (const c of program.cells) {
      if (c.diagnostics.length && !parts.some((p) => p.status === "type-error" && c.declares.includes(p.name))) {
        const d = c.diagnostics[0];
        notes.push(`cell ${c.cell} was skipped: type error at ${d.line}:${d.col}: ${d.message}`);
      }
    }
    return report(parts);
  } finally {
    run.close();
  }
}

/** Feedback and notes hold learner text (thrown messages, names): one line each, no control characters. */
function sanitized(r: GradeReport): GradeReport {
  return { ...r, notes: r.notes.map((n) => oneLine(n)), parts: r.parts.map((p) => ({ ...p, feedback: p.feedback.map((f) => oneLine(f)) })) };
}
