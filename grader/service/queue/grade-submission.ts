// One stored submission graded on the grader's pool: what the in-process queue and a BullMQ worker
// both run. The outcome is a result to store (whatever the learner's code did: a score, a timeout,
// a type error, not a notebook), or a GraderFailure: the grader itself could not grade it (a worker
// that died twice, an internal error), which is retried and never charged to the learner.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { GradingPool } from "../../batch";
import { statusOf, type GradeReport } from "../../pipeline";
import { sectionVersion } from "../../sections";
import type { StoredResult } from "../store";
import { GraderFailure } from "./errors";

export interface SubmissionToGrade {
  id: string;
  section: string;
  /** The name the learner's file had: shown in the report instead of the grader's temp path. */
  fileName: string;
  /** The learner's seed for this section (hex), when its numbers vary: graded against their own variant. */
  seed?: string;
}

/** The report as learners and instructors see it: the learner's file name, no grader paths. */
const publicReport = (report: GradeReport, fileName: string): GradeReport => ({ ...report, notebook: fileName });

export async function gradeSubmission(
  pool: GradingPool,
  s: SubmissionToGrade,
  notebook: Buffer,
  now: () => number = Date.now,
  workDir: string = os.tmpdir(),
): Promise<StoredResult> {
  const dir = fs.mkdtempSync(path.join(workDir, "course-grade-"));
  try {
    // Named as the section's notebook: the section is given, so the name decides nothing.
    const file = path.join(dir, `${s.section}.ipynb`);
    fs.writeFileSync(file, notebook);
    const setVersion = sectionVersion(s.section);
    const g = await pool.grade(file, s.section, s.seed ? { seed: s.seed } : undefined);
    if (g.report)
      return {
        status: statusOf(g.report),
        score: g.report.score,
        maxScore: g.report.maxScore,
        report: publicReport(g.report, s.fileName),
        seconds: g.seconds,
        gradedAt: now(),
        setVersion,
      };
    if (g.inputError)
      return {
        status: "not-a-notebook",
        score: 0,
        maxScore: 0,
        error: (g.error ?? "not a notebook").split(file).join(s.fileName),
        seconds: g.seconds,
        gradedAt: now(),
        setVersion,
      };
    throw new GraderFailure(g.error ?? "the grader gave no report");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
