// ESLint rule `rooms/boundaries`: the map of docs/design.md, enforced. A room is a folder with an
// index.ts (its front door). Three checks on every relative import, export-from and require:
//  1. Front door: a file outside a room imports what the room offers from its index.ts, never a
//     file past it (a room may be open to a wider folder: notebooks/course/shared to notebooks/).
//  2. Direction: a room imports only the rooms it is allowed to (its own list and its parents').
//  3. The helper: grader/ reaches the learner's helper (notebooks/course) only through its shared door.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const rel = (abs) => path.relative(root, abs).split(path.sep).join("/");
const within = (file, dir) => file.startsWith(`${dir}/`);

function resolveFile(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const c of [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts")])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return rel(c);
  return undefined;
}

let roomsFound;
/** Every folder under grader/ and notebooks/ with an index.ts. */
function rooms() {
  if (roomsFound) return roomsFound;
  roomsFound = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true }))
      if (e.isDirectory() && e.name !== "node_modules" && e.name !== "build") {
        const sub = `${dir}/${e.name}`;
        if (fs.existsSync(path.join(root, sub, "index.ts"))) roomsFound.push(sub);
        walk(sub);
      }
  };
  walk("grader");
  walk("notebooks");
  return roomsFound;
}

/** @type {import("eslint").Rule.RuleModule} */
const boundaries = {
  meta: {
    type: "problem",
    schema: [{ type: "object", additionalProperties: true }],
    messages: {
      frontDoor: '"{{spec}}" reaches past {{room}}/index.ts: import it from the room\'s index (and export it there)',
      direction: "{{from}} may not import {{to}} (docs/design.md's map: {{from}} may import {{allowed}})",
      helper: '"{{spec}}" is the learner\'s helper: grader/ imports it only through notebooks/course/shared',
    },
  },
  create(context) {
    const { allow = {}, openTo = {} } = context.options[0] ?? {};
    const file = rel(context.filename);
    if (!within(file, "grader") && !within(file, "notebooks") && !/^(test|bench|exercises|solutions|bin)\//.test(file))
      return {};
    const inside = (f, room) => within(f, openTo[room] ?? room);
    const declared = Object.keys(allow);
    const mostSpecific = (f) => declared.filter((r) => within(f, r)).sort((a, b) => b.length - a.length)[0];
    const allowedFor = (room) => declared.filter((r) => r === room || within(room, r)).flatMap((r) => allow[r]);

    function check(node, spec) {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = resolveFile(context.filename, spec);
      if (!target) return;
      const gates = rooms()
        .filter((r) => within(target, r) && !inside(file, r))
        .sort((a, b) => a.length - b.length);
      if (gates.length && target !== `${gates[0]}/index.ts`)
        context.report({ node, messageId: "frontDoor", data: { spec, room: gates[0] } });
      const from = mostSpecific(file);
      const to = mostSpecific(target);
      if (from && to && to !== from && !within(from, to) && !within(to, from)) {
        const allowed = allowedFor(from);
        if (!allowed.some((a) => a === to || within(to, a)))
          context.report({
            node,
            messageId: "direction",
            data: { from, to, allowed: allowed.join(", ") || "nothing" },
          });
      }
      if (within(file, "grader") && (within(target, "notebooks/course") || target === "notebooks/course.ts"))
        if (!within(target, "notebooks/course/shared")) context.report({ node, messageId: "helper", data: { spec } });
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === "Literal" && check(n, n.source.value),
      TSImportType: (n) => {
        const lit = n.argument?.literal ?? n.argument;
        if (lit?.type === "Literal") check(n, lit.value);
      },
      CallExpression: (n) => {
        if (n.callee.type === "Identifier" && n.callee.name === "require" && n.arguments[0]?.type === "Literal")
          check(n, n.arguments[0].value);
      },
    };
  },
};

export default { rules: { boundaries } };
