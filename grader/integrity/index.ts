// Academic integrity: which learners handed in the same code (a similarity report of their notebooks'
// own code: TypeScript tokens with names made alike, fingerprinted by winnowing as MOSS does).
// May import: pipeline/, sections/, authoring/.
export { compareCode, type Similarity } from "./similarity";
export { compareNotebooks, compareStoredNotebooks } from "./notebooks";
export { similarityHtml } from "./report-html";
