import { unsavedRuns } from "./submit";

const notebook = (...codes: string[]) =>
  JSON.stringify({ cells: codes.map((source) => ({ cell_type: "code", source: source.split(/(?<=\n)/) })) });
const SUBMIT = "await submit()";

test("a learner who ran a stub, fixed it, reran it and saved has nothing unsaved", () => {
  const runs = [
    { code: "function f() { throw new Error('not implemented yet'); }", at: 1000 },
    { code: "function f() { return 1; }", at: 2000 },
    { code: SUBMIT, at: 4000 },
  ];
  expect(unsavedRuns(notebook("function f() { return 1; }", SUBMIT), 3000, runs)).toEqual([]);
});

test("a cell run after the save whose code is not in the file is unsaved", () => {
  const runs = [
    { code: "function f() { return 1; }", at: 2000 },
    { code: "function f() { return 2; }", at: 3500 },
    { code: SUBMIT, at: 4000 },
  ];
  expect(unsavedRuns(notebook("function f() { return 1; }", SUBMIT), 3000, runs)).toEqual([
    "function f() { return 2; }",
  ]);
});

test("a cell rerun after the save with the code the file has is not unsaved, and the submit cell never counts", () => {
  const runs = [
    { code: "const x = 1;", at: 3500 },
    { code: "await submit({ anyway: false })", at: 3600 },
    { code: SUBMIT, at: 2500 }, // the cell running now, started before a save made while it ran
  ];
  expect(unsavedRuns(notebook("const x = 1;", SUBMIT), 3000, runs)).toEqual([]);
});
