// What every route of the service is handed: the store, the queue, the instructor key, the sections
// and the HTTP limits (the admission policies' numbers).
import { MAX_NOTEBOOK_BYTES } from "../../pipeline";
import type { GradingQueue } from "../queue";
import type { Store } from "../store";
import type { LtiTool } from "../lti";

export interface ServiceLimits {
  /** Notebooks larger are refused with 413 before their body is read. */
  maxNotebookBytes: number;
  /** Submissions one learner may make in `windowMs` (then 429 with Retry-After). */
  perWindow: number;
  windowMs: number;
  /** Submissions waiting or being graded beyond which new ones get 429. */
  maxQueue: number;
  /** One learner's submissions waiting or being graded (or uploading) beyond which theirs get 429. */
  maxPendingPerLearner: number;
  /** Bytes of uploads in flight (by their Content-Length) beyond which new ones get 429: server-wide, and per learner. */
  maxInFlightBytes: number;
  maxInFlightBytesPerLearner: number;
  /** Bytes of a learner's notebooks kept (see --keep-notebooks) beyond which theirs get 413. */
  maxStoredBytesPerLearner: number;
}
export const DEFAULT_HTTP_LIMITS: ServiceLimits = {
  maxNotebookBytes: MAX_NOTEBOOK_BYTES,
  perWindow: 30,
  windowMs: 60 * 60 * 1000,
  maxQueue: 500,
  maxPendingPerLearner: 3,
  maxInFlightBytes: 512 * 1048576,
  maxInFlightBytesPerLearner: 2 * MAX_NOTEBOOK_BYTES,
  maxStoredBytesPerLearner: 1024 * 1048576,
};

export interface ServiceContext {
  store: Store;
  queue: GradingQueue;
  /** The instructor key (its file is the instructor's credential). */
  key: string;
  /** The sections submissions may name. */
  sections: string[];
  limits: ServiceLimits;
  now: () => number;
  /** Learners' own notebooks of the sections whose numbers vary (absent: none vary, or a test leaves them out). */
  personal?: PersonalNotebooks;
  /** The LTI 1.3 tool (routes under /lti/); absent in tests that leave it out. */
  lti?: LtiTool;
}

/** A learner's own notebook of a varying section, with its public checks, as they download them. */
export interface PersonalNotebooks {
  sections: string[];
  /** The learner's numbers in a section, as a sentence ("w¹ = 0.63, b¹ = −0.94"). */
  numbers(email: string, section: string): string;
  /** Their own notebook of the section (.ipynb text). */
  notebook(email: string, section: string): string;
  /** Its public checks: the file's name under notebooks/checks/ and its text. */
  checks(email: string, section: string): { name: string; text: string };
}
