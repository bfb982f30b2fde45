// A fake batch worker (grader/batch.ts's worker protocol) for the batch specs: it "grades" a file by its
// name. crash-* kills the worker every time, once-* kills it the first time only (a marker file beside
// it remembers), hang-* never answers, anything else scores 1 / 1.
"use strict";
const fs = require("fs");
const path = require("path");
process.on("message", (m) => {
  if (m.type === "stop") return process.disconnect();
  const name = path.basename(m.file);
  if (name.startsWith("crash")) return process.exit(1);
  if (name.startsWith("once") && !fs.existsSync(`${m.file}.seen`)) {
    fs.writeFileSync(`${m.file}.seen`, "");
    return process.exit(1);
  }
  if (name.startsWith("hang")) return;
  process.send({
    type: "graded",
    i: m.i,
    report: {
      section: "01-single-unit-gd",
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
