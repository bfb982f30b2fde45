// Reference solution of section 03: one tanh neuron trained to compute NOT. Each part is
// exported under its name; the notebook builder copies these declarations verbatim.

export function a1(w1: number, b1: number, a0: number): number {
  const z1 = w1 * a0 + b1; // z¹ = w¹a⁰ + b¹
  return Math.tanh(z1); // a¹ = σ(z¹), σ = tanh
}

export function cost(w1: number, b1: number, x: number, y: number): number {
  return (a1(w1, b1, x) - y) ** 2; // Cₖ = (a¹ − y)²
}

export function trainingSetCost(w1: number, b1: number, examples: [number, number][]): number {
  // C = (1/n)·Σₖ Cₖ over the (x, y) examples
  return examples.reduce((sum, [x, y]) => sum + cost(w1, b1, x, y), 0) / examples.length;
}

export function dCdw(w1: number, b1: number, x: number, y: number): number {
  const z1 = w1 * x + b1;
  const dCda = 2 * (a1(w1, b1, x) - y); // ∂C/∂a¹
  const dadz = 1 / Math.cosh(z1) ** 2; // ∂a¹/∂z¹ = tanh′(z¹) = 1/cosh²(z¹)
  const dzdw = x; // ∂z¹/∂w¹ = a⁰
  return dCda * dadz * dzdw;
}

export function dCdb(w1: number, b1: number, x: number, y: number): number {
  const z1 = w1 * x + b1;
  const dCda = 2 * (a1(w1, b1, x) - y); // ∂C/∂a¹
  const dadz = 1 / Math.cosh(z1) ** 2; // ∂a¹/∂z¹
  const dzdb = 1; // ∂z¹/∂b¹
  return dCda * dadz * dzdb;
}

export function vectorCost(W: number[][], b: number[], x: number[], y: number[]): number {
  // a = σ(W·x + b), one entry per row of W; Cₖ = |a − y|² = Σᵢ (aᵢ − yᵢ)²
  const a = W.map((row, i) => Math.tanh(row.reduce((s, wij, j) => s + wij * x[j], 0) + b[i]));
  return a.reduce((s, ai, i) => s + (ai - y[i]) ** 2, 0);
}

// C = ½[(tanh(b¹) − 1)² + (tanh(w¹ + b¹) − 0)²] at the start (w¹ = 1.3, b¹ = −0.1) ≈ 0.9522
export const answer_C0: number | null = ((Math.tanh(1.3 * 0 - 0.1) - 1) ** 2 + (Math.tanh(1.3 * 1 - 0.1) - 0) ** 2) / 2;

export const answer_chainRule: string[] | null = ["a", "b", "d"];
