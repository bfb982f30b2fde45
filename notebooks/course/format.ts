// Prints numbers the way the course's Python printed them, so learners can compare digit by digit.

/** 12 significant digits, trailing zeros dropped: Python 2's str() of a float (0.2627609385). */
export const format12 = (x: number): string => String(Number(x.toPrecision(12)));

/** The course's training log: one line per recorded loss, flagging any increase. */
export function printLosses(losses: number[], every: number, label = "Train loss"): void {
  losses.forEach((loss, i) => {
    const rising = i > 0 && losses[i - 1] < loss;
    console.log(
      `epoch ${String(i * every).padStart(4)}  ${label}: ${format12(loss)}${rising ? "  WARNING - Loss Increasing" : ""}`,
    );
  });
}
