// Fingerprints by winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003 — what MOSS does): hash every
// run of K tokens, and in every window of W consecutive hashes keep the smallest (the rightmost on a
// tie). Any match of at least K + W − 1 tokens shares a fingerprint; moving whole functions around
// keeps the fingerprints inside each.
import { createHash } from "crypto";
import type { Token } from "./tokens";

/** Tokens per hashed run: shorter runs match by chance (`return x * y;` is 5). */
export const K = 12;
/** Window: a match of K + W − 1 = 19 tokens is always found. */
export const W = 8;

export interface Fingerprint {
  hash: number;
  /** The first token of the run it hashes. */
  at: number;
}

function hashRun(tokens: Token[], from: number): number {
  const h = createHash("sha1");
  for (let i = from; i < from + K; i++) h.update(tokens[i].kind).update("\u0000");
  return h.digest().readUInt32BE(0);
}

export function winnow(tokens: Token[]): Fingerprint[] {
  const hashes: number[] = [];
  for (let i = 0; i + K <= tokens.length; i++) hashes.push(hashRun(tokens, i));
  const out: Fingerprint[] = [];
  let last = -1;
  for (let w = 0; w + W <= hashes.length || (w === 0 && hashes.length > 0); w++) {
    const end = Math.min(w + W, hashes.length);
    let min = w;
    for (let i = w; i < end; i++) if (hashes[i] <= hashes[min]) min = i;
    if (min !== last) out.push({ hash: hashes[min], at: min });
    last = min;
    if (end === hashes.length) break;
  }
  return out;
}
