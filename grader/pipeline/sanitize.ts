// Text that came from a learner (ids, thrown messages, class and key names, file names) made safe
// for every place an instructor reads it: a terminal, a CSV opened in a spreadsheet, Markdown, HTML.

// C0 and C1 controls (ESC sequences, carriage returns, newlines), and the bidirectional overrides
// that reorder what a terminal or a browser shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** One line of plain text: controls become a space, and it is cut to `max` characters. */
export function oneLine(s: string, max = 1000): string {
  const t = s.replace(CONTROLS, " ");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The longest learner id kept (from a notebook's metadata). */
export const MAX_ID_CHARS = 100;

/** A learner id as shown and stored: one line, trimmed, at most 100 characters; Unicode letters kept. */
export const learnerText = (s: string): string => oneLine(s, MAX_ID_CHARS).trim();

/**
 * Markdown that shows `s` literally, inline (in a table cell or after "- note: "): HTML is escaped,
 * and so is every marker that works mid-line — emphasis, code, links and images, table pipes.
 */
export const markdownText = (s: string): string =>
  oneLine(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1");

export const htmlText = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
