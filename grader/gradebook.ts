// Batch outputs: the gradebook CSV (csv-stringify), per-learner results.json, and per-learner
// feedback as Markdown or HTML.
import { stringify } from "csv-stringify/sync";
import * as fs from "fs";
import * as path from "path";
import type { LearnerResult } from "./batch";
import { gradescopeJson, type GradeReport } from "./report";

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** One row per learner: id, file, status, total, max, then points per part (columns from every section seen). */
export function gradebookCsv(results: LearnerResult[]): string {
  const parts: string[] = [];
  for (const r of results) for (const p of r.report?.parts ?? []) if (!parts.includes(`${r.report!.section}:${p.name}`)) parts.push(`${r.report!.section}:${p.name}`);
  const rows = results.map((r) => {
    const byPart = new Map((r.report?.parts ?? []).map((p) => [`${r.report!.section}:${p.name}`, fmt(p.points)]));
    return [r.learner, path.basename(r.file), r.report?.section ?? "", r.status, r.report ? fmt(r.report.score) : "0", r.report ? String(r.report.maxScore) : "", ...parts.map((p) => byPart.get(p) ?? ""), r.error ?? ""];
  });
  return stringify([["learner", "file", "section", "status", "total", "max", ...parts, "error"], ...rows]);
}

export function feedbackMarkdown(r: LearnerResult): string {
  if (!r.report) return `# Feedback for ${r.learner}\n\nYour submission could not be graded: ${r.error}\n`;
  const rep = r.report;
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
  const lines = [
    `# Feedback for ${r.learner} — section ${rep.section}`, "", `**Score: ${fmt(rep.score)} / ${rep.maxScore}**`, "",
    "| Part | Score | Feedback |", "| --- | --- | --- |",
    ...rep.parts.map((p) => `| ${p.status === "passed" ? "✓" : "✗"} ${p.name} | ${fmt(p.points)} / ${p.maxPoints} | ${cell(p.status === "passed" ? `all ${p.cases} checks pass` : `[${p.status}] ${p.feedback.join("\n")}`)} |`),
  ];
  if (rep.notes.length) lines.push("", ...rep.notes.map((n) => `- note: ${n}`));
  return lines.join("\n") + "\n";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function feedbackHtml(r: LearnerResult): string {
  const head = `<!doctype html><meta charset="utf-8"><title>Feedback for ${esc(r.learner)}</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}table{border-collapse:collapse}.ok{color:#2a7}.no{color:#c33}</style>`;
  if (!r.report) return `${head}<h1>Feedback for ${esc(r.learner)}</h1><p>Your submission could not be graded: ${esc(r.error ?? "")}</p>\n`;
  const rep: GradeReport = r.report;
  const rows = rep.parts.map((p) => `<tr><td class="${p.status === "passed" ? "ok" : "no"}">${p.status === "passed" ? "✓" : "✗"} ${esc(p.name)}</td><td>${fmt(p.points)} / ${p.maxPoints}</td><td>${p.status === "passed" ? `all ${p.cases} checks pass` : `[${esc(p.status)}] ${p.feedback.map(esc).join("<br>")}`}</td></tr>`);
  const notes = rep.notes.length ? `<ul>${rep.notes.map((n) => `<li>note: ${esc(n)}</li>`).join("")}</ul>` : "";
  return `${head}<h1>Feedback for ${esc(r.learner)} — section ${esc(rep.section)}</h1><p><b>Score: ${fmt(rep.score)} / ${rep.maxScore}</b></p><table><tr><th>Part</th><th>Score</th><th>Feedback</th></tr>${rows.join("")}</table>${notes}\n`;
}

/** Writes the requested outputs; file names are the learner ids. */
export function writeOutputs(results: LearnerResult[], o: { csv?: string; jsonDir?: string; feedbackDir?: string; format?: "md" | "html" }): void {
  if (o.csv) fs.writeFileSync(o.csv, gradebookCsv(results));
  const safe = (id: string) => id.replace(/[^\w.-]+/g, "_");
  if (o.jsonDir) {
    fs.mkdirSync(o.jsonDir, { recursive: true });
    for (const r of results) {
      const json = r.report ? gradescopeJson(r.report) : { score: 0, output: `could not be graded: ${r.error}`, tests: [] };
      fs.writeFileSync(path.join(o.jsonDir, `${safe(r.learner)}.json`), JSON.stringify(json, null, 2) + "\n");
    }
  }
  if (o.feedbackDir) {
    fs.mkdirSync(o.feedbackDir, { recursive: true });
    for (const r of results) {
      const html = o.format === "html";
      fs.writeFileSync(path.join(o.feedbackDir, `${safe(r.learner)}.${html ? "html" : "md"}`), html ? feedbackHtml(r) : feedbackMarkdown(r));
    }
  }
}
