// Twelve learners' own solutions of section 01, written independently in the styles a class has
// (mathjs or plain loops, reduce or for-of, helpers or one-liners, their own names), and one copy of
// another's work disguised as a copier would: names changed, statements and helpers moved, comments
// and spacing redone. The similarity report must rank the copy first (test/similarity.test.ts).
export type Solution = Record<"sigmoid" | "sigmoidPrime" | "errorTerm" | "weightStep" | "gradientDescentEpoch", string>;

export const honest: Record<string, Solution> = {
  ana: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (h) => 1 / (1 + Math.exp(-h)));\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (h) => sigmoid(h) * (1 - sigmoid(h)));\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  const h = math.dot(x, weights);\n  const out = sigmoid(h);\n  return (y - out) * sigmoidPrime(h);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  return math.multiply(learnrate * errorTerm(x, y, weights), x) as number[];\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  let del = weights.map(() => 0);\n  features.forEach((x, i) => {\n    del = math.add(del, math.multiply(errorTerm(x, targets[i], weights), x)) as number[];\n  });\n  return math.add(weights, math.multiply(learnrate / features.length, del)) as number[];\n}`,
  },
  bo: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  // logistic function\n  return map(x, function (v) {\n    const e = Math.exp(-v);\n    return 1 / (1 + e);\n  });\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, function (v) {\n    const s = 1 / (1 + Math.exp(-v));\n    return s - s * s;\n  });\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  let total = 0;\n  for (let j = 0; j < x.length; j++) {\n    total += x[j] * weights[j];\n  }\n  const prediction = 1 / (1 + Math.exp(-total));\n  const gradient = prediction * (1 - prediction);\n  return (y - prediction) * gradient;\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const delta = errorTerm(x, y, weights);\n  const step: number[] = [];\n  for (let j = 0; j < x.length; j++) {\n    step.push(learnrate * delta * x[j]);\n  }\n  return step;\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const sums = new Array(weights.length).fill(0);\n  for (let r = 0; r < features.length; r++) {\n    const delta = errorTerm(features[r], targets[r], weights);\n    for (let j = 0; j < weights.length; j++) {\n      sums[j] += delta * features[r][j];\n    }\n  }\n  const updated = weights.slice();\n  for (let j = 0; j < weights.length; j++) {\n    updated[j] += (learnrate * sums[j]) / features.length;\n  }\n  return updated;\n}`,
  },
  cy: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (z) => 1.0 / (1.0 + Math.exp(-z)));\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (z) => {\n    const s = sigmoid(z);\n    return s * (1 - s);\n  });\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  const h = x.reduce((acc, xi, i) => acc + xi * weights[i], 0);\n  return (y - sigmoid(h)) * sigmoidPrime(h);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const d = errorTerm(x, y, weights);\n  return x.map((xi) => learnrate * d * xi);\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const total = features\n    .map((x, i) => x.map((xi) => errorTerm(x, targets[i], weights) * xi))\n    .reduce((a, b) => a.map((v, k) => v + b[k]));\n  return weights.map((w, k) => w + (learnrate * total[k]) / features.length);\n}`,
  },
  dan: {
    sigmoid: `const logistic = (v: number) => 1 / (1 + Math.exp(-v));\nfunction sigmoid<T extends Tensor>(x: T): T {\n  return map(x, logistic);\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (v) => logistic(v) * (1 - logistic(v)));\n}`,
    errorTerm: `function dotProduct(a: number[], b: number[]): number {\n  let s = 0;\n  a.forEach((ai, i) => (s += ai * b[i]));\n  return s;\n}\nfunction errorTerm(x: number[], y: number, weights: number[]): number {\n  const h = dotProduct(x, weights);\n  const yhat = logistic(h);\n  return (y - yhat) * yhat * (1 - yhat);\n}`,
    weightStep: `function scale(v: number[], c: number): number[] {\n  return v.map((e) => e * c);\n}\nfunction weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  return scale(x, learnrate * errorTerm(x, y, weights));\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  let acc = scale(weights, 0);\n  for (const [i, x] of features.entries()) {\n    const step = scale(x, errorTerm(x, targets[i], weights));\n    acc = acc.map((a, k) => a + step[k]);\n  }\n  return weights.map((w, k) => w + (learnrate / features.length) * acc[k]);\n}`,
  },
  eve: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (t) => Math.exp(t) / (Math.exp(t) + 1));\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (t) => Math.exp(-t) / Math.pow(1 + Math.exp(-t), 2));\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  const activation = math.dot(x, weights) as number;\n  const output: number = sigmoid(activation);\n  const error = y - output;\n  const slope: number = sigmoidPrime(activation);\n  return error * slope;\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const term = errorTerm(x, y, weights);\n  return x.map((value) => value * term * learnrate);\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const n = features.length;\n  const change = weights.map(() => 0);\n  features.forEach((record, i) => {\n    const term = errorTerm(record, targets[i], weights);\n    record.forEach((value, k) => {\n      change[k] += term * value;\n    });\n  });\n  return weights.map((w, k) => w + learnrate * change[k] / n);\n}`,
  },
  fay: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  const f = (u: number): number => {\n    return 1 / (1 + Math.E ** -u);\n  };\n  return map(x, f);\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (u) => {\n    const a = sigmoid(u);\n    const b = 1 - a;\n    return a * b;\n  });\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  let z = 0;\n  for (const [i, xi] of x.entries()) z += weights[i] * xi;\n  const a = sigmoid(z);\n  const err = y - a;\n  return err * a * (1 - a);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const out = new Array<number>(x.length);\n  const e = errorTerm(x, y, weights);\n  for (const [i, xi] of x.entries()) out[i] = learnrate * e * xi;\n  return out;\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const grads: number[][] = [];\n  for (const [i, x] of features.entries()) grads.push(weightStep(x, targets[i], weights, learnrate));\n  const w = [...weights];\n  for (const g of grads) for (const [k, gk] of g.entries()) w[k] += gk / features.length;\n  return w;\n}`,
  },
  gus: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (n) => 1 / (1 + 1 / Math.exp(n)));\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (n) => {\n    const sig = 1 / (1 + Math.exp(-n));\n    return sig * (1 - sig);\n  });\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  const products = Array.from({ length: x.length }, (_, i) => x[i] * weights[i]);\n  const h = products.reduce((p, q) => p + q, 0);\n  const s = sigmoid(h);\n  return (y - s) * s * (1 - s);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const e = errorTerm(x, y, weights);\n  return Array.from({ length: x.length }, (_, i) => learnrate * e * x[i]);\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const m = features.length;\n  const steps = Array.from({ length: m }, (_, r) => weightStep(features[r], targets[r], weights, learnrate));\n  return Array.from({ length: weights.length }, (_, k) => weights[k] + steps.reduce((s, st) => s + st[k], 0) / m);\n}`,
  },
  hal: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (v) => Math.exp(-Math.abs(v)) / (1 + Math.exp(-Math.abs(v))) ** 2);\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  const h = weights.reduce((sum, w, i) => sum + w * x[i], 0);\n  const o = sigmoid(h);\n  return (y - o) * o * (1 - o);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  return x.map((xi) => xi * (learnrate * errorTerm(x, y, weights)));\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const dw = weights.map((_, k) => features.reduce((s, x, i) => s + errorTerm(x, targets[i], weights) * x[k], 0));\n  return weights.map((w, k) => w + learnrate * dw[k] / features.length);\n}`,
  },
  ivy: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (q) => {\n    let r = Math.exp(-q);\n    r = r + 1;\n    return 1 / r;\n  });\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  const s = sigmoid(x);\n  return map(s, (q) => q * (1 - q));\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  let i = 0;\n  let h = 0;\n  while (i < x.length) {\n    h = h + x[i] * weights[i];\n    i++;\n  }\n  const o = sigmoid(h);\n  return (y - o) * sigmoidPrime(h);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const e = errorTerm(x, y, weights);\n  const res: number[] = [];\n  let i = 0;\n  while (i < x.length) {\n    res[i] = e * x[i] * learnrate;\n    i++;\n  }\n  return res;\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const acc = new Array(weights.length).fill(0);\n  let r = 0;\n  while (r < features.length) {\n    const e = errorTerm(features[r], targets[r], weights);\n    let k = 0;\n    while (k < weights.length) {\n      acc[k] = acc[k] + e * features[r][k];\n      k++;\n    }\n    r++;\n  }\n  return weights.map((w, k) => w + (learnrate * acc[k]) / features.length);\n}`,
  },
  jon: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, (val) => 1 / (1 + math.exp(-val)));\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (val) => sigmoid(val) - sigmoid(val) ** 2);\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  const h = math.dot(x, weights);\n  return math.multiply(y - sigmoid(h), sigmoidPrime(h)) as number;\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const scaled = math.multiply(x, errorTerm(x, y, weights)) as number[];\n  return math.multiply(scaled, learnrate) as number[];\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const errors = features.map((x, i) => errorTerm(x, targets[i], weights));\n  const grad = math.multiply(errors, features) as number[];\n  return math.add(weights, math.multiply(grad, learnrate / features.length)) as number[];\n}`,
  },
  kim: {
    sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  // squash to (0, 1); guard the exponent so huge negatives do not overflow\n  return map(x, (a) => {\n    if (a < -500) return 0;\n    return 1 / (1 + Math.exp(-a));\n  });\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (a) => {\n    if (Math.abs(a) > 500) return 0;\n    const sa = sigmoid(a);\n    return sa * (1 - sa);\n  });\n}`,
    errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  if (x.length !== weights.length) throw new Error("x and weights differ in length");\n  let linear = 0;\n  x.forEach((xi, idx) => {\n    linear += xi * weights[idx];\n  });\n  const predicted = sigmoid(linear);\n  return (y - predicted) * sigmoidPrime(linear);\n}`,
    weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const err = errorTerm(x, y, weights);\n  if (err === 0) return x.map(() => 0);\n  return x.map((xi) => learnrate * err * xi);\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  if (features.length === 0) return weights.slice();\n  const deltaW = new Array<number>(weights.length).fill(0);\n  features.forEach((xs, n) => {\n    const step = weightStep(xs, targets[n], weights, 1);\n    step.forEach((s, idx) => (deltaW[idx] += s));\n  });\n  return weights.map((w, idx) => w + (learnrate / features.length) * deltaW[idx]);\n}`,
  },
  lea: {
    sigmoid: `const sigmoid = <T extends Tensor>(x: T): T => map(x, (k) => 1 / (1 + Math.exp(-k)));`,
    sigmoidPrime: `const sigmoidPrime = <T extends Tensor>(x: T): T => map(sigmoid(x), (s) => s * (1 - s));`,
    errorTerm: `const errorTerm = (x: number[], y: number, weights: number[]): number => ((h) => (y - sigmoid(h)) * sigmoidPrime(h))(math.dot(x, weights));`,
    weightStep: `const weightStep = (x: number[], y: number, weights: number[], learnrate: number): number[] => x.map((v) => v * learnrate * errorTerm(x, y, weights));`,
    gradientDescentEpoch: `const gradientDescentEpoch = (features: number[][], targets: number[], weights: number[], learnrate: number): number[] =>\n  features\n    .map((x, i) => weightStep(x, targets[i], weights, learnrate / features.length))\n    .reduce((w, step) => w.map((v, k) => v + step[k]), weights);`,
  },
};

/** Bo's work handed in by another learner: every name changed, statements and a helper moved, comments and spacing redone. */
export const copyOfBo: Solution = {
  sigmoid: `function sigmoid<T extends Tensor>(x: T): T {\n  return map(x, function (input) {\n    const ex = Math.exp(-input); // e^-input\n    return 1 / (1 + ex);\n  });\n}`,
  sigmoidPrime: `function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, function (input) {\n    const sg = 1 / (1 + Math.exp(-input));\n    return sg - sg * sg; // derivative\n  });\n}`,
  errorTerm: `function errorTerm(x: number[], y: number, weights: number[]): number {\n  let acc = 0;\n  for (let q = 0; q < x.length; q++) { acc += x[q] * weights[q]; }\n  const yHat = 1 / (1 + Math.exp(-acc));\n  const slope = yHat * (1 - yHat);\n  return (y - yHat) * slope;\n}`,
  weightStep: `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const d = errorTerm(x, y, weights);\n  const result: number[] = [];\n  for (let q = 0; q < x.length; q++) {\n    result.push(learnrate * d * x[q]);\n  }\n  return result;\n}`,
  gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  const w2 = weights.slice();\n  const acc = new Array(weights.length).fill(0);\n  for (let row = 0; row < features.length; row++) {\n    const d = errorTerm(features[row], targets[row], weights);\n    for (let col = 0; col < weights.length; col++) {\n      acc[col] += d * features[row][col];\n    }\n  }\n  for (let col = 0; col < weights.length; col++) {\n    w2[col] += (learnrate * acc[col]) / features.length;\n  }\n  return w2;\n}`,
};
