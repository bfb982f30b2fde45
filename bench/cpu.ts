// CPU time for the benches.
import * as fs from "fs";

/**
 * Busy CPU time of the whole machine (all cores, from /proc/stat), in seconds. Machine-wide because
 * the learners' processes are killed as a group inside their namespaces and never reach our
 * children's CPU account; on an otherwise idle machine this is the grading's own CPU.
 */
export function busyCpuSeconds(): number {
  const [, ...ticks] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4]; // idle + iowait
  return (ticks.reduce((a, b) => a + b, 0) - idle) / 100; // clock ticks at 100 Hz
}
