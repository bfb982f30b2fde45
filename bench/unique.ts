// What a class submits: every learner writes their functions differently. A line of its own in each
// function or class cell makes those cells new to a grader's type-check cache, as in a real class.

let serial = 0;

/** The notebook (JSON text) with a line of learner `n` (by default, the next number) in each function or class cell. */
export function asLearner(notebookText: string, n = ++serial): string {
  const nb = JSON.parse(notebookText);
  for (const c of nb.cells)
    if (c.cell_type === "code" && /^(function|class) /m.test(c.source.join(""))) c.source.push(`\n// learner ${n}`);
  return JSON.stringify(nb);
}
