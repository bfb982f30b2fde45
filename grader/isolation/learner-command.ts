// What the learner's process is started with: where it runs, what it may read, the course's addon,
// and the child bundle as its program.
import * as fs from "fs";
import * as path from "path";
import { childBundle } from "./child-bundle";

let childSource: string | undefined;
const childJs = (): string => (childSource ??= childBundle());

/** Where the learner's process runs: the notebook's folder (its cwd) and the folders it may read (the installed packages, the public data). */
export interface LearnerPlace {
  notebookDir: string;
  readable: string[];
}

/** The folders the permission model allows, each as given and as its real path (the model checks real paths). */
const readableDirs = (dirs: string[]) => [...new Set(dirs.flatMap((d) => [d, fs.realpathSync(d)]))];

/** The course's BLAS addon (built by `npm install`), if there is one: the learner's process preloads it. */
export const addonFor = (notebookDir: string) => {
  const file = path.join(notebookDir, "course", "native", "build", "course_blas.node");
  return fs.existsSync(file) ? file : undefined;
};

/** Node's flags for the learner's process, its program last (the child bundle). */
export function learnerNodeArgs(readable: string[], addon: string | undefined, memoryMb: number): string[] {
  return [
    // NOTE: the permission model checks real paths, so a symlinked node_modules (a Gradescope or pnpm layout) is resolved first.
    "--experimental-permission",
    ...readableDirs(readable).map((dir) => `--allow-fs-read=${dir}`),
    // The child loads the course's addon before any learner code, then switches addon loading off.
    ...(addon ? ["--allow-addons"] : []),
    `--max-old-space-size=${memoryMb}`,
    "--no-warnings",
    "-e",
    childJs(),
  ];
}
