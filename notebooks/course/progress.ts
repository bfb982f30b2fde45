// A long loop's progress in the notebook: one output that updates in place while the cell runs
// (tslab's display with a display id: Jupyter's update_display_data) — a bar, i/N, the values the
// loop reports (cost …), the time so far and an estimate of the time left — and ends as one line
// that stays in the saved notebook. Outside a kernel (a script, the grader) it shows nothing while
// running and prints the final line.
import { kernelDisplay, type Show } from "./display";

export interface Progress {
  /** `done` of the `total` steps are complete; `values` (say { cost }) are shown beside them. */
  step(done: number, values?: Record<string, number>): void;
  /** The loop is over: the final line, with the total time. */
  done(values?: Record<string, number>): void;
}

/** What a display shows: the same line as text (terminals, text viewers) and as HTML with a bar. */
export interface Frame {
  "text/plain": string;
  "text/html": string;
  [mime: string]: string;
}

/** At most this often, besides the first and the last step: updates cost messages, not computation. */
const EVERY_MS = 200;

const seconds = (ms: number) =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const shown = (values: Record<string, number>) =>
  Object.entries(values).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(5)}`);

/** The line for `done` of `total` steps after `elapsed` ms; `final` leaves out the estimate. */
export function frame(
  label: string,
  done: number,
  total: number,
  values: Record<string, number>,
  elapsed: number,
  final = false,
): Frame {
  const width = 24,
    filled = Math.round((width * done) / total);
  const left = done > 0 && !final ? `, about ${seconds((elapsed / done) * (total - done))} left` : "";
  const parts = [`${label} ${done}/${total}`, ...shown(values), `${seconds(elapsed)}${left}`];
  const text = `[${"█".repeat(filled)}${"·".repeat(width - filled)}] ${parts.join("   ")}`;
  const html = `<div style="font-family: monospace; white-space: pre"><progress value="${done}" max="${total}" style="width: 16em; vertical-align: middle"></progress> ${parts.join(" · ")}</div>`;
  return { "text/plain": text, "text/html": html };
}

/** A progress display for `total` steps of a loop, e.g. `const bar = progress(500); … bar.step(i + 1, { cost }); … bar.done();` */
export function progress(total: number, label = "iteration", opts: { show?: Show; now?: () => number } = {}): Progress {
  if (!(Number.isInteger(total) && total > 0))
    throw new RangeError(`progress: total must be a whole number above 0, got ${total}`);
  const now = opts.now ?? (() => performance.now());
  const show = opts.show ?? kernelDisplay();
  const start = now();
  let last = -Infinity,
    shownOnce = false,
    latest: Record<string, number> = {},
    count = 0;
  const render = (final: boolean) => {
    const f = frame(label, count, total, latest, now() - start, final);
    if (show) {
      show(f, shownOnce);
      shownOnce = true;
    } else if (final) console.log(f["text/plain"]);
  };
  return {
    step(done, values = {}) {
      count = done;
      latest = values;
      const t = now();
      if (show && (!shownOnce || done >= total || t - last >= EVERY_MS)) {
        last = t;
        render(false);
      }
    },
    done(values) {
      if (values) latest = values;
      render(true);
    },
  };
}
