// `nd`: the course's matrices for section 05, NumPy-style — `nd.matmul(W, A)`, `nd.add(Z, b)`,
// `nd.sum(dZ, 1)`. Import it as `import { nd } from "./course"` and destructure what a cell uses.
export { NDArray, array, zeros, ones, full, randn, rand, transpose, type NDLike } from "./ndarray";
export * from "./nd-elementwise";
export * from "./nd-reduce";
export { matmul, dot, backend, setBackend, withBackend, type Backend } from "./matmul";
