// Demonstration cells (training runs, printouts, plots) call learner functions. While one of
// those is still a stub, the cell says which one instead of failing, so "Run All" goes on to
// every check cell.

/** Runs `body`; if a function it calls throws "not implemented yet", prints which one and returns. */
export async function demo(body: () => unknown): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof Error) || !/not implemented yet/.test(e.message)) throw e;
    const fn = /^\s*at (?:[\w$]+\.)*([\w$]+) \(/m.exec(e.stack ?? "")?.[1]; // the stub is the first frame
    console.log(
      `(skipped: this cell runs once ${fn ? `\`${fn}\`` : "the functions above"} ${fn ? "is" : "are"} written)`,
    );
  }
}
