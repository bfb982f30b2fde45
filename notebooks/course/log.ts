// A correctly rounded natural logarithm, for RandomState's normals.
//
// NOTE: NumPy's polar method calls C's log(), which on glibc is correctly rounded in practice
// (error < 0.52 ULP); V8's Math.log is within 1 ULP but rounds the other way for about 3 % of
// the polar method's inputs, which changes a normal's last bit and every sum after it. So we
// evaluate log in double-double arithmetic (~100 bits) and round once at the end.
// Only the generator uses this: it costs ~1 µs per call, Math.log ~20 ns.

type DD = [hi: number, lo: number];

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter

function twoSum(a: number, b: number): DD {
  const s = a + b,
    bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a),
    al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b),
    bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}
function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}
function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, mul(b, [-q1, 0]));
  const q2 = r[0] / b[0];
  const r2 = add(r, mul(b, [-q2, 0]));
  return add(twoSum(q1, q2), [r2[0] / b[0], 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
const TERMS = 22; // s² ≤ 0.0295, so s^(2·22) < 2⁻¹¹⁰
const ODD_RECIPROCALS: DD[] = Array.from({ length: TERMS + 1 }, (_, k) => div([1, 0], [2 * k + 1, 0]));
const view = new DataView(new ArrayBuffer(8));

/** ln(x) for finite x > 0, correctly rounded except in cases closer than 2⁻¹⁰⁰ to a tie. */
export function logCorrectlyRounded(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  // x = m · 2^e with m in [√½, √2): ln x = e·ln 2 + ln m, and ln m = 2·atanh(s), s = (m − 1)/(m + 1).
  let e = 0;
  if (x < 2 ** -1022) {
    x *= 2 ** 54;
    e = -54;
  } // subnormal: scale into the normal range
  view.setFloat64(0, x);
  const hiWord = view.getUint32(0);
  e += ((hiWord >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (hiWord & 0x800fffff) | (1023 << 20));
  let m = view.getFloat64(0);
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  const s = div([m - 1, 0], twoSum(m, 1)); // m − 1 is exact (Sterbenz)
  const s2 = mul(s, s);
  let series = ODD_RECIPROCALS[TERMS];
  for (let k = TERMS - 1; k >= 0; k--) series = add(mul(series, s2), ODD_RECIPROCALS[k]);
  const lnM = mul(mul(s, series), [2, 0]);
  const r = add(mul(LN2, [e, 0]), lnM);
  return r[0] + r[1];
}
