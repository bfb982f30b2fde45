// How the class is doing, for the instructor's page: the distribution of best scores per section and
// the share of learners passing each part (vega-lite, drawn to SVG here by vega: no script runs in
// the browser, and the page's CSP stays strict), plus the most common feedback lines per part.
import type { BestRow } from "../store";

/** The course's own rendering (notebooks/course/plot.ts), as the notebooks' plots. */
export { svgOf as renderSvg } from "../../../notebooks/course/shared";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const graded = (rows: BestRow[]) => rows.filter((r) => r.best && r.best.result.maxScore > 0);

/** Best scores (as % of the section's points) per section, in bins of 10. */
export function scoreSpec(rows: BestRow[]): object {
  const values = graded(rows).map((r) => ({
    section: r.section,
    score: (100 * r.best!.result.score) / r.best!.result.maxScore,
  }));
  return {
    $schema: SCHEMA,
    title: "Best score per learner, by section",
    data: { values },
    facet: { column: { field: "section", type: "nominal", title: null } },
    spec: {
      width: 150,
      height: 140,
      mark: { type: "bar", tooltip: true },
      encoding: {
        x: { field: "score", type: "quantitative", bin: { extent: [0, 100], step: 10 }, title: "score (%)" },
        y: { aggregate: "count", type: "quantitative", title: "learners", axis: { tickMinStep: 1, format: "d" } },
      },
    },
  };
}

/** For each part, the share of learners whose best submission passes it. */
export function partShares(rows: BestRow[]): { section: string; part: string; passing: number; learners: number }[] {
  const byPart = new Map<string, { section: string; part: string; passing: number; learners: number }>();
  for (const r of graded(rows))
    for (const p of r.best!.result.report?.parts ?? []) {
      const k = `${r.section}\u0000${p.name}`;
      const e = byPart.get(k) ?? { section: r.section, part: p.name, passing: 0, learners: 0 };
      e.learners++;
      if (p.status === "passed") e.passing++;
      byPart.set(k, e);
    }
  return [...byPart.values()];
}

export function partSpec(rows: BestRow[]): object {
  const values = partShares(rows).map((p) => ({
    part: `${p.section.slice(0, 2)} ${p.part}`,
    section: p.section,
    share: p.passing / p.learners,
    learners: p.learners,
  }));
  return {
    $schema: SCHEMA,
    title: "Share of learners passing each part (their best submission)",
    width: 420,
    data: { values },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "part", type: "nominal", sort: null, title: null },
      x: { field: "share", type: "quantitative", axis: { format: "%" }, scale: { domain: [0, 1] }, title: "passing" },
      color: { field: "section", type: "nominal" },
    },
  };
}

/** Measured numbers in feedback (errors, values: with a point or an exponent) vary between learners: grouped as "…". */
const shape = (line: string) => line.replace(/-?\d*\.\d+(e[-+]?\d+)?|-?\d+e[-+]?\d+/gi, "…");

/** A part the learner has not started: the notebook's stub throws this. */
const isStub = (line: string) => /\bnot implemented yet\b/.test(line);

/**
 * The most common feedback lines of each part among learners' best submissions: [part, line, learners].
 * A stub's "not implemented yet" is left out (it says nothing about a mistake): see stubsLeft.
 */
export function commonFeedback(
  rows: BestRow[],
  perPart = 3,
): { section: string; part: string; line: string; count: number }[] {
  const counts = new Map<string, Map<string, number>>();
  for (const r of graded(rows))
    for (const p of r.best!.result.report?.parts ?? []) {
      if (p.status === "passed") continue;
      if (p.feedback.some(isStub)) continue;
      const k = `${r.section}\u0000${p.name}`;
      const m = counts.get(k) ?? new Map<string, number>();
      // The hint is the same for everyone: what differs is the problem.
      const lines = p.feedback.filter((f) => !f.startsWith("hint:")).map(shape);
      for (const line of new Set(lines)) m.set(line, (m.get(line) ?? 0) + 1);
      counts.set(k, m);
    }
  return [...counts].flatMap(([k, m]) => {
    const [section, part] = k.split("\u0000");
    return [...m]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, perPart)
      .map(([line, count]) => ({ section, part, line, count }));
  });
}

/** Per part, how many learners' best submission still has its stub. */
export function stubsLeft(rows: BestRow[]): { section: string; part: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of graded(rows))
    for (const p of r.best!.result.report?.parts ?? []) {
      const k = `${r.section}\u0000${p.name}`;
      if (p.feedback.some(isStub)) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  return [...counts].map(([k, count]) => {
    const [section, part] = k.split("\u0000");
    return { section, part, count };
  });
}
