// A small mutation engine over a solution declaration's AST: each mutant is the declaration's
// text with one typical learner mistake applied. `course verify` requires every mutant of a
// part to fail at least one of that part's hidden checks (or to be listed as equivalent).
import * as ts from "typescript";

export interface Mutant {
  /** Stable across unrelated edits: the kind and the code it changes, e.g. `sign: a - y → a + y`. */
  id: string;
  text: string;
}

const SWAP: Partial<Record<ts.SyntaxKind, [ts.SyntaxKind, string, string]>> = {
  [ts.SyntaxKind.MinusToken]: [ts.SyntaxKind.PlusToken, "-", "+"],
  [ts.SyntaxKind.PlusToken]: [ts.SyntaxKind.MinusToken, "+", "-"],
  [ts.SyntaxKind.LessThanToken]: [ts.SyntaxKind.LessThanEqualsToken, "<", "<="],
  [ts.SyntaxKind.LessThanEqualsToken]: [ts.SyntaxKind.LessThanToken, "<=", "<"],
  [ts.SyntaxKind.GreaterThanToken]: [ts.SyntaxKind.GreaterThanEqualsToken, ">", ">="],
  [ts.SyntaxKind.GreaterThanEqualsToken]: [ts.SyntaxKind.GreaterThanToken, ">=", ">"],
};

/** Mutants of one declaration (function, class or const). Loop counters' updates are never touched. */
export function mutants(declaration: string): Mutant[] {
  const sf = ts.createSourceFile("m.ts", declaration, ts.ScriptTarget.ES2022, true);
  const out: Mutant[] = [];
  const seen = new Set<string>();
  const add = (kind: string, node: ts.Node, replacement: string) => {
    const before = node.getText(sf);
    // A literal alone says little: name the expression around it.
    const context = ts.isNumericLiteral(node) ? ` in ${squash(node.parent.getText(sf))}` : "";
    let id = `${kind}: ${squash(before)} → ${squash(replacement)}${context}`;
    for (let k = 2; seen.has(id); k++) id = id.replace(/ #\d+$/, "") + ` #${k}`; // the same change elsewhere
    seen.add(id);
    out.push({ id, text: declaration.slice(0, node.getStart(sf)) + replacement + declaration.slice(node.getEnd()) });
  };
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind,
        l = node.left.getText(sf),
        r = node.right.getText(sf);
      const swap = SWAP[op];
      if (swap && !(op === ts.SyntaxKind.PlusToken && isStringy(node)))
        add(
          op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken ? "sign" : "bound",
          node,
          `${l} ${swap[2]} ${r}`,
        );
      if (op === ts.SyntaxKind.AsteriskToken) {
        add("missing factor", node, l);
        add("missing factor", node, r);
      }
      if (op === ts.SyntaxKind.SlashToken) add("missing divisor", node, l);
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken)
      add("sign", node, node.operand.getText(sf));
    if (ts.isNumericLiteral(node) && (node.text === "0" || node.text === "1") && !isLoopInit(node))
      add("off by one", node, node.text === "0" ? "1" : "0");
    if (ts.isElementAccessExpression(node) && ts.isElementAccessExpression(node.expression)) {
      const inner = node.expression;
      add(
        "transpose",
        node,
        `${inner.expression.getText(sf)}[${node.argumentExpression.getText(sf)}][${inner.argumentExpression.getText(sf)}]`,
      );
    }
    if (ts.isReturnStatement(node) && node.expression && !ts.isLiteralExpression(node.expression))
      add("constant returned", node, "return 0 as any;");
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, " ").slice(0, 60);
const isStringy = (n: ts.BinaryExpression) =>
  [n.left, n.right].some(
    (x) => ts.isStringLiteral(x) || ts.isTemplateExpression(x) || ts.isNoSubstitutionTemplateLiteral(x),
  );
/** `for (let i = 0; …)`: starting a loop at 1 is a fine mutant, but keep the counter's own update intact. */
const isLoopInit = (n: ts.Node) => ts.isPostfixUnaryExpression(n.parent) || ts.isPrefixUnaryExpression(n.parent);
