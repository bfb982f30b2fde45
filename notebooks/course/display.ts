// Rich outputs in the kernel: one display_data message holding several MIME types, so every frontend
// picks the one it shows best. tslab's public `display` sends one type per message, so this goes
// through the same function it uses (set by tslab while a cell runs). Outside a kernel: nothing.

import { load } from "./node";
export type MimeBundle = Record<string, string>;
/** Shows `data` (with `metadata`); `update` replaces what this display showed last (update_display_data). */
export type Show = (data: MimeBundle, update: boolean, metadata?: Record<string, unknown>) => void;

/** A display of the running cell (with its own display id), or undefined outside a kernel. */
export function kernelDisplay(): Show | undefined {
  let jupyter: { lastWriteDisplayData?: (data: object, update: boolean) => void } | undefined;
  try {
    jupyter = load<typeof jupyter>("tslab/dist/jupyter");
  } catch {
    return undefined;
  }
  const write = jupyter?.lastWriteDisplayData;
  if (typeof write !== "function") return undefined;
  const id = `course-${Math.random().toString(36).slice(2)}`;
  return (data, update, metadata = {}) => write({ data, metadata, transient: { display_id: id } }, update);
}

/**
 * A plot as a PNG at twice its size (sharp on high-density screens; shown at its own size), with
 * its title as the text alternative. NOTE: a PNG, not the SVG vega draws: Debian's nbconvert 6.5
 * sanitizes SVG outputs in HTML exports (shapes and embedded images are lost) and puts SVG before
 * PNG when both are there, so a notebook exported to HTML would show empty plots.
 * The SVG is rasterized with resvg (@resvg/resvg-js, prebuilt for each platform on npm); without
 * it the SVG is shown.
 */
export function showPlot(svg: string, title: string): void {
  const show = kernelDisplay();
  if (!show) return;
  let Resvg: typeof import("@resvg/resvg-js").Resvg;
  try {
    ({ Resvg } = load<typeof import("@resvg/resvg-js")>("@resvg/resvg-js"));
  } catch {
    show({ "image/svg+xml": svg, "text/plain": title }, false);
    return;
  }
  const image = new Resvg(svg, {
    fitTo: { mode: "zoom", value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  }).render();
  const png: Uint8Array = image.asPng();
  show({ "image/png": Buffer.from(png).toString("base64"), "text/plain": title }, false, {
    "image/png": { width: image.width / 2, height: image.height / 2 },
  });
}
