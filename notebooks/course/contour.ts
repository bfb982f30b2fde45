// A cost surface over two parameters as a vega-lite heatmap with contour lines (d3-contour),
// a start marker, the grid's lowest point and, optionally, a gradient-descent path.
import { load } from "./node";
import { plot, type EsmImport } from "./plot";

/** What the course uses of d3-contour: iso-lines of a grid of values. */
interface D3Contour {
  contours(): {
    size(s: [number, number]): {
      thresholds(n: number): (values: number[]) => { value: number; coordinates: [number, number][][][] }[];
    };
  };
}

export interface SurfaceOptions {
  title: string;
  /** The cost at (w, b). */
  cost: (w: number, b: number) => number;
  w: [number, number];
  b: [number, number];
  start: [number, number];
  /** Gradient-descent iterates (w, b), drawn as a line of points. */
  path?: [number, number][];
  /** Grid cells per side (default 60) and number of contour levels (default 12). */
  resolution?: number;
  levels?: number;
}

export async function plotCostSurface(o: SurfaceOptions): Promise<void> {
  const n = o.resolution ?? 60;
  const [w0, w1] = o.w,
    [b0, b1] = o.b;
  const dw = (w1 - w0) / n,
    db = (b1 - b0) / n;
  const values: number[] = [];
  const cells: { w0: number; w1: number; b0: number; b1: number; cost: number }[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const cost = o.cost(w0 + (i + 0.5) * dw, b0 + (j + 0.5) * db);
      if (!Number.isFinite(cost)) {
        console.log(`plot skipped: the cost at w = ${w0 + (i + 0.5) * dw}, b = ${b0 + (j + 0.5) * db} is ${cost}`);
        return;
      }
      values.push(cost);
      cells.push({ w0: w0 + i * dw, w1: w0 + (i + 1) * dw, b0: b0 + j * db, b1: b0 + (j + 1) * db, cost });
    }
  }
  const lowest = cells[values.indexOf(Math.min(...values))];
  const { contours } = await load<EsmImport>("./esm-import.js")<D3Contour>("d3-contour");
  // d3-contour works in grid units where cell (i, j) is centred on (i + 0.5, j + 0.5).
  const lines: { w: number; b: number; ring: number; i: number; level: number }[] = [];
  let ring = 0;
  for (const c of contours()
    .size([n, n])
    .thresholds(o.levels ?? 12)(values)) {
    for (const polygon of c.coordinates)
      for (const r of polygon) {
        r.forEach(([x, y]: [number, number], i: number) =>
          lines.push({ w: w0 + x * dw, b: b0 + y * db, ring, i, level: c.value }),
        );
        ring++;
      }
  }
  const x = { field: "w", type: "quantitative", scale: { domain: o.w, nice: false, zero: false }, title: "w" };
  const y = { field: "b", type: "quantitative", scale: { domain: o.b, nice: false, zero: false }, title: "b" };
  const marker = (shape: string, color: string, label: string, [w, b]: [number, number]) => ({
    data: { values: [{ w, b, label }] },
    mark: { type: "point", shape, size: 160, filled: true, color, stroke: "black", clip: true },
    encoding: { x, y, tooltip: { field: "label" } },
  });
  await plot({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.title,
    width: 380,
    height: 380,
    layer: [
      {
        // NOTE: each cell is stroked in its own colour, or anti-aliasing leaves hairline seams between cells.
        data: { values: cells },
        mark: { type: "rect", clip: true, strokeWidth: 0.6 },
        encoding: {
          x: { ...x, field: "w0" },
          x2: { field: "w1" },
          y: { ...y, field: "b0" },
          y2: { field: "b1" },
          color: { field: "cost", type: "quantitative", scale: { scheme: "viridis" } },
          stroke: { field: "cost", type: "quantitative", scale: { scheme: "viridis" }, legend: null },
        },
      },
      {
        data: { values: lines },
        mark: { type: "line", color: "white", strokeWidth: 0.8, opacity: 0.7, clip: true },
        encoding: { x, y, detail: { field: "ring" }, order: { field: "i" } },
      },
      ...(o.path
        ? [
            {
              data: { values: o.path.map(([w, b], step) => ({ w, b, step })) },
              mark: { type: "line", point: { color: "red", size: 18 }, color: "red", clip: true },
              encoding: { x, y, order: { field: "step" } },
            },
          ]
        : []),
      marker("diamond", "orange", "start", o.start),
      marker("cross", "white", "lowest on this grid", [(lowest.w0 + lowest.w1) / 2, (lowest.b0 + lowest.b1) / 2]),
    ],
  });
}
