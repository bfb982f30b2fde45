import { checkerSection, extractCode } from "./extract";

const nb = (cells: { cell_type: string; source: string; execution_count?: number | null }[]) => ({
  path: "n.ipynb",
  cells,
});

test("code cells are numbered among code cells, with the In [k] Jupyter showed when it was saved", () => {
  const code = extractCode(
    nb([
      { cell_type: "markdown", source: "# Title" },
      { cell_type: "code", source: "const a = 1;", execution_count: 7 },
      { cell_type: "markdown", source: "text" },
      { cell_type: "code", source: "const b = 2;\r\n", execution_count: null },
    ]),
  );
  expect(code).toEqual([
    { cell: 1, source: "const a = 1;", label: "code cell 1 (In [7])" },
    { cell: 2, source: "const b = 2;\n", label: "code cell 2" },
  ]);
});

test("a notebook without code cells is refused with a sentence that names the file", () => {
  expect(() => extractCode(nb([{ cell_type: "markdown", source: "# only text" }]))).toThrow(
    /n\.ipynb: the notebook has no code cells/,
  );
});

test("the section is the one a checker cell names, among the known ones", () => {
  const code = extractCode(nb([{ cell_type: "code", source: 'const check = checker("02-admissions");' }]));
  expect(checkerSection(code, ["01-single-unit-gd", "02-admissions"])).toBe("02-admissions");
  expect(checkerSection(code, ["01-single-unit-gd"])).toBeUndefined();
});
