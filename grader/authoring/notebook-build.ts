// Builds a student notebook (and its public checks) from an exercise set; with `fill`, the
// solution's function bodies replace the stubs (used by the tests and `course verify`).
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import {
  expectedAnswer,
  listSections,
  loadExerciseSet,
  loadSolution,
  projectRoot,
  publicExpectedValue,
  type ExerciseSet,
  type NotebookCell,
  type Part,
  type Variant,
} from "../sections";
import { DISPLAY_NAME, KERNEL_NAME } from "../../notebooks/kernel/install.js";

const lines = (s: string) =>
  s
    .split("\n")
    .map((l, i, a) => (i < a.length - 1 ? l + "\n" : l))
    .filter((l) => l !== "");

/** The file, text and position of the declaration (function, class or const) of `name` in solutions/<section>.ts. */
export function solutionDeclaration(
  section: string,
  name: string,
): { file: string; source: string; start: number; end: number } {
  const file = path.join(projectRoot, "solutions", `${section}.ts`);
  const source = fs.readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const declares = (s: ts.Statement) =>
    ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) ||
    (ts.isVariableStatement(s) &&
      s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
  const decl = sf.statements.find(declares);
  if (!decl) throw new Error(`${file}: no declaration of ${name}`);
  return { file, source, start: decl.getStart(sf), end: decl.getEnd() };
}

/** The declaration of `name` in solutions/<section>.ts, without `export`. */
export function solutionSource(section: string, name: string): string {
  const d = solutionDeclaration(section, name);
  return d.source.slice(d.start, d.end).replace(/^export\s+/, "");
}

const STUB_BODY = '{\n    // YOUR CODE HERE\n    throw new Error("not implemented yet");\n  }';

/** A `given` cell from the solution: its declaration with its doc comment, and the listed methods' bodies as stubs. */
function givenSource(section: string, name: string, how: "as is" | { stubMethods: string[] }): string {
  const { file, source, end } = solutionDeclaration(section, name);
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const decl = sf.statements.find((s) => s.getEnd() === end)!;
  const start = decl.getStart(sf, true); // with the doc comment
  let text = source.slice(start, end);
  if (how !== "as is") {
    const methods = ts.isClassDeclaration(decl)
      ? decl.members.filter(
          (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && how.stubMethods.includes(m.name.getText(sf)),
        )
      : [];
    if (methods.length !== how.stubMethods.length)
      throw new Error(
        `${section}: the given ${name} has no method${how.stubMethods.length > 1 ? "s" : ""} ${how.stubMethods.join(", ")} to stub`,
      );
    for (const m of [...methods].sort((a, b) => b.body!.getStart(sf) - a.body!.getStart(sf))) {
      text = text.slice(0, m.body!.getStart(sf) - start) + STUB_BODY + text.slice(m.body!.getEnd() - start);
    }
  }
  return text.replace(/^(\/\*\*[\s\S]*?\*\/\s*)?export\s+/, "$1");
}

/** Comment lines of `text`, wrapped by words at WRAP columns (a notebook cell does not wrap code). */
const WRAP = 96;
function commentLines(text: string, indent = ""): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && `// ${indent}${line} ${word}`.length > WRAP) {
      out.push(`// ${indent}${line}`);
      line = word;
      indent = indent.replace(/[^ ]/g, " "); // continuation lines align with the first's text
    } else line = line ? `${line} ${word}` : word;
  }
  return [...out, `// ${indent}${line}`];
}

/** An answer part's cell as handed out: the question as comments, then `const answer_X … = null;`. */
function answerStub(part: Part): string {
  const a = part.answer!;
  const lines = commentLines(a.prompt);
  if (a.type === "choices")
    for (const [k, v] of Object.entries(a.statements)) lines.push(...commentLines(v, `  ${k}. `));
  const how = a.type === "number" ? "a number" : 'the letters of every true statement, e.g. ["a", "c"]';
  return [...lines, `// YOUR ANSWER: ${how}`, `${part.signature} = null;`].join("\n");
}

function cellSource(
  set: ExerciseSet,
  cell: NotebookCell,
  fill: boolean,
): { type: "markdown" | "code"; source: string } {
  if ("markdown" in cell) return { type: "markdown", source: cell.markdown };
  if ("code" in cell) return { type: "code", source: cell.code };
  if ("check" in cell) return { type: "code", source: `check("${cell.check}");` };
  if ("given" in cell) {
    const how = set.given?.[cell.given];
    if (how === undefined) throw new Error(`${set.section}: notebook cell for unknown given declaration ${cell.given}`);
    return { type: "code", source: givenSource(set.section, cell.given, fill ? "as is" : how) };
  }
  const part = set.parts.find((p) => p.name === cell.stub);
  if (!part) throw new Error(`${set.section}: notebook stub for unknown part ${cell.stub}`);
  if (fill && part.answer?.expected)
    // A variant's answer: the value its solution computes (the solution file holds the shared notebook's).
    return {
      type: "code",
      source: `${part.signature} = ${JSON.stringify(expectedAnswer(loadSolution(set.section), part))};`,
    };
  if (fill) return { type: "code", source: solutionSource(set.section, part.name) };
  if (part.answer) return { type: "code", source: answerStub(part) };
  return {
    type: "code",
    source: `${part.signature} {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet");\n}`,
  };
}

/** Every notebook ends by submitting itself (notebooks/course/submit.ts). */
export const SUBMIT_CELLS: NotebookCell[] = [
  {
    markdown: `## Submit

When the checks pass, **save the notebook** (Ctrl+S / ⌘S) and run the cell below by itself
(Shift+Enter: Run All never submits). It sends the notebook as saved to the course's grading
service, which grades it on more, hidden checks and shows a Part / Score / Feedback table here. The
first time, it asks for your email and the token your instructor sent you (type the token in the
box it shows; never write it in the notebook); later runs reuse them. Submit as often as you like:
only your highest score counts.`,
  },
  { code: `import { submit } from "./course";\nawait submit();` },
];

/**
 * The notebook of an exercise set; with `variant`, a learner's own: the set is that variant's
 * (variantSet), its checker reads the variant's public checks, and its metadata names the variant
 * (which the grader never trusts for grading: it only tells a learner whose numbers a copy holds).
 */
export function buildNotebook(set: ExerciseSet, fill = false, variant?: Variant): object {
  return {
    cells: [...set.notebook, ...SUBMIT_CELLS].map((c, i) => {
      const cell = cellSource(set, c, fill);
      const type = cell.type;
      const source = variant
        ? cell.source.replace(`checker("${set.section}")`, `checker("${set.section}", "${variant.code}")`)
        : cell.source;
      const common = {
        cell_type: type,
        id: `${set.section.slice(0, 2)}-${String(i).padStart(2, "0")}`,
        metadata: {},
        source: lines(source),
      };
      return type === "code" ? { ...common, execution_count: null, outputs: [] } : common;
    }),
    metadata: {
      kernelspec: { display_name: DISPLAY_NAME, language: "typescript", name: KERNEL_NAME },
      language_info: LANGUAGE_INFO,
      ...(variant ? { course: { section: set.section, variant } } : {}),
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/**
 * What the course's kernel reports of its language (tslab's reply, with the TypeScript it really runs:
 * notebooks/kernel/start.js): the same here, so Jupyter does not mark a notebook modified as it opens.
 */
const LANGUAGE_INFO = {
  name: "typescript",
  version: (
    require(
      require.resolve("@tslab/typescript-for-tslab/package.json", {
        paths: [path.dirname(require.resolve("tslab/package.json"))],
      }),
    ) as { version: string }
  ).version,
  mimetype: "text/typescript",
  file_extension: ".ts",
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
};

/** Public cases with expected values: what `check(name)` in the notebook runs. No hidden case. */
export function publicChecks(set: ExerciseSet): object {
  const solution = loadSolution(set.section);
  return {
    section: set.section,
    parts: set.parts.map((p) => ({
      name: p.name,
      tolerance: p.tolerance,
      hint: p.hint,
      ...(p.method ? { method: p.method } : {}),
      // An answer's public check looks at its form only (a number; known letters): the value stays hidden.
      ...(p.answer
        ? {
            answer: {
              type: p.answer.type,
              ...(p.answer.type === "choices" ? { letters: Object.keys(p.answer.statements) } : {}),
            },
          }
        : {}),
      cases: p.publicCases.map((c) => ({
        label: c.label,
        args: c.args,
        expected: publicExpectedValue(solution, p, c),
      })),
    })),
  };
}

export const notebookJson = (nb: object) => JSON.stringify(nb, null, 1) + "\n";
/** The public checks' file as written: notebooks/checks/<section>.json, a learner's own beside it. */
export const publicChecksJson = (set: ExerciseSet) => JSON.stringify(publicChecks(set), null, 1) + "\n";

export function buildAll(): string[] {
  const written: string[] = [];
  for (const s of listSections()) {
    const set = loadExerciseSet(s);
    const nbFile = path.join(projectRoot, "notebooks", `${s}.ipynb`);
    const checksFile = path.join(projectRoot, "notebooks", "checks", `${s}.json`);
    fs.writeFileSync(nbFile, notebookJson(buildNotebook(set)));
    fs.writeFileSync(checksFile, publicChecksJson(set));
    written.push(path.relative(projectRoot, nbFile), path.relative(projectRoot, checksFile));
  }
  return written;
}
