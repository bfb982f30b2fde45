// A grading run is a list of named stages: load → extract → type-check → run isolated → check → report.
import * as path from "path";
import { checkPart, noteDependencies, type PartResult } from "./check";
import { InputError } from "./errors";
import { totalPoints } from "./exercise-set";
import { listSections as sections, loadExerciseSet, loadSolution, projectRoot } from "./expected";
import { extractCode } from "./extract";
import { loadNotebook } from "./load-notebook";
import type { GradeReport } from "./report";
import { createIsolated, DEFAULT_LIMITS, type RunLimits } from "./run-isolated";
import { typeCheck } from "./typecheck";

export interface GradeOptions {
  section?: string;
  /** Grade only these parts (the score and maximum count only them); all parts when absent. */
  parts?: string[];
  limits?: Partial<RunLimits>;
  /** Called with the pid of every learner process started (each leads its own process group). */
  onSpawn?: (pid: number) => void;
  log?: (line: string) => void;
}

export const notebookDir = path.join(projectRoot, "notebooks");

/** The section comes from --section, else from the file name (01-…), else the notebook's checker("…") call. */
export function detectSection(file: string, sources: string[]): string {
  const known: string[] = sections();
  const byName = known.find((s) => path.basename(file).startsWith(s.slice(0, 3)));
  const byChecker = known.find((s) => sources.some((src) => src.includes(`checker("${s}")`)));
  const found = byChecker ?? byName;
  if (!found) throw new InputError(`${file}: cannot tell which section this notebook is; pass --section (one of ${known.join(", ")})`);
  return found;
}

export async function gradeNotebook(file: string, opts: GradeOptions = {}): Promise<GradeReport> {
  const log = opts.log ?? (() => undefined);
  const nb = loadNotebook(file);
  const code = extractCode(nb);
  const section = opts.section ?? detectSection(file, code.map((c) => c.source));
  if (!sections().includes(section)) throw new InputError(`unknown section "${section}"; sections: ${sections().join(", ")}`);
  const fullSet = loadExerciseSet(section);
  const unknown = (opts.parts ?? []).filter((n) => !fullSet.parts.some((p) => p.name === n));
  if (unknown.length) throw new InputError(`no part ${unknown.map((n) => `"${n}"`).join(", ")} in ${section}; parts: ${fullSet.parts.map((p) => p.name).join(", ")}`);
  const set = opts.parts ? { ...fullSet, parts: fullSet.parts.filter((p) => opts.parts!.includes(p.name)) } : fullSet;
  const solution = loadSolution(section);
  log(`type-checking ${code.length} code cells`);
  const program = typeCheck(code, notebookDir);
  const run = createIsolated(program, notebookDir, { ...DEFAULT_LIMITS, ...opts.limits }, { onSpawn: opts.onSpawn });
  const notes: string[] = [];
  try {
    for (const e of await run.loadErrors()) {
      // Cell 0 is the child's own start (loading mathjs and the course helper), not learner code.
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
    const score = Math.round(parts.reduce((s, p) => s + p.points, 0) * 100) / 100;
    return { section, notebook: file, parts, score, maxScore: totalPoints(set), notes };
  } finally {
    run.close();
  }
}
