// `course gradescope`: a Gradescope autograder bundle (zip with setup.sh and run_autograder at
// its root, the grader's sources beside them), built with adm-zip.
import AdmZip from "adm-zip";
import * as fs from "fs";
import * as path from "path";
import { loadExerciseSet, projectRoot } from "../sections";

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
# Gradescope image setup (Ubuntu base image): Node 20 from NodeSource's signed apt repository (Ubuntu's
# own nodejs is older than the grader needs; apt checks every package against the repository's key,
# and no downloaded script is run), then the grader's npm packages exactly as the shipped
# package-lock.json pins them (npm ci); a C compiler and OpenBLAS so the BLAS addon section 05 trains
# with is built. Once per image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg build-essential python3 libopenblas0-pthread
install -d -m 0755 /etc/apt/keyrings
curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" > /etc/apt/sources.list.d/nodesource.list
apt-get update
apt-get install -y nodejs
cd /autograder/source && npm ci --no-audit --no-fund
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
# A section whose numbers vary per learner: graded against the submitter's own (their email on Gradescope).
whose=()
if [ -f "$ROOT/source/.course-secret" ] && [ -f "$ROOT/submission_metadata.json" ]; then
  whose=(--submission-metadata "$ROOT/submission_metadata.json")
fi
cd "$ROOT/source" && COURSE_SECRET_FILE="$ROOT/source/.course-secret" node bin/course.js grade "$nb" --section "$(cat "$ROOT/source/SECTION")" "\${whose[@]}" --json "$ROOT/results/results.json" --quiet
exit 0
`;

/**
 * The bundle grades every submission as `section` (its name is in SECTION): a learner cannot pick another
 * by naming the file. A section whose numbers vary carries the course's secret (`secret`), so that each
 * submission is graded against its submitter's own variant; Gradescope never shows the bundle to learners.
 */
export function buildGradescope(outZip: string, section: string, secret?: string): { entries: number } {
  const zip = new AdmZip();
  zip.addFile("SECTION", Buffer.from(section));
  if (loadExerciseSet(section).variants) {
    if (!secret) throw new Error(`gradescope: ${section}'s numbers vary per learner: the course's secret is needed`);
    zip.addFile(".course-secret", Buffer.from(secret + "\n"), "", 0o600);
  }
  for (const s of SOURCES) {
    const abs = path.join(projectRoot, s);
    if (fs.statSync(abs).isDirectory())
      zip.addLocalFolder(abs, s, (f) => !/(^|\/)\.run-|\.spec\.ts$|native\/build\//.test(f)); // the addon is built in the image
    else zip.addLocalFile(abs);
  }
  // NOTE: adm-zip takes the Unix mode itself (it shifts it into the entry's attributes): 0o755, not 0o755 << 16.
  zip.addFile("setup.sh", Buffer.from(setupSh), "", 0o755);
  zip.addFile("run_autograder", Buffer.from(runAutograder), "", 0o755);
  fs.mkdirSync(path.dirname(path.resolve(outZip)), { recursive: true });
  zip.writeZip(outZip);
  return { entries: zip.getEntries().length };
}
