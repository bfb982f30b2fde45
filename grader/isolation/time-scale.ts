// One knob for every time limit of grading (per cell, per call, per notebook, CPU): on a slow or
// heavily loaded machine, COURSE_TIME_SCALE=2 doubles them all. The limits exist to stop runaway
// learner code, not to measure speed; their defaults leave ≥ 3× headroom for honest code here.

let scale: number | undefined;

/** COURSE_TIME_SCALE, read once: a positive number (default 1). */
export function timeScale(env: NodeJS.ProcessEnv = process.env): number {
  if (scale !== undefined && env === process.env) return scale;
  const raw = env.COURSE_TIME_SCALE;
  const value = raw === undefined || raw === "" ? 1 : Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(
      `COURSE_TIME_SCALE must be a positive number (a factor for every grading time limit), got "${raw}"`,
    );
  if (env === process.env) scale = value;
  return value;
}

/** A time limit in milliseconds, scaled. */
export const scaledMs = (ms: number): number => Math.round(ms * timeScale());
