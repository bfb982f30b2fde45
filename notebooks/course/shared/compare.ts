// Compares a learner's value with an expected one. Shared by the notebook's public
// `check` and the grader's hidden checks, so the two can never disagree.
// Messages never contain expected numbers: callers add them for public cases only.

/** Numbers, arrays of them, and records of them (`{ weights, losses }`). */
export type Plain = number | Plain[] | { [key: string]: Plain };

export interface Tolerance {
  rtol: number;
  atol: number;
}

export interface Comparison {
  ok: boolean;
  message: string;
}

type Path = (string | number)[];
const isRecord = (v: unknown): v is { [key: string]: Plain } =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function shapeOf(v: Plain): number[] {
  const shape: number[] = [];
  let cur: Plain | undefined = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

export const formatShape = (s: number[]) =>
  s.length === 0 ? "a number" : `shape (${s.join(", ")}${s.length === 1 ? "," : ""})`;

/**
 * Pairs of (actual, expected) numbers, walked along the expected value: records by its keys in its
 * order (so a learner's key order cannot pair the wrong fields), arrays index by index.
 * Called once the structures match.
 */
function pairs(a: Plain, e: Plain, at: Path = [], out: { at: Path; a: number; e: number }[] = []) {
  if (Array.isArray(e)) for (let i = 0; i < e.length; i++) pairs((a as Plain[])[i], e[i], [...at, i], out);
  else if (isRecord(e))
    for (const k of Object.keys(e)) pairs((a as { [key: string]: Plain })[k], e[k], [...at, k], out);
  else out.push({ at, a: a as number, e });
  return out;
}

/** The first structural difference (record keys, then shapes), or undefined when they match. */
function structureDiff(a: Plain, e: Plain, at: Path): string | undefined {
  if (isRecord(e)) {
    if (!isRecord(a))
      return `${inside(at)}expected a record with keys ${keys(e)}, got ${Array.isArray(a) ? formatShape(shapeOf(a)) : "a number"}`;
    const missing = Object.keys(e).filter((k) => !(k in a)),
      extra = Object.keys(a).filter((k) => !(k in e));
    if (missing.length || extra.length) return `${inside(at)}expected keys ${keys(e)}, got ${keys(a)}`;
    for (const k of Object.keys(e)) {
      const d = structureDiff(a[k], e[k], [...at, k]);
      if (d) return d;
    }
    return undefined;
  }
  if (!sameShape(a, e)) {
    const [as, es] = [isRecord(a) ? undefined : shapeOf(a), shapeOf(e)];
    if (!as)
      return `${inside(at)}expected ${formatShape(es)}, got a record with keys ${keys(a as { [key: string]: Plain })}`;
    const transposed = as.length === 2 && es.length === 2 && as[0] === es[1] && as[1] === es[0];
    return `${inside(at)}expected ${formatShape(es)}, got ${formatShape(as)}${transposed ? " — did you transpose?" : ""}`;
  }
  return undefined;
}

/**
 * The first structural difference as a hidden case may say it: only the grader's own words and
 * the expected value's keys. NOTE: nothing the learner's value chose — its keys (a key can spell a
 * hidden input), its sizes (a length can encode one), where in an array it differs — nor a hidden
 * input's size: "expected 1 dimension", never "(3,)".
 */
function coarseStructureDiff(a: Plain, e: Plain, at: Path): string | undefined {
  if (isRecord(e)) {
    if (!isRecord(a)) return `${coarseInside(at)}expected a record with keys ${keys(e)}, got ${kindOf(a)}`;
    const missing = Object.keys(e).filter((k) => !(k in a));
    if (missing.length) return `${coarseInside(at)}expected keys ${keys(e)}; missing: ${missing.join(", ")}`;
    if (Object.keys(a).some((k) => !(k in e))) return `${coarseInside(at)}expected only the keys ${keys(e)}`;
    for (const k of Object.keys(e)) {
      const d = coarseStructureDiff(a[k], e[k], [...at, k]);
      if (d) return d;
    }
    return undefined;
  }
  if (sameShape(a, e)) return undefined;
  const dims = shapeOf(e).length;
  if (isRecord(a) || !Array.isArray(a) !== (dims === 0) || shapeOf(a).length !== dims)
    return `${coarseInside(at)}wrong shape: expected ${dims === 0 ? "a number" : `an array of ${dims} dimension${dims > 1 ? "s" : ""}`}, got ${kindOf(a)}`;
  return `${coarseInside(at)}wrong shape: the sizes differ from the ones the inputs call for`;
}

const kindOf = (v: Plain) =>
  isRecord(v)
    ? "a record"
    : Array.isArray(v)
      ? `an array of ${shapeOf(v).length} dimension${shapeOf(v).length > 1 ? "s" : ""}`
      : "a number";

function sameShape(a: Plain, e: Plain): boolean {
  if (isRecord(a) || isRecord(e)) return isRecord(a) && isRecord(e) && structureDiff(a, e, []) === undefined;
  if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => sameShape(a[i], x));
  return !Array.isArray(a);
}

/**
 * allclose in NumPy's sense: |a − e| ≤ atol + rtol·|e|, element-wise, with shapes (and record keys) equal.
 * `detail` "full" (public cases) names the largest error and where; "coarse" (hidden cases) says only
 * that values are off by more than the tolerance, and in which record field — neither an error, which
 * would let repeated submissions home in on a hidden expected value, nor an index or a size, which
 * the learner's code could choose to spell out a hidden input (coarseStructureDiff).
 */
export function compareValues(
  actual: Plain,
  expected: Plain,
  tol: Tolerance,
  detail: "full" | "coarse" = "full",
): Comparison {
  const diff = (detail === "coarse" ? coarseStructureDiff : structureDiff)(actual, expected, []);
  if (diff) return { ok: false, message: diff };
  const ps = pairs(actual, expected);
  const bad = ps.find((x) => !Number.isFinite(x.a));
  const tolerance = `(tolerance rtol ${tol.rtol}, atol ${tol.atol})`;
  const over = (x: { a: number; e: number }) => Math.abs(x.a - x.e) > tol.atol + tol.rtol * Math.abs(x.e);
  if (detail === "coarse") {
    // Which record field, never which index: the learner would choose the index to spell an input.
    if (bad) return { ok: false, message: `got a value that is not finite (NaN or ±Infinity) ${coarseWhere(bad.at)}` };
    const first = ps.find(over);
    return first
      ? { ok: false, message: `wrong values ${coarseWhere(first.at)}: off by more than the tolerance ${tolerance}` }
      : { ok: true, message: "" };
  }
  if (bad) return { ok: false, message: `got ${bad.a} at ${where(bad.at)}` };
  let worst = { err: 0, at: [] as Path, over: false };
  for (const x of ps) {
    const err = Math.abs(x.a - x.e),
      o = over(x);
    if ((o && !worst.over) || (o === worst.over && err > worst.err)) worst = { err, at: x.at, over: o };
  }
  if (!worst.over) return { ok: true, message: "" };
  return { ok: false, message: `largest error ${worst.err.toPrecision(3)} at ${where(worst.at)} ${tolerance}` };
}

const keys = (r: object) => `{${Object.keys(r).join(", ")}}`;
const inside = (at: Path) => (at.length ? `${where(at)}: ` : "");
/** The record fields on the way (the expected value's keys), without array indices. */
const fieldsOf = (at: Path) => at.filter((p): p is string => typeof p === "string").join(".");
const coarseWhere = (at: Path) => (fieldsOf(at) ? `in ${fieldsOf(at)}` : "in the result");
const coarseInside = (at: Path) => (fieldsOf(at) ? `${fieldsOf(at)}: ` : "");

/** `index [1, 2]` for arrays; `weights[3]` or `losses` inside records. */
function where(at: Path): string {
  if (at.length === 0) return "the result";
  if (at.every((p) => typeof p === "number")) return `index [${at.join(", ")}]`;
  return at.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
