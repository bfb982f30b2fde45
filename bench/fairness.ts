// `npm run bench` (part 3): the fixed set of test/fairness/set.ts graded on 2 workers on the machine as
// it is, then beside 3 CPU-burning processes per core: the wall time of each (and their ratio), and how
// many notebooks got the same status, total and points per part — which must be all of them.
import { gradeBatch } from "../grader/batch";
import { closeTypeChecker } from "../grader/pipeline";
import { outcomeOf, startHogs, tempDir, writeFairnessSet } from "../test/fairness/set";

(async () => {
  const files = writeFairnessSet(tempDir());
  let t0 = performance.now();
  const idle = await gradeBatch(files, { jobs: 2 });
  const idleS = (performance.now() - t0) / 1000;
  const hogs = startHogs(3);
  t0 = performance.now();
  let loaded: Awaited<ReturnType<typeof gradeBatch>>;
  try {
    loaded = await gradeBatch(files, { jobs: 2 });
  } finally {
    hogs.stop();
  }
  const loadedS = (performance.now() - t0) / 1000;
  const same = idle.filter((r, i) => JSON.stringify(outcomeOf(r)) === JSON.stringify(outcomeOf(loaded[i])));
  console.log("Grades under load: the fixed set (test/fairness/set.ts) on 2 workers");
  console.log(`  as the machine was:        ${idleS.toFixed(0).padStart(4)} s`);
  console.log(
    `  beside ${String(hogs.count).padEnd(2)} CPU hogs:         ${loadedS.toFixed(0).padStart(4)} s  (× ${(loadedS / idleS).toFixed(2)})`,
  );
  console.log(`  ${same.length}/${files.length} identical (status, total, points per part)`);
  for (const [i, r] of idle.entries())
    if (!same.includes(r))
      console.log(`  DIFFERS ${r.learner}: ${JSON.stringify(outcomeOf(r))} → ${JSON.stringify(outcomeOf(loaded[i]))}`);
  console.log();
  closeTypeChecker();
})();
