// The roster from the platform (NRPS): each course the tool was launched from lists its members, and
// each active member becomes (or stays) one of the course's people — a learner by their email (one
// already on the roster keeps their token; a new one gets a token nobody has seen, shown on their
// first launch), an instructor recorded as such. Run by `course lti sync` and on each instructor launch.
import { hashToken, newToken, normalEmail, type LtiContext, type Store } from "../store";
import { roleOf } from "./claims";
import type { NrpsMember, PlatformClient } from "./services";

export interface SyncReport {
  context: string;
  learnersAdded: number;
  learnersKept: number;
  instructors: number;
  /** Members left out, and why (no email, inactive, a role the tool has no page for). */
  skipped: { userId: string; why: string }[];
}

/** A platform user as one of the course's learners: found by email, or added with an unseen token. */
export async function learnerFor(
  store: Store,
  who: { email: string; name: string },
  now: number,
): Promise<{ id: string; added: boolean }> {
  const email = normalEmail(who.email);
  const old = await store.learnerByEmail(email);
  if (old) {
    if (who.name && old.name !== who.name)
      await store.putLearner({ email, name: who.name, tokenHash: old.tokenHash }, now);
    return { id: old.id, added: false };
  }
  const l = await store.putLearner({ email, name: who.name, tokenHash: hashToken(newToken()) }, now);
  await store.lti.madeByLti(l.id);
  return { id: l.id, added: true };
}

const nameOf = (m: NrpsMember) => m.name ?? [m.given_name, m.family_name].filter(Boolean).join(" ");

export async function syncContext(
  store: Store,
  client: PlatformClient,
  c: LtiContext,
  now: number,
): Promise<SyncReport> {
  const report: SyncReport = { context: c.title, learnersAdded: 0, learnersKept: 0, instructors: 0, skipped: [] };
  const p = await store.lti.platform(c.platformId);
  if (!p || !c.membershipsUrl) return report;
  for (const m of await client.members(p, c.membershipsUrl)) {
    const role = roleOf(m.roles);
    const skip = (why: string) => report.skipped.push({ userId: m.user_id, why });
    if (m.status && m.status !== "Active") skip(`status ${m.status}`);
    else if (!role) skip(`roles ${(m.roles ?? []).join(", ") || "none"}`);
    else if (role === "learner" && !m.email) skip("the platform sends no email for them");
    else if (role === "instructor") {
      report.instructors++;
      await store.lti.putMember({ ...c, userId: m.user_id, role, email: m.email ?? "", name: nameOf(m) }, now);
    } else {
      const l = await learnerFor(store, { email: m.email!, name: nameOf(m) }, now);
      if (l.added) report.learnersAdded++;
      else report.learnersKept++;
      await store.lti.putMember(
        { ...c, userId: m.user_id, learnerId: l.id, role, email: normalEmail(m.email!), name: nameOf(m) },
        now,
      );
    }
  }
  return report;
}

/** Every course launched from that offers NRPS. */
export async function syncAll(store: Store, client: PlatformClient, now: number): Promise<SyncReport[]> {
  const out: SyncReport[] = [];
  for (const c of await store.lti.contexts()) if (c.membershipsUrl) out.push(await syncContext(store, client, c, now));
  return out;
}
