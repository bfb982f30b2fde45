// Vega-Lite plots rendered to SVG in the kernel (no canvas, no browser needed).
declare const require: (id: string) => any;

export async function plot(spec: object): Promise<void> {
  const esmImport: (s: string) => Promise<any> = require("./esm-import.js");
  const vl = await esmImport("vega-lite");
  const vega = await esmImport("vega");
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  require("tslab").display.svg(await view.toSVG());
}

/** Plots several functions of one variable over [lo, hi]; skips the plot if one is not written yet. */
export async function plotFunctions(title: string, fns: Record<string, (h: number) => number>, [lo, hi]: [number, number]): Promise<void> {
  const values: { h: number; value: number; function: string }[] = [];
  for (const [name, f] of Object.entries(fns)) {
    for (let i = 0; i <= 200; i++) {
      const h = lo + ((hi - lo) * i) / 200;
      let value: number;
      try { value = f(h); } catch (e) { console.log(`plot skipped: ${name} — ${(e as Error).message}`); return; }
      if (typeof value !== "number" || !Number.isFinite(value)) { console.log(`plot skipped: ${name}(${h}) returned ${String(value)}`); return; }
      values.push({ h, value, function: name });
    }
  }
  await plot({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title, width: 420, height: 240, data: { values },
    mark: "line",
    encoding: { x: { field: "h", type: "quantitative" }, y: { field: "value", type: "quantitative" }, color: { field: "function", type: "nominal" } },
  });
}
