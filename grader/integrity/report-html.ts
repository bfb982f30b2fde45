// The similarity report as one HTML page: the distribution of every pair's score (so an instructor
// sees which pairs stand out from how alike honest work of this exercise is), then each pair above
// the threshold with its matching lines side by side. Every learner text is escaped.
import { htmlText } from "../pipeline";
import { matchedRegions, type Compared, type Region, type Similarity } from "./similarity";

const BINS = 10;

function histogram(s: Similarity): string {
  const counts = new Array<number>(BINS).fill(0);
  counts[0] = s.pairCount - s.pairs.length; // pairs with nothing in common
  for (const p of s.pairs) counts[Math.min(BINS - 1, Math.floor(p.score * BINS))]++;
  const most = Math.max(1, ...counts);
  const rows = counts.map((c, i) => {
    const label = `${(i / BINS).toFixed(1)}–${((i + 1) / BINS).toFixed(1)}`;
    const width = c ? Math.max(1, Math.round((300 * Math.log1p(c)) / Math.log1p(most))) : 0;
    return `<tr><td>${label}</td><td><span class="bar" style="width:${width}px"></span> ${c}</td></tr>`;
  });
  return `<table class="hist"><tr><th>score</th><th>pairs (bar: log scale)</th></tr>${rows.join("")}</table>`;
}

function side(c: Compared, regions: Region[]): string {
  const marked = (cell: number, line: number) => regions.some((r) => r.cell === cell && line >= r.from && line <= r.to);
  const cells = c.cells
    .filter((cell) => regions.some((r) => r.cell === cell.cell))
    .map((cell) => {
      const lines = cell.source.split("\n").map((text, i) => {
        const body = htmlText(text) || " ";
        return marked(cell.cell, i + 1) ? `<mark>${body}</mark>` : body;
      });
      return `<div class="cell">code cell ${cell.cell}</div><pre>${lines.join("\n")}</pre>`;
    });
  return `<div class="side"><h4>${htmlText(c.name)}</h4>${cells.join("")}</div>`;
}

/** `scope`: which submissions these are (a sentence); `notes`: files or submissions that could not be read. */
export function similarityHtml(
  section: string,
  s: Similarity,
  threshold: number,
  { scope, notes = [] }: { scope?: string; notes?: string[] } = {},
): string {
  const above = s.pairs.filter((p) => p.score >= threshold);
  const percentile = (score: number) =>
    (100 * (s.pairCount - s.pairs.filter((p) => p.score >= score).length)) / Math.max(1, s.pairCount);
  const rows = above.map(
    (p, i) =>
      `<tr><td>${i + 1}</td><td><a href="#pair-${i + 1}">${htmlText(s.compared[p.a].name)} — ${htmlText(s.compared[p.b].name)}</a></td><td>${(100 * p.score).toFixed(0)} %</td><td>${p.shared}</td><td>${percentile(p.score).toFixed(1)}</td></tr>`,
  );
  const details = above.map((p, i) => {
    const r = matchedRegions(s.compared[p.a], s.compared[p.b]);
    return `<h3 id="pair-${i + 1}">${i + 1}. ${htmlText(s.compared[p.a].name)} — ${htmlText(s.compared[p.b].name)}: ${(100 * p.score).toFixed(0)} %</h3><div class="pair">${side(s.compared[p.a], r.a)}${side(s.compared[p.b], r.b)}</div>`;
  });
  const skipped = [...s.skipped, ...notes.map((n) => ({ name: "", why: n }))];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Similarity: ${htmlText(section)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left}
.hist .bar{display:inline-block;height:10px;background:#4a78b5}.pair{display:flex;gap:1em}.side{flex:1;min-width:0}
pre{background:#f6f6f6;padding:6px;overflow-x:auto;margin:0 0 8px}mark{background:#ffd36b}.cell{color:#666;font-size:12px}
</style></head><body><h1>Similarity of learners' code: ${htmlText(section)}</h1>
<p>${scope ? `${htmlText(scope)} ` : ""}${s.compared.length} submissions compared (${s.pairCount} pairs); the released notebook's code is left out, and so are ${s.common} passages that half the class or more wrote alike (the exercise's natural shape). A pair's score is the share of the smaller submission's remaining fingerprints the two have in common; renamed variables, moved functions, comments and spacing do not change it.</p>
<h2>How alike the pairs are</h2>${histogram(s)}
<h2>Pairs at ${(100 * threshold).toFixed(0)} % or more (${above.length})</h2>
${above.length ? `<table><tr><th>#</th><th>pair</th><th>score</th><th>shared fingerprints</th><th>percentile</th></tr>${rows.join("")}</table>` : "<p>None.</p>"}
${skipped.length ? `<h2>Not compared</h2><ul>${skipped.map((k) => `<li>${htmlText(k.name)}${k.name ? ": " : ""}${htmlText(k.why)}</li>`).join("")}</ul>` : ""}
${details.join("\n")}</body></html>
`;
}
