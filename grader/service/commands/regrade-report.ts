// The instructor's report of a regrade: every submission whose score changed (old → new, and the
// parts that moved), the lower scores a --never-lower regrade did not apply, what failed, and the
// submissions that could not be regraded. Plain text, one line per learner's submission.
import { fmtScore } from "../../../notebooks/course/shared";
import type { PartScore, RegradeItem, RegradeTarget, Which } from "../store";

export interface RegradeSummary {
  id?: string;
  section: string;
  which: Which;
  neverLower: boolean;
  message: string;
  items: RegradeItem[];
  /** Targets whose notebook the retention rule dropped: they keep their result. */
  dropped: RegradeTarget[];
  dryRun?: boolean;
}

const WHICH_TEXT: Record<Which, string> = {
  best: "each learner's best submission",
  last: "each learner's last submission",
  all: "every graded submission",
};

/** The parts whose points moved: "sigmoidPrime 0 → 30, epoch 20 → 10". */
export function partChanges(old: PartScore[], now: PartScore[]): string {
  const before = new Map(old.map((p) => [p.name, p.points]));
  return now
    .filter((p) => before.get(p.name) !== p.points)
    .map((p) => `${p.name} ${before.has(p.name) ? fmtScore(before.get(p.name)!) : "—"} → ${fmtScore(p.points)}`)
    .join(", ");
}

export function regradeReport(r: RegradeSummary): string {
  const done = r.items.filter((i) => i.state === "done");
  const changed = done.filter((i) => i.old && i.new && i.old.score !== i.new.score);
  const failed = r.items.filter((i) => i.state === "failed");
  const waiting = r.items.length - done.length - failed.length;
  const head = `${r.dryRun ? "dry run: nothing stored — " : ""}regrade${r.id ? ` ${r.id}` : ""} of ${r.section} (${WHICH_TEXT[r.which]}; ${r.neverLower ? "scores never lowered" : "scores may fall"})${r.message ? `: "${r.message}"` : ""}`;
  const lines = [
    head,
    `  ${done.length} of ${r.items.length} regraded: ${changed.length} changed, ${done.length - changed.length} unchanged` +
      `${failed.length ? `, ${failed.length} failed` : ""}${waiting ? `, ${waiting} still waiting` : ""}`,
  ];
  const width = Math.max(0, ...changed.map((i) => i.email.length));
  for (const i of changed) {
    const kept = i.outcome === "kept" ? "  not applied (--never-lower)" : "";
    const parts = partChanges(i.old!.parts, i.new!.parts);
    lines.push(
      `  ${i.email.padEnd(width)}  ${i.submissionId}  ${fmtScore(i.old!.score)} → ${fmtScore(i.new!.score)}${kept}${parts ? `  (${parts})` : ""}`,
    );
  }
  for (const i of failed)
    lines.push(`  ${i.email}  ${i.submissionId}  not regraded: ${i.failure ?? "the grader failed"} (its result stays)`);
  if (r.dropped.length)
    lines.push(
      `  ${r.dropped.length} submission${r.dropped.length > 1 ? "s" : ""} not regraded: the retention rule dropped ${r.dropped.length > 1 ? "their notebooks" : "its notebook"} (${r.dropped.map((d) => `${d.email} ${d.id}`).join(", ")}); ${r.dropped.length > 1 ? "they keep their results" : "it keeps its result"}`,
    );
  return lines.join("\n") + "\n";
}
