// fmincg: minimise a differentiable cost of one column θ with nonlinear conjugate gradients — the
// role the classic course's fmincg (and scipy's optimize.minimize) plays when it trains the
// ex4 network. Directions are Polak–Ribière's (restarted as steepest descent when β < 0 or when a
// direction stops going down); each step is found by a line search that satisfies the strong Wolfe
// conditions (Nocedal & Wright, Numerical Optimization, algorithms 3.5 and 3.6, with cubic
// interpolation): the cost never goes up from one iteration to the next.
import { NDArray } from "./ndarray";

/** A cost and its gradient at θ (both (n, 1) columns): what nnCostFunction returns. */
export type CostFunction = (theta: NDArray) => [number, NDArray];

export interface FmincgResult {
  theta: NDArray;
  /** The cost after each iteration (non-increasing), the starting cost first. */
  costs: number[];
  /** Cost evaluations used (each line search needs one or a few). */
  evaluations: number;
}

export interface FmincgOptions {
  /** Iterations (line searches) at most. */
  maxIter: number;
  /** Called after each iteration with its number (1-based) and cost: for a progress display. */
  onIteration?: (iteration: number, cost: number) => void;
}

const C1 = 1e-4,
  C2 = 0.1; // sufficient decrease; curvature (0.1: a fairly exact search, as CG wants)

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const axpy = (x: Float64Array, alpha: number, p: Float64Array) => {
  const o = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) o[i] = x[i] + alpha * p[i];
  return o;
};

/** Minimises `f` from `theta0`: at most `maxIter` iterations; stops early when no step lowers the cost. */
export function fmincg(f: CostFunction, theta0: NDArray, opts: FmincgOptions): FmincgResult {
  const n = theta0.size,
    shape = (d: Float64Array) => new NDArray(theta0.rows, theta0.cols, d);
  let evaluations = 0;
  const evaluate = (x: Float64Array): [number, Float64Array] => {
    evaluations++;
    const [J, grad] = f(shape(x));
    if (!Number.isFinite(J))
      throw new RangeError(`fmincg: the cost is ${J} at evaluation ${evaluations}: check the cost function`);
    if (grad.size !== n) throw new RangeError(`fmincg: the gradient has ${grad.size} values, θ has ${n}`);
    return [J, Float64Array.from(grad.data)];
  };
  let x = Float64Array.from(theta0.data);
  let [fx, g] = evaluate(x);
  let p = g.map((v) => -v);
  const costs = [fx];
  let step = 1 / (1 + Math.sqrt(dot(g, g))); // a first step of about unit length
  for (let it = 1; it <= opts.maxIter; it++) {
    let slope = dot(g, p);
    if (slope >= 0) {
      p = g.map((v) => -v);
      slope = -dot(g, g);
    } // not downhill: start again from steepest descent
    if (slope === 0) break; // a stationary point
    const found = lineSearch(evaluate, x, fx, slope, p, step);
    if (!found) break; // no step lowers the cost: as far as this method goes
    const gNew = found.g;
    // Polak–Ribière+: β = max(0, g₊ᵀ(g₊ − g) / gᵀg)
    const beta = Math.max(0, (dot(gNew, gNew) - dot(gNew, g)) / dot(g, g));
    const prevSlope = slope;
    x = found.x;
    fx = found.f;
    g = gNew;
    p = p.map((v, i) => beta * v - g[i]);
    // The next first step: the last one scaled by how the slope changed (Nocedal & Wright, (3.60)).
    step = Math.min(10 * found.alpha, (found.alpha * prevSlope) / Math.min(-1e-300, dot(g, p)));
    costs.push(fx);
    opts.onIteration?.(it, fx);
  }
  return { theta: shape(x), costs, evaluations };
}

/** A step α along p satisfying the strong Wolfe conditions, or undefined when none lowers the cost. */
function lineSearch(
  evaluate: (x: Float64Array) => [number, Float64Array],
  x: Float64Array,
  f0: number,
  d0: number,
  p: Float64Array,
  first: number,
) {
  let aPrev = 0,
    fPrev = f0,
    dPrev = d0,
    a = first;
  for (let i = 0; i < 20; i++) {
    const xa = axpy(x, a, p),
      [fa, ga] = evaluate(xa),
      da = dot(ga, p);
    if (fa > f0 + C1 * a * d0 || (i > 0 && fa >= fPrev))
      return zoom(evaluate, x, f0, d0, p, { a: aPrev, f: fPrev, d: dPrev }, { a, f: fa, d: da });
    if (Math.abs(da) <= -C2 * d0) return { alpha: a, x: xa, f: fa, g: ga };
    if (da >= 0) return zoom(evaluate, x, f0, d0, p, { a, f: fa, d: da }, { a: aPrev, f: fPrev, d: dPrev });
    aPrev = a;
    fPrev = fa;
    dPrev = da;
    a *= 2;
  }
  return undefined;
}

type Point = { a: number; f: number; d: number };

/** The minimiser of the cubic through two points with their slopes, kept inside [lo, hi] away from the ends. */
function cubicStep(p: Point, q: Point): number {
  const d1 = p.d + q.d - (3 * (p.f - q.f)) / (p.a - q.a);
  const disc = d1 * d1 - p.d * q.d;
  const lo = Math.min(p.a, q.a),
    hi = Math.max(p.a, q.a),
    margin = 0.1 * (hi - lo);
  if (disc < 0) return (lo + hi) / 2;
  const d2 = Math.sign(q.a - p.a) * Math.sqrt(disc);
  const t = q.a - (q.a - p.a) * ((q.d + d2 - d1) / (q.d - p.d + 2 * d2));
  return Number.isFinite(t) ? Math.min(hi - margin, Math.max(lo + margin, t)) : (lo + hi) / 2;
}

/** Shrinks [lo, hi] (lo: the lower cost) until a point meets the strong Wolfe conditions. */
function zoom(
  evaluate: (x: Float64Array) => [number, Float64Array],
  x: Float64Array,
  f0: number,
  d0: number,
  p: Float64Array,
  lo: Point,
  hi: Point,
) {
  for (let i = 0; i < 30; i++) {
    const a = cubicStep(lo, hi),
      xa = axpy(x, a, p),
      [fa, ga] = evaluate(xa),
      da = dot(ga, p);
    if (fa > f0 + C1 * a * d0 || fa >= lo.f) hi = { a, f: fa, d: da };
    else {
      if (Math.abs(da) <= -C2 * d0) return { alpha: a, x: xa, f: fa, g: ga };
      if (da * (hi.a - lo.a) >= 0) hi = lo;
      lo = { a, f: fa, d: da };
    }
    if (Math.abs(hi.a - lo.a) < 1e-12 * Math.max(1, lo.a)) break;
  }
  // The interval closed without a strong Wolfe point: the best point found, if it lowered the cost.
  if (lo.a > 0 && lo.f < f0) {
    const xa = axpy(x, lo.a, p),
      [fa, ga] = evaluate(xa);
    return { alpha: lo.a, x: xa, f: fa, g: ga };
  }
  return undefined;
}
