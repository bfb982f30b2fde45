// Batch outputs: the gradebook CSV (csv-stringify), per-learner results.json, and per-learner
// feedback as Markdown or HTML. Safe by construction for what instructors open them with: CSV cells
// a spreadsheet would run as formulas are neutralised, learner text is one line without control
// characters, Markdown escapes HTML and its own markers, HTML escapes everything it shows.
import { feedbackCell, fmtScore, partRow, partView } from "../../notebooks/course/shared";
import { stringify } from "csv-stringify/sync";
import * as fs from "fs";
import * as path from "path";
import type { LearnerResult } from "./batch";
import { gradescopeJson, htmlText, markdownText, oneLine, type GradeReport } from "../pipeline";

/** One row per submission: id, file, status, total, max, points per part (columns from every section seen), error, flags. */
export function gradebookCsv(results: LearnerResult[]): string {
  const parts: string[] = [];
  for (const r of results)
    for (const p of r.report?.parts ?? [])
      if (!parts.includes(`${r.report!.section}:${p.name}`)) parts.push(`${r.report!.section}:${p.name}`);
  // The service's rows carry the score after its late policy: two more columns, at the end.
  const policy = results.some((r) => r.final);
  const rows = results.map((r) => {
    const byPart = new Map((r.report?.parts ?? []).map((p) => [`${r.report!.section}:${p.name}`, fmtScore(p.points)]));
    return [
      oneLine(r.learner),
      oneLine(path.basename(r.file)),
      r.report?.section ?? r.section ?? "",
      r.status,
      r.report ? fmtScore(r.report.score) : "0",
      r.report ? String(r.report.maxScore) : "",
      ...parts.map((p) => byPart.get(p) ?? ""),
      oneLine(r.error ?? ""),
      r.flags.map((f) => oneLine(f)).join("; "),
      ...(policy ? [r.final ? fmtScore(r.final.score) : "", oneLine(r.final?.late ?? "")] : []),
    ];
  });
  // NOTE: escape_formulas prefixes cells starting with = + - @ (tab, CR) with a quote: a learner id
  // like =HYPERLINK(…) is shown, not run.
  const head = ["learner", "file", "section", "status", "total", "max", ...parts, "error", "flags"];
  return stringify([[...head, ...(policy ? ["final", "late"] : [])], ...rows], {
    escape_formulas: true,
  });
}

export function feedbackMarkdown(r: LearnerResult): string {
  const who = markdownText(r.learner);
  if (!r.report)
    return `# Feedback for ${who}\n\nYour submission could not be graded: ${markdownText(r.error ?? "")}\n`;
  const rep = r.report;
  const lines = [
    `# Feedback for ${who} — section ${markdownText(rep.section)}`,
    "",
    `**Score: ${fmtScore(rep.score)} / ${rep.maxScore}**`,
    "",
    "| Part | Score | Feedback |",
    "| --- | --- | --- |",
    ...rep.parts
      .map((p) => partRow(partView(p)))
      .map(
        (row) =>
          `| ${row.mark} ${markdownText(row.name)} | ${row.score} | ${feedbackCell(row, "<br>", markdownText)} |`,
      ),
  ];
  if (rep.notes.length) lines.push("", ...rep.notes.map((n) => `- note: ${markdownText(n)}`));
  if (r.flags.length) lines.push("", ...r.flags.map((f) => `- flag: ${markdownText(f)}`));
  return lines.join("\n") + "\n";
}

export function feedbackHtml(r: LearnerResult): string {
  const who = htmlText(oneLine(r.learner));
  const head = `<!doctype html><meta charset="utf-8"><title>Feedback for ${who}</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}table{border-collapse:collapse}.ok{color:#2a7}.no{color:#c33}</style>`;
  if (!r.report)
    return `${head}<h1>Feedback for ${who}</h1><p>Your submission could not be graded: ${htmlText(oneLine(r.error ?? ""))}</p>\n`;
  const rep: GradeReport = r.report;
  const rows = rep.parts
    .map((p) => partRow(partView(p)))
    .map(
      (row) =>
        `<tr><td class="${row.passed ? "ok" : "no"}">${row.mark} ${htmlText(row.name)}</td><td>${row.score}</td><td>${feedbackCell(row, "<br>", (f) => htmlText(oneLine(f)))}</td></tr>`,
    );
  const notes = rep.notes.length
    ? `<ul>${rep.notes.map((n) => `<li>note: ${htmlText(oneLine(n))}</li>`).join("")}</ul>`
    : "";
  return `${head}<h1>Feedback for ${who} — section ${htmlText(rep.section)}</h1><p><b>Score: ${fmtScore(rep.score)} / ${rep.maxScore}</b></p><table><tr><th>Part</th><th>Score</th><th>Feedback</th></tr>${rows.join("")}</table>${notes}\n`;
}

/** Writes the requested outputs; each submission's files are named by its key (unique in the batch). */
export function writeOutputs(
  results: LearnerResult[],
  o: { csv?: string; jsonDir?: string; feedbackDir?: string; format?: "md" | "html" },
): void {
  if (o.csv) fs.writeFileSync(o.csv, gradebookCsv(results));
  if (o.jsonDir) {
    fs.mkdirSync(o.jsonDir, { recursive: true });
    for (const r of results) {
      const json = r.report
        ? gradescopeJson(r.report)
        : { score: 0, output: `could not be graded: ${oneLine(r.error ?? "")}`, tests: [] };
      fs.writeFileSync(path.join(o.jsonDir, `${r.key}.json`), JSON.stringify(json, null, 2) + "\n");
    }
  }
  if (o.feedbackDir) {
    fs.mkdirSync(o.feedbackDir, { recursive: true });
    for (const r of results) {
      const html = o.format === "html";
      fs.writeFileSync(
        path.join(o.feedbackDir, `${r.key}.${html ? "html" : "md"}`),
        html ? feedbackHtml(r) : feedbackMarkdown(r),
      );
    }
  }
}
