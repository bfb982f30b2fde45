// The notebooks the service's load tests send: good, broken and hostile, of sections 01, 03 and 04
// (the hostile ones from the corpus, those whose outcome does not depend on timing).
import * as fs from "fs";
import * as path from "path";
import { cases } from "../corpus/cases";
import type { Broken } from "../fixtures/broken/types";
import { variants } from "../helpers";
import { tmpDir } from "./harness";

export interface Kind {
  name: string;
  section: string;
  file: string;
  text: string;
  /** Its score depends on who sends it: the section's answers are each learner's own (graded alone for that learner). */
  byLearner?: boolean;
}
const root = path.join(__dirname, "..", "..");
const dir = tmpDir("course-kinds-");
const S1 = "01-single-unit-gd",
  S3 = "03-not-network",
  S4 = "04-relu-2-3-1";
const v1 = variants(S1),
  v3 = variants(S3),
  v4 = variants(S4);
const broken = (section: string): Broken[] => require(`../fixtures/broken/${section}`).broken;
const kind = (name: string, section: string, file: string): Kind => ({
  name,
  section,
  file,
  text: fs.readFileSync(file, "utf8"),
});
const HOSTILE = [
  "process-exit-in-a-graded-function",
  "kills-its-process-group",
  "imports-child-process",
  "returns-a-proxy",
  "patches-math-to-change-its-own-results",
  "forges-replies-through-process-send",
  "garbage-on-the-grader-pipes",
  "returns-arrays-with-holes",
  "throws-its-hidden-arguments",
];

export const kinds: Kind[] = [
  kind("01 filled", S1, v1.writeVariant("kind-01-filled.ipynb", {})),
  kind("01 stub", S1, path.join(root, "notebooks", `${S1}.ipynb`)),
  kind(
    "01 sigmoidPrime wrong",
    S1,
    v1.writeEdited("kind-01-prime.ipynb", "sigmoidPrime", ["(1 - sigmoid(h))", "(1 + sigmoid(h))"]),
  ),
  kind(
    "01 epoch without 1/m",
    S1,
    v1.writeEdited("kind-01-epoch.ipynb", "gradientDescentEpoch", ["learnrate / m", "learnrate"]),
  ),
  { ...kind("03 filled", S3, v3.writeVariant("kind-03-filled.ipynb", {})), byLearner: true },
  {
    ...kind(
      `03 ${broken(S3)[0].why}`,
      S3,
      v3.writeEdited("kind-03-b0.ipynb", broken(S3)[0].cell, ...broken(S3)[0].edits),
    ),
    byLearner: true,
  },
  kind("04 filled", S4, v4.writeVariant("kind-04-filled.ipynb", {})),
  kind("04 relu wrong", S4, v4.writeEdited("kind-04-relu.ipynb", broken(S4)[0].cell, ...broken(S4)[0].edits)),
  ...HOSTILE.map((name) => {
    const c = cases.find((x) => x.name === name);
    if (!c) throw new Error(`no corpus case ${name}`);
    const file = path.join(dir, `${name}.ipynb`);
    const content = c.file(dir);
    if (typeof content !== "string" && !Buffer.isBuffer(content)) throw new Error(`${name}: not a plain file`);
    fs.writeFileSync(file, content);
    return kind(`hostile: ${name}`, c.section ?? S1, file);
  }),
];
