// A fake grading worker (grader/batch/pool-worker.ts) for the batch specs and the service's
// failure tests: it "grades" a file by its name. crash-* — or a file that says "crash-the-grader" —
// kills the worker every time, once-* kills it the first time only (a marker file beside it
// remembers), hang-* (or "hang-the-grader") never answers, busy-* (or "busy-grader") says the machine
// was too busy to grade it fairly, busyonce-* says so the first time only, anything else scores 1 / 1.
"use strict";
const fs = require("fs");
const path = require("path");
process.on("message", (m) => {
  if (m.type === "stop") return process.disconnect();
  const name = path.basename(m.file);
  const says = (text) => fs.existsSync(m.file) && fs.readFileSync(m.file, "utf8").includes(text);
  if (name.startsWith("crash") || says("crash-the-grader")) return process.exit(1);
  if (name.startsWith("once") && !fs.existsSync(`${m.file}.seen`)) {
    fs.writeFileSync(`${m.file}.seen`, "");
    return process.exit(1);
  }
  if (name.startsWith("hang") || says("hang-the-grader")) return;
  const busyOnce = name.startsWith("busyonce") && !fs.existsSync(`${m.file}.busy`);
  if (busyOnce) fs.writeFileSync(`${m.file}.busy`, "");
  if (busyOnce || (name.startsWith("busy") && !name.startsWith("busyonce")) || says("busy-grader"))
    return process.send({
      type: "graded",
      i: m.i,
      error: "the machine was too busy to grade fairly: the call of f took 20 s by the clock",
      busy: true,
    });
  process.send({
    type: "graded",
    i: m.i,
    report: {
      section: m.section || "01-single-unit-gd",
      notebook: m.file,
      parts: [],
      score: 1,
      maxScore: 1,
      notes: [],
      learner: name.startsWith("dup") ? "dup" : undefined,
    },
  });
});
process.send({ type: "ready" });
