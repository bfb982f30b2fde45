// `course gradescope`: a Gradescope autograder bundle (zip with setup.sh and run_autograder at
// its root, the grader's sources beside them), built with adm-zip.
import AdmZip from "adm-zip";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../sections";

const SOURCES = [
  "bin",
  "grader",
  "exercises",
  "solutions",
  "notebooks",
  "data",
  "patches",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];

export const setupSh = `#!/usr/bin/env bash
# Gradescope image setup (Ubuntu): Node 20 and the grader's npm packages, installed once per image;
# a C compiler and OpenBLAS so npm install builds the BLAS addon section 05 trains with.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl build-essential libopenblas0-pthread
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
cd /autograder/source && npm install --no-audit --no-fund
`;

export const runAutograder = `#!/usr/bin/env bash
# Gradescope runs this once per submission: grade the submitted notebook into results/results.json.
# AUTOGRADER_ROOT (default /autograder) lets it run against a local tree for testing.
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
mkdir -p "$ROOT/results"
nb=$(find "$ROOT/submission" -maxdepth 2 -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort | head -n 1)
if [ -z "$nb" ]; then
  printf '%s\\n' '{"score": 0, "output": "No .ipynb file in the submission: upload your notebook.", "tests": []}' > "$ROOT/results/results.json"
  exit 0
fi
cd "$ROOT/source" && node bin/course.js grade "$nb" --section "$(cat "$ROOT/source/SECTION")" --json "$ROOT/results/results.json" --quiet
exit 0
`;

/** The bundle grades every submission as `section` (its name is in SECTION): a learner cannot pick another by naming the file. */
export function buildGradescope(outZip: string, section: string): { entries: number } {
  const zip = new AdmZip();
  zip.addFile("SECTION", Buffer.from(section));
  for (const s of SOURCES) {
    const abs = path.join(projectRoot, s);
    if (fs.statSync(abs).isDirectory())
      zip.addLocalFolder(abs, s, (f) => !/(^|\/)\.run-|\.spec\.ts$|native\/build\//.test(f)); // the addon is built in the image
    else zip.addLocalFile(abs);
  }
  zip.addFile("setup.sh", Buffer.from(setupSh), "", 0o755 << 16);
  zip.addFile("run_autograder", Buffer.from(runAutograder), "", 0o755 << 16);
  fs.mkdirSync(path.dirname(path.resolve(outZip)), { recursive: true });
  zip.writeZip(outZip);
  return { entries: zip.getEntries().length };
}
