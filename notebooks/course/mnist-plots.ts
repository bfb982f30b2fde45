// Section 05's pictures, as vega-lite: grids of digits (each a small PNG, drawn by an `image`
// mark), the cost per iteration, and the confusion matrix of a classifier.
import { load } from "./node";
import type { NDArray } from "./ndarray";
import { plot } from "./plot";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** What the course uses of pngjs: a new image's RGBA bytes, and a PNG file of it. */
interface Png {
  new (size: { width: number; height: number }): { data: Uint8Array };
  sync: { write(png: { data: Uint8Array }, options: { colorType: number }): { toString(encoding: "base64"): string } };
}

/** Column j of X (784, m) as a 28×28 greyscale PNG data URL: pixel −1 is white, 1 is black (ink). */
export function digitImage(X: NDArray, j: number): string {
  const { PNG } = load<{ PNG: Png }>("pngjs");
  if (X.rows !== 784)
    throw new RangeError(`digitImage: X must be (784, m), one image per column, got (${X.rows}, ${X.cols})`);
  const png = new PNG({ width: 28, height: 28 });
  for (let p = 0; p < 784; p++) {
    const v = X.data[p * X.cols + j];
    const grey = Math.round(255 * (1 - (Math.min(1, Math.max(-1, v)) + 1) / 2));
    png.data.set([grey, grey, grey, 255], p * 4);
  }
  return `data:image/png;base64,${PNG.sync.write(png, { colorType: 0 }).toString("base64")}`;
}

/**
 * Shows the listed columns of X (784, m) as digits, `perRow` to a row, each with its caption
 * (the label, or "7 → 1" for a mistake). Captions in `highlight` are drawn in red.
 */
export async function plotDigits(
  X: NDArray,
  columns: number[],
  captions: string[],
  opts: { title: string; perRow?: number; highlight?: boolean[] },
): Promise<void> {
  const perRow = opts.perRow ?? 10,
    size = 30;
  const values = columns.map((j, k) => ({
    row: Math.floor(k / perRow),
    col: k % perRow,
    url: digitImage(X, j),
    caption: captions[k] ?? "",
    wrong: opts.highlight?.[k] ?? false,
  }));
  const rows = Math.ceil(columns.length / perRow);
  const position = {
    x: { field: "col", type: "quantitative", scale: { domain: [-0.5, perRow - 0.5] }, axis: null },
    y: { field: "row", type: "quantitative", scale: { domain: [rows - 0.5, -0.5] }, axis: null },
  };
  await plot({
    $schema: SCHEMA,
    title: opts.title,
    width: perRow * (size + 8),
    height: rows * (size + 16),
    data: { values },
    config: { view: { stroke: null } },
    layer: [
      {
        mark: { type: "image", width: size, height: size, aria: false },
        encoding: { ...position, url: { field: "url", type: "nominal" } },
      },
      {
        mark: { type: "text", dy: size / 2 + 7, fontSize: 10, aria: false },
        encoding: {
          ...position,
          text: { field: "caption" },
          color: { condition: { test: "datum.wrong", value: "#d62728" }, value: "#333" },
        },
      },
    ],
  });
}

/** The cost after every iteration of training, as a line. */
export async function plotCosts(costs: number[], title = "Training cost per iteration"): Promise<void> {
  await plot({
    $schema: SCHEMA,
    title,
    width: 460,
    height: 220,
    data: { values: costs.map((cost, iteration) => ({ iteration, cost })) },
    mark: "line",
    encoding: {
      x: { field: "iteration", type: "quantitative" },
      y: { field: "cost", type: "quantitative", scale: { zero: false } },
    },
  });
}

/** Counts of (true digit, predicted digit) as a 10×10 heatmap with the counts written in. */
export async function plotConfusion(
  predicted: NDArray,
  Y: NDArray,
  title = "Confusion matrix (test set)",
): Promise<void> {
  if (predicted.size !== Y.size)
    throw new RangeError(`plotConfusion: ${predicted.size} predictions for ${Y.size} labels`);
  const counts = Array.from({ length: 10 }, () => new Array(10).fill(0));
  for (let j = 0; j < Y.size; j++) counts[Y.data[j]][predicted.data[j]]++;
  const values = counts.flatMap((row, truth) => row.map((count, guess) => ({ truth, guess, count })));
  await plot({
    $schema: SCHEMA,
    title,
    width: 300,
    height: 300,
    data: { values },
    encoding: {
      x: { field: "guess", type: "ordinal", title: "predicted" },
      y: { field: "truth", type: "ordinal", title: "true digit" },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: { field: "count", type: "quantitative", scale: { type: "symlog", scheme: "blues" }, legend: null },
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: {
          text: { field: "count" },
          color: { condition: { test: "datum.count > 60", value: "white" }, value: "black" },
        },
      },
    ],
  });
}
