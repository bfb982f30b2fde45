// Stage 6 — report: the Part / Score / Feedback table and Gradescope's results.json.
import Table from "cli-table3";
import type { PartResult } from "./check";
import { feedbackCell, fmtScore, partRow, partView } from "../../notebooks/course/shared";
import { oneLine } from "./sanitize";

export interface GradeReport {
  section: string;
  notebook: string;
  parts: PartResult[];
  score: number;
  maxScore: number;
  notes: string[];
  /** The learner the notebook claims to be by (its metadata.course.learner), as written. */
  learner?: string;
  /** The variant graded against (a section whose numbers vary, graded for a known learner). */
  variant?: string;
}

export function formatTable(r: GradeReport, width = 100): string {
  const table = new Table({
    head: ["Part", "Score", "Feedback"],
    colWidths: [24, 11, Math.max(30, width - 39)],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const p of r.parts) {
    // Each feedback line is one line of plain text (sanitize.ts): learner text cannot draw over the table.
    const row = partRow(partView(p, oneLine));
    table.push([`${row.mark} ${row.name}`, row.score, feedbackCell(row, "\n")]);
  }
  table.push([{ content: "Total", hAlign: "right" }, `${fmtScore(r.score)} / ${r.maxScore}`, ""]);
  const notes = r.notes.length ? `\n${r.notes.map((n) => `note: ${oneLine(n)}`).join("\n")}` : "";
  return `${oneLine(r.notebook)} — section ${r.section}\n${table.toString()}${notes}`;
}

/** Gradescope's autograder results format: https://gradescope-autograders.readthedocs.io */
export function gradescopeJson(r: GradeReport): object {
  return {
    score: r.score,
    max_score: r.maxScore,
    output: r.notes.join("\n"),
    visibility: "visible",
    tests: r.parts.map((p) => ({
      name: p.name,
      score: p.points,
      max_score: p.maxPoints,
      status: p.status === "passed" ? "passed" : "failed",
      output: partView(p).feedback.join("\n"),
      visibility: "visible",
    })),
  };
}

/** A graded notebook's status in a gradebook or the service: "not-a-notebook" and "error" are given where no report exists. */
/** "not-submitted": the service's gradebook row of an enrolled learner who never submitted the section. */
export type LearnerStatus = "ok" | "timeout" | "type-error" | "not-a-notebook" | "error" | "not-submitted";

/** The status of a report: a timeout or a type error anywhere in it, else ok. */
export function statusOf(report: GradeReport): LearnerStatus {
  if (report.parts.some((p) => p.status === "timeout")) return "timeout";
  if (report.parts.some((p) => p.status === "type-error")) return "type-error";
  return "ok";
}
