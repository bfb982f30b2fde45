// Grades back to the platform (AGS): every few seconds the outbox is brought up to date — for each
// learner of each course that offers AGS scores, and each section, the score that counts (best or last,
// after any late policy: policy/counting.ts) — and the scores due are sent. A score that changed is
// pending; one sent is recorded with what was sent; one the platform refused for good (a 4xx other than
// 408/429) is failed, with why, until the score changes again. A platform that is down or slow keeps
// its scores pending, tried again after 1, 2, 4 … intervals (at most 10 minutes): nothing is lost, and
// the row, not a message, is the job, so a restart or a second server sends each change once.
import { countedGradebook } from "../policy";
import type { OutgoingScore, Store } from "../store";
import { SCOPES } from "./claims";
import { PlatformError, type PlatformClient } from "./services";

export interface PassbackOptions {
  store: Store;
  client: PlatformClient;
  sections: string[];
  /** How often the outbox is reconciled and sent; also the first retry's delay. */
  everyMs: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface Passback {
  /** One round: reconcile, then send what is due. How many were sent and how many failed this round. */
  tick(): Promise<{ sent: number; unsent: number }>;
  start(): void;
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 10 * 60_000;
/** A claimed score is another server's for this long (a send takes seconds). */
const LEASE_MS = 2 * 60_000;

export function createPassback(o: PassbackOptions): Passback {
  const now = o.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<{ sent: number; unsent: number }> | undefined;

  async function round() {
    await reconcile(o.store, o.sections, now());
    let sent = 0,
      unsent = 0;
    for (const s of await o.store.lti.claimDue(now(), LEASE_MS, 100)) {
      if (await sendOne(o, s, now)) sent++;
      else unsent++;
    }
    if (sent || unsent) o.log?.(`LTI: ${sent} score${sent === 1 ? "" : "s"} sent back, ${unsent} not (yet)`);
    return { sent, unsent };
  }
  const tick = () =>
    (running ??= round().finally(() => {
      running = undefined;
    }));

  return {
    tick,
    start() {
      timer = setInterval(() => {
        tick().catch((e) => o.log?.(`LTI: sending scores back: ${(e as Error).message} (trying again)`));
      }, o.everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** The outbox brought up to date with the scores that count now. */
async function reconcile(store: Store, sections: string[], now: number): Promise<void> {
  const contexts = (await store.lti.contexts()).filter((c) => c.lineitemsUrl && c.agsScopes.includes(SCOPES.score));
  if (!contexts.length) return;
  const counted = new Map<string, { score: number; maxScore: number }>();
  for (const r of await countedGradebook(store, sections))
    if (r.best && r.counted)
      counted.set(`${r.learnerId} ${r.section}`, { score: r.counted.final, maxScore: r.best.result.maxScore });
  for (const c of contexts)
    for (const m of await store.lti.members(c.platformId, c.contextId)) {
      if (m.role !== "learner" || !m.learnerId) continue;
      for (const section of sections) {
        const s = counted.get(`${m.learnerId} ${section}`);
        if (s) await store.lti.wantScore({ ...c, userId: m.userId, section }, { learnerId: m.learnerId, ...s }, now);
      }
    }
}

/** Sends one claimed score (its line item found or made first); false when it was not sent. */
async function sendOne(o: PassbackOptions, s: OutgoingScore, now: () => number): Promise<boolean> {
  try {
    const p = await o.store.lti.platform(s.platformId);
    const c = (await o.store.lti.contexts()).find((x) => x.platformId === s.platformId && x.contextId === s.contextId);
    if (!p || !c?.lineitemsUrl)
      throw new PlatformError("the course no longer offers grades (no AGS line items)", false);
    const key = { platformId: s.platformId, contextId: s.contextId, section: s.section };
    let lineItem = await o.store.lti.lineItem(key);
    if (!lineItem) {
      lineItem = await o.client.lineItem(p, c.lineitemsUrl, {
        resourceId: s.section,
        label: s.section,
        scoreMaximum: s.maxScore,
      });
      await o.store.lti.setLineItem(key, lineItem);
    }
    await o.client.score(p, lineItem, {
      userId: s.userId,
      scoreGiven: s.score,
      scoreMaximum: s.maxScore,
      timestamp: new Date(s.changedAt).toISOString(),
    });
    await o.store.lti.markSent(s, s.changedAt, now());
    return true;
  } catch (e) {
    const retry = e instanceof PlatformError ? e.retry : true;
    const delay = Math.min(MAX_BACKOFF_MS, o.everyMs * 2 ** s.attempts);
    await o.store.lti.markUnsent(s, s.changedAt, (e as Error).message, now() + delay, !retry);
    return false;
  }
}
