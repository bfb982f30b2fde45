// Compares a learner's value with an expected one. Shared by the notebook's public
// `check` and the grader's hidden checks, so the two can never disagree.
// Messages never contain expected numbers: callers add them for public cases only.

export type Plain = number | Plain[];

export interface Tolerance { rtol: number; atol: number }

export interface Comparison { ok: boolean; message: string }

export function shapeOf(v: Plain): number[] {
  const shape: number[] = [];
  let cur: Plain = v;
  while (Array.isArray(cur)) { shape.push(cur.length); cur = cur[0] as Plain; if (cur === undefined) break; }
  return shape;
}

export const formatShape = (s: number[]) => (s.length === 0 ? "a number" : `shape (${s.join(", ")}${s.length === 1 ? "," : ""})`);

function flatten(v: Plain, at: number[] = [], out: { at: number[]; v: number }[] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, [...at, i], out));
  else out.push({ at, v });
  return out;
}

function sameShape(a: Plain, e: Plain): boolean {
  if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => sameShape(a[i], x));
  return !Array.isArray(a);
}

/** allclose in NumPy's sense: |a − e| ≤ atol + rtol·|e|, element-wise, with shapes equal. */
export function compareValues(actual: Plain, expected: Plain, tol: Tolerance): Comparison {
  if (!sameShape(actual, expected)) {
    const [a, e] = [shapeOf(actual), shapeOf(expected)];
    const transposed = a.length === 2 && e.length === 2 && a[0] === e[1] && a[1] === e[0];
    return { ok: false, message: `expected ${formatShape(e)}, got ${formatShape(a)}${transposed ? " — did you transpose?" : ""}` };
  }
  const as = flatten(actual), es = flatten(expected);
  const bad = as.find((x) => !Number.isFinite(x.v));
  if (bad) return { ok: false, message: `got ${bad.v} at ${where(bad.at)}` };
  let worst = { err: 0, at: [] as number[], over: false };
  as.forEach((x, i) => {
    const err = Math.abs(x.v - es[i].v);
    const over = err > tol.atol + tol.rtol * Math.abs(es[i].v);
    if ((over && !worst.over) || (over === worst.over && err > worst.err)) worst = { err, at: x.at, over };
  });
  if (!worst.over) return { ok: true, message: "" };
  return { ok: false, message: `largest error ${worst.err.toPrecision(3)} at ${where(worst.at)} (tolerance rtol ${tol.rtol}, atol ${tol.atol})` };
}

const where = (at: number[]) => (at.length === 0 ? "the result" : `index [${at.join(", ")}]`);
