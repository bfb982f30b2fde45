// HTML that is safe by construction: `html` is a tagged template whose every interpolated value is
// escaped unless it is itself `html` (or a list of them). Learner strings (names, file names,
// feedback) can only reach a page as text.
import { htmlText, oneLine } from "../../pipeline";

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}
type Value = Html | string | number | undefined | null | false | Value[];

const piece = (v: Value): string =>
  v instanceof Html
    ? v.text
    : Array.isArray(v)
      ? v.map(piece).join("")
      : v === undefined || v === null || v === false
        ? ""
        : htmlText(oneLine(String(v), 10_000));

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  values.forEach((v, i) => (out += piece(v) + strings[i + 1]));
  return new Html(out);
}

/** A table of a header row and rows of cells (each cell text or `html`). */
export function table(cls: string, head: string[], rows: Value[][]): Html {
  return html`<table class="${cls}">
    <thead>
      <tr>
        ${head.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((cell) => html`<td>${cell}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A whole page: the style sheet and the one script are files of our own (the CSP allows nothing inline). */
export function page(title: string, body: Html, o: { script?: boolean } = {}): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="/static/course.css" />
        ${o.script ? html`<script src="/static/course.js" defer></script>` : ""}
      </head>
      <body>
        ${body}
      </body>
    </html> `.text;
}

/** The Content-Security-Policy of every page: our own script and style sheet, images from us or inline. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export { fmtScore } from "../../../notebooks/course/shared";
export const when = (ms: number): string => new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC";
