// A grading run is a list of named stages (STAGES below), each done by its own file — load-notebook,
// extract, the type-check (started here, its thread working while the section's solution loads), the
// section, the type-check's end, run-isolated, check, report — the learner's code within one budget
// per notebook (budget.ts) of the learner's time, read from the OS (cpu-meter.ts), not the clock. Each stage reads what earlier ones wrote into the run's
// record and adds its own; its type says which fields it needs and which it gives.
import * as path from "path";
import {
  createBudget,
  createIsolated,
  DEFAULT_RUN_LIMITS,
  scaledMs,
  type Budget,
  type Isolated,
  type RunLimits,
} from "../isolation";
import { checkPart, noteDependencies, type PartResult } from "./check";
import { InputError, TypeCheckTimeout } from "./errors";
import {
  findSection,
  learnerPlace,
  learnerVariant,
  listSections,
  loadExerciseSet,
  loadSolution,
  projectRoot,
  totalPoints,
  variantSet,
  type ExerciseSet,
  type LearnerKey,
  type Variant,
} from "../sections";
import { cellLabel, checkerSection, extractCode, type CodeCell } from "./extract";
import { loadNotebook, type Notebook } from "./load-notebook";
import type { GradeReport } from "./report";
import { oneLine } from "./sanitize";
import { noteOtherVariants } from "./other-variants";
import { MAX_CELL_CHARS, sharedTypeChecker, type CheckedProgram, type TypeChecker } from "./typecheck";

export interface GradeOptions {
  section?: string;
  /** Grade only these parts (the score and maximum count only them); all parts when absent. */
  parts?: string[];
  limits?: Partial<RunLimits>;
  /** The notebook's whole budget of the learner's time, in milliseconds (default NOTEBOOK_BUDGET_MS). */
  budgetMs?: number;
  /** The type-checker to use (default: this process's shared one for the notebooks' folder). */
  typeChecker?: TypeChecker;
  log?: (line: string) => void;
  /** Called with the pid of every learner process started (each leads its own process group). */
  onSpawn?: (pid: number) => void;
  /**
   * Whose notebook this is, for a section whose numbers vary per learner: graded against the
   * learner's own variant (drawn from the course's secret), never the one the notebook claims.
   * Without it, a varying section is graded as the course's shared notebook.
   */
  learner?: LearnerKey;
}

export const notebookDir = path.join(projectRoot, "notebooks");
/** The learner's time (CPU and own idling) one notebook's code may take: load and every call (scaled by COURSE_TIME_SCALE). The type-check is the grader's and has its own limit. */
export const NOTEBOOK_BUDGET_MS = scaledMs(180_000);
/** Code cells graded at most; later ones are not run (a notebook of the course has about 60). */
export const MAX_CODE_CELLS = 300;
/** Code over all cells: a course notebook holds about 30 KB; type-checking grows with the square of it. */
export const MAX_CODE_CHARS = 512 * 1024;

/** What a run knows so far; each stage fills in its part. */
interface Grading {
  file: string;
  options: GradeOptions;
  budget: Budget;
  notes: string[];
  notebook: Notebook;
  code: CodeCell[];
  section: string;
  set: ExerciseSet;
  solution: Record<string, unknown>;
  /** The type-check under way (its thread works while the grader loads the section's solution). */
  checking: Promise<CheckedProgram>;
  program: CheckedProgram;
  run: Isolated;
  /** The learner's variant of a section whose numbers vary (GradeOptions.learner). */
  variant?: Variant;
  /** The parts' results: once a stage sets them (a type-check that ran out of time), later stages have nothing to do. */
  parts: PartResult[];
}
type Base = Pick<Grading, "file" | "options" | "budget" | "notes">;
/** A stage: the fields it needs (besides the base) and the fields it gives. */
interface Stage<Need extends keyof Grading, Give extends keyof Grading> {
  name: string;
  run(
    g: Base & Pick<Grading, Need> & Partial<Grading>,
  ): Promise<Partial<Pick<Grading, Give>> | undefined> | Partial<Pick<Grading, Give>> | undefined;
}
const stage = <Need extends keyof Grading, Give extends keyof Grading>(s: Stage<Need, Give>) => s;

/**
 * The section: --section, else the file name (01-…). A `checker("…")` call inside the notebook only
 * decides when neither does; when it names another section than the file, the file wins, with a note.
 */
export function detectSection(
  file: string,
  cells: CodeCell[],
  explicit?: string,
): { section: string; notes: string[] } {
  const known = listSections();
  if (explicit) {
    const section = findSection(explicit);
    if (!section) throw new InputError(`unknown section "${explicit}"; sections: ${known.join(", ")}`);
    return { section, notes: [] };
  }
  const byName = known.find((s) => path.basename(file).startsWith(s.slice(0, 3)));
  const byChecker = checkerSection(cells, known);
  if (byName)
    return {
      section: byName,
      notes:
        byChecker && byChecker !== byName
          ? [
              `the notebook's checker("${byChecker}") names another section; it was graded as ${byName}, as its file name says`,
            ]
          : [],
    };
  if (byChecker)
    return {
      section: byChecker,
      notes: [`the section was taken from the notebook's checker("${byChecker}") call; pass --section to be sure`],
    };
  throw new InputError(
    `${file}: cannot tell which section this notebook is; pass --section (one of ${known.join(", ")})`,
  );
}

/** Every part with the same outcome (the type-check or the whole run stopped before any call). */
const allParts = (set: ExerciseSet, status: PartResult["status"], message: string): PartResult[] =>
  set.parts.map((p) => ({
    name: p.name,
    points: 0,
    maxPoints: p.points,
    status,
    feedback: [message],
    cases: p.publicCases.length + p.hiddenCases.length,
    casesPassed: 0,
    hiddenFailed: p.hiddenCases.length,
  }));

const STAGES = [
  stage<never, "notebook">({ name: "load", run: (g) => ({ notebook: loadNotebook(g.file) }) }),
  stage<"notebook", "code">({
    name: "extract",
    run: (g) => {
      const all = extractCode(g.notebook),
        code = all.slice(0, MAX_CODE_CELLS);
      if (all.length > MAX_CODE_CELLS)
        g.notes.push(
          `the notebook has ${all.length} code cells; only the first ${MAX_CODE_CELLS} were run (from ${all[MAX_CODE_CELLS].label} on)`,
        );
      const chars = code.reduce((n, c) => n + Math.min(c.source.length, MAX_CELL_CHARS), 0);
      if (chars > MAX_CODE_CHARS)
        throw new InputError(
          `${g.file}: the notebook's code cells hold ${Math.round(chars / 1024)} KB; notebooks with more than ${MAX_CODE_CHARS / 1024} KB of code are not graded (is data or generated code pasted into cells? put it in a file under data/)`,
        );
      return { code };
    },
  }),
  stage<"code", "checking">({
    name: "start the type-check",
    run: (g) => {
      g.options.log?.(`type-checking ${g.code.length} code cells`);
      const checking = (g.options.typeChecker ?? sharedTypeChecker(notebookDir)).check(g.code);
      checking.catch(() => undefined); // awaited (and its failure reported) by the type-check stage
      return { checking };
    },
  }),
  stage<"code", "section" | "set" | "solution" | "variant">({
    name: "section",
    run: (g) => {
      const found = detectSection(g.file, g.code, g.options.section);
      g.notes.push(...found.notes);
      const full = loadExerciseSet(found.section);
      const unknown = (g.options.parts ?? []).filter((n) => !full.parts.some((p) => p.name === n));
      if (unknown.length)
        throw new InputError(
          `no part ${unknown.map((n) => `"${n}"`).join(", ")} in ${found.section}; parts: ${full.parts.map((p) => p.name).join(", ")}`,
        );
      const who = g.options.learner;
      const variant = who ? learnerVariant(full, who) : undefined;
      const mine = variantSet(full, variant?.params);
      const set = g.options.parts
        ? { ...mine, parts: mine.parts.filter((p) => g.options.parts!.includes(p.name)) }
        : mine;
      return { section: found.section, set, solution: loadSolution(found.section), variant };
    },
  }),
  stage<"checking" | "set", "program" | "parts">({
    name: "type-check",
    run: async (g) => {
      try {
        return { program: await g.checking };
      } catch (e) {
        if (e instanceof TypeCheckTimeout) return { parts: allParts(g.set, "timeout", e.message) };
        throw e;
      }
    },
  }),
  stage<never, "run">({
    name: "run isolated",
    run: async (g) => {
      if (g.parts || !g.program) return undefined; // the type-check already decided every part
      const run = createIsolated(
        g.program,
        learnerPlace(),
        { ...DEFAULT_RUN_LIMITS, ...g.options.limits },
        { onSpawn: g.options.onSpawn, budget: g.budget },
      );
      for (const e of await run.loadErrors()) {
        // Cell 0 is the child's own start (the course helper and its addon), not learner code.
        if (e.cell === 0) {
          run.close();
          throw new Error(`the grader could not start the learner's process: ${e.message}`);
        }
        g.notes.push(`${g.code?.find((c) => c.cell === e.cell)?.label ?? cellLabel(e.cell)} ${e.message}`);
      }
      return { run };
    },
  }),
  stage<"set" | "solution" | "notebook", "parts">({
    name: "check",
    run: async (g) => {
      if (g.parts || !g.program || !g.run) return undefined;
      const parts: PartResult[] = [];
      for (const part of g.set.parts) {
        g.options.log?.(`checking ${part.name}`);
        parts.push(await checkPart(part, g.solution, g.program, g.run));
      }
      noteDependencies(g.set, parts);
      if (g.variant)
        await noteOtherVariants(g.set, g.variant, g.notebook.claimedParams, parts, g.solution, g.program, g.run);
      for (const c of g.program.cells) {
        if (c.diagnostics.length && !parts.some((p) => p.status === "type-error" && c.declares.includes(p.name))) {
          const d = c.diagnostics[0];
          g.notes.push(`${c.label} was skipped: type error at ${d.line}:${d.col}: ${d.message}`);
        }
      }
      return { parts };
    },
  }),
];

export async function gradeNotebook(file: string, options: GradeOptions = {}): Promise<GradeReport> {
  const g: Base & Partial<Grading> = {
    file,
    options,
    budget: createBudget(options.budgetMs ?? NOTEBOOK_BUDGET_MS),
    notes: [],
  };
  try {
    for (const s of STAGES) Object.assign(g, await s.run(g as never));
  } finally {
    g.run?.close();
  }
  return report(g as Grading);
}

/** The last stage: the report, every feedback line and note one line of plain text (they hold learner text). */
function report(g: Grading): GradeReport {
  const score = Math.round(g.parts.reduce((s, p) => s + p.points, 0) * 100) / 100;
  return {
    section: g.section,
    notebook: g.file,
    ...(g.notebook.learner ? { learner: g.notebook.learner } : {}),
    ...(g.variant ? { variant: g.variant.code } : {}),
    parts: g.parts.map((p) => ({ ...p, feedback: p.feedback.map((f) => oneLine(f)) })),
    score,
    maxScore: totalPoints(g.set),
    notes: g.notes.map((n) => oneLine(n)),
  };
}
