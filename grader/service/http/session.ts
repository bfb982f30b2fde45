// Who is asking. The API takes a learner's email and token (HTTP Basic, `email:token`) or the
// instructor key (`Bearer KEY`); the pages sign in once and carry a signed cookie instead (HttpOnly,
// SameSite=Strict), which names the learner and a piece of their token's hash, so rotating a token
// signs its old sessions out. A request that changes something with a cookie must also carry the
// header `X-Course-Page` (a form on another site cannot set it). Unknown emails cost the same
// comparison as known ones; every refusal is one sentence.
import { createHash } from "crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Refusal } from "./errors";
import { keyMatches, normalEmail, tokenMatches, type Learner, type Store } from "../store";

export const SESSION_COOKIE = "course_session";
export const PAGE_HEADER = "x-course-page";
export const WRONG_TOKEN =
  "this email and token do not match a learner of this course: check both (the token is the one your instructor sent you)";
const NEEDS_KEY = "this needs the instructor key (Authorization: Bearer KEY, or sign in on /instructor)";

export type Who = { kind: "learner"; learner: Learner } | { kind: "instructor" };

export function basicCredentials(header: string | undefined): { email: string; token: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? "");
  if (!m) return undefined;
  const text = Buffer.from(m[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { email: normalEmail(text.slice(0, colon)), token: text.slice(colon + 1) };
}

const tag = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);
/** The cookie's value for a learner (their id and a tag of their token's hash) or the instructor (a tag of the key). */
export const learnerSession = (l: Learner): string => `learner:${l.id}:${tag(l.tokenHash)}`;
export const instructorSession = (key: string): string => `instructor:${tag(`instructor:${key}`)}`;

export async function checkLearner(store: Store, email: string, token: string): Promise<Learner> {
  const l = await store.learnerByEmail(normalEmail(email));
  if (!tokenMatches(token, l?.tokenHash)) throw new Refusal(401, WRONG_TOKEN);
  return l!;
}

/** Who a request comes from, by its Authorization header or its session cookie; undefined when it says nothing. */
export async function whoIs(req: FastifyRequest, store: Store, key: string): Promise<Who | undefined> {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Basic ")) {
    const c = basicCredentials(auth);
    if (!c) throw new Refusal(401, "the Authorization header is not HTTP Basic email:token");
    return { kind: "learner", learner: await checkLearner(store, c.email, c.token) };
  }
  if (auth?.startsWith("Bearer ")) {
    if (!keyMatches(auth.slice(7), key)) throw new Refusal(401, "this is not the instructor key");
    return { kind: "instructor" };
  }
  const raw = req.cookies?.[SESSION_COOKIE];
  if (!raw) return undefined;
  const u = req.unsignCookie(raw);
  if (!u.valid || !u.value) return undefined;
  if (req.method !== "GET" && req.method !== "HEAD" && req.headers[PAGE_HEADER] === undefined)
    throw new Refusal(403, `a signed-in page must send the ${PAGE_HEADER} header with changes`);
  if (u.value === instructorSession(key)) return { kind: "instructor" };
  const [kind, id, t] = u.value.split(":");
  if (kind !== "learner") return undefined;
  const l = await store.learnerById(id);
  return l && tag(l.tokenHash) === t ? { kind: "learner", learner: l } : undefined;
}

export async function learnerOf(req: FastifyRequest, store: Store, key: string): Promise<Learner> {
  const who = await whoIs(req, store, key);
  if (who?.kind === "learner") return who.learner;
  if (who?.kind === "instructor") throw new Refusal(403, "this is a learner's route: use a learner's email and token");
  throw new Refusal(401, "sign in with your email and token (HTTP Basic: email:token)", {
    "WWW-Authenticate": 'Basic realm="course"',
  });
}

export async function requireInstructor(req: FastifyRequest, store: Store, key: string): Promise<void> {
  const who = await whoIs(req, store, key);
  if (who?.kind !== "instructor") throw new Refusal(who ? 403 : 401, NEEDS_KEY);
}

/** Sends a refusal as `{ error }` with its status and headers. */
export const sendRefusal = (reply: FastifyReply, r: Refusal): FastifyReply =>
  reply.code(r.statusCode).headers(r.headers).send({ error: r.message });
