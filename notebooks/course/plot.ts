// Vega-Lite plots rendered in the kernel: vega draws SVG (no canvas, no browser needed), shown as a
// PNG (display.ts) so that every frontend and every export keeps it.
import { showPlot } from "./display";
import { load } from "./node";

/** import() from a CommonJS file (esm-import.js): vega, vega-lite and d3-contour are ESM-only. */
export type EsmImport = <T>(specifier: string) => Promise<T>;
/** What the course uses of vega-lite and vega. */
interface VegaLite {
  compile(spec: object): { spec: object };
}
interface Vega {
  parse(spec: object): unknown;
  View: new (runtime: unknown, options: { renderer: "none" }) => { toSVG(): Promise<string> };
}

/** A Vega-Lite spec (only its title is read here: it becomes the image's text). */
export type PlotSpec = { title?: string | { text?: string } | null; [key: string]: unknown };

/** A Vega-Lite spec drawn as SVG by vega (no canvas, no browser): the kernel's plots and the service's charts. */
export async function svgOf(spec: object): Promise<string> {
  const esmImport = load<EsmImport>("./esm-import.js");
  const [vl, vega] = await Promise.all([esmImport<VegaLite>("vega-lite"), esmImport<Vega>("vega")]);
  return new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" }).toSVG();
}

export async function plot(spec: PlotSpec): Promise<void> {
  const title = typeof spec.title === "string" ? spec.title : (spec.title?.text ?? "plot");
  showPlot(await svgOf(spec), title);
}

/** Plots several functions of one variable over [lo, hi]; skips the plot if one is not written yet. */
export async function plotFunctions(
  title: string,
  fns: Record<string, (h: number) => number>,
  [lo, hi]: [number, number],
): Promise<void> {
  const values: { h: number; value: number; function: string }[] = [];
  for (const [name, f] of Object.entries(fns)) {
    for (let i = 0; i <= 200; i++) {
      const h = lo + ((hi - lo) * i) / 200;
      let value: number;
      try {
        value = f(h);
      } catch (e) {
        console.log(`plot skipped: ${name} — ${(e as Error).message}`);
        return;
      }
      if (typeof value !== "number" || !Number.isFinite(value)) {
        console.log(`plot skipped: ${name}(${h}) returned ${String(value)}`);
        return;
      }
      values.push({ h, value, function: name });
    }
  }
  await plot({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 420,
    height: 240,
    data: { values },
    mark: "line",
    encoding: {
      x: { field: "h", type: "quantitative" },
      y: { field: "value", type: "quantitative" },
      color: { field: "function", type: "nominal" },
    },
  });
}
