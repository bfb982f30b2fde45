// Who is asking. The API takes a learner's email and token (HTTP Basic, `email:token`) or the
// instructor key (`Bearer KEY`); the pages sign in once and carry a session cookie instead (HttpOnly,
// SameSite=Strict, signed) that holds only the id of a server-side session (store/sessions.ts):
// signing out, rotating the token or changing the key ends it. Every change (a method other than GET)
// must carry a header a form on another site cannot set: `X-Course-Page` from the pages,
// `X-Course-Client` from submit() and scripts. The API never asks a browser for Basic credentials
// (no `WWW-Authenticate: Basic`, so none are cached to be replayed by another site), and refuses a
// request that carries both. Unknown emails cost the same comparison as known ones; every refusal is
// one sentence.
import { createHash } from "crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Refusal } from "./errors";
import { keyMatches, normalEmail, tokenMatches, type Learner, type Store } from "../store";

export const SESSION_COOKIE = "course_session";
export const PAGE_HEADER = "x-course-page";
export const CLIENT_HEADER = "x-course-client";
/** How long a page's session lasts from its sign-in. */
export const SESSION_MS = 7 * 24 * 3600 * 1000;
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
/** What a session is opened with: the learner's id and a tag of their token's hash, or a tag of the instructor key. */
export const learnerSession = (l: Learner) => ({ learnerId: l.id, tag: tag(l.tokenHash) });
export const instructorSession = (key: string) => ({ tag: tag(`instructor:${key}`) });

export async function checkLearner(store: Store, email: string, token: string): Promise<Learner> {
  const l = await store.learnerByEmail(normalEmail(email));
  if (!tokenMatches(token, l?.tokenHash)) throw new Refusal(401, WRONG_TOKEN);
  return l!;
}

const isChange = (req: FastifyRequest) => req.method !== "GET" && req.method !== "HEAD";

/** The id of the request's session, from its signed cookie; undefined without a valid one. */
export function sessionIdOf(req: FastifyRequest): string | undefined {
  const raw = req.cookies?.[SESSION_COOKIE];
  if (!raw) return undefined;
  const u = req.unsignCookie(raw);
  return u.valid && u.value ? u.value : undefined;
}

/** Who a request comes from, by its Authorization header or its session cookie; undefined when it says nothing. */
export async function whoIs(
  req: FastifyRequest,
  store: Store,
  key: string,
  now = Date.now(),
): Promise<Who | undefined> {
  const auth = req.headers.authorization;
  const sid = sessionIdOf(req);
  if (auth && sid)
    throw new Refusal(400, "send either the Authorization header or the page's session cookie, not both");
  if (auth && isChange(req) && req.headers[CLIENT_HEADER] === undefined)
    throw new Refusal(403, `a change sent with the Authorization header must also send the ${CLIENT_HEADER} header`);
  if (auth?.startsWith("Basic ")) {
    const c = basicCredentials(auth);
    if (!c) throw new Refusal(401, "the Authorization header is not HTTP Basic email:token");
    return { kind: "learner", learner: await checkLearner(store, c.email, c.token) };
  }
  if (auth?.startsWith("Bearer ")) {
    if (!keyMatches(auth.slice(7), key)) throw new Refusal(401, "this is not the instructor key");
    return { kind: "instructor" };
  }
  if (!sid) return undefined;
  if (isChange(req) && req.headers[PAGE_HEADER] === undefined)
    throw new Refusal(403, `a signed-in page must send the ${PAGE_HEADER} header with changes`);
  const s = await store.session(sid, now);
  if (!s) return undefined;
  if (s.learnerId === undefined) return s.tag === instructorSession(key).tag ? { kind: "instructor" } : undefined;
  const l = await store.learnerById(s.learnerId);
  return l && learnerSession(l).tag === s.tag ? { kind: "learner", learner: l } : undefined;
}

export async function learnerOf(req: FastifyRequest, store: Store, key: string): Promise<Learner> {
  const who = await whoIs(req, store, key);
  if (who?.kind === "learner") return who.learner;
  if (who?.kind === "instructor") throw new Refusal(403, "this is a learner's route: use a learner's email and token");
  // NOTE: not `Basic`: a browser would prompt, cache what was typed and send it on every request to
  // this host, a form on another site's included (the scheme's name keeps scripts informed).
  throw new Refusal(401, "sign in with your email and token (HTTP Basic: email:token)", {
    "WWW-Authenticate": 'CourseBasic realm="course"',
  });
}

export async function requireInstructor(req: FastifyRequest, store: Store, key: string): Promise<void> {
  const who = await whoIs(req, store, key);
  if (who?.kind !== "instructor") throw new Refusal(who ? 403 : 401, NEEDS_KEY);
}

/** Sends a refusal as `{ error }` with its status and headers. */
export const sendRefusal = (reply: FastifyReply, r: Refusal): FastifyReply =>
  reply.code(r.statusCode).headers(r.headers).send({ error: r.message });

/**
 * Refuses a form posted from another site (login CSRF, forced sign-out): by the browser's
 * `Sec-Fetch-Site` where it sends one, else by `Origin` against the host asked. A request with
 * neither (a script, an old browser) is let through: it holds its own credentials.
 */
export function refuseCrossSite(req: FastifyRequest): void {
  const site = req.headers["sec-fetch-site"];
  const origin = req.headers.origin;
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  let cross: boolean;
  if (site !== undefined) cross = site !== "same-origin" && site !== "none";
  else if (origin === undefined) cross = false;
  else
    try {
      cross = new URL(origin).host !== host;
    } catch {
      cross = true; // "null" (a sandboxed frame, a data: page) or garbage
    }
  if (cross) throw new Refusal(403, "this form was sent from another site: open this service's own page and try again");
}

/** Opens a server-side session and sets its cookie (the id alone, signed). */
export async function openSessionCookie(
  c: { store: Store; now: () => number },
  req: FastifyRequest,
  reply: FastifyReply,
  opened: { learnerId?: string; tag: string },
): Promise<void> {
  const now = c.now();
  const id = await c.store.openSession({ ...opened, now, expiresAt: now + SESSION_MS });
  reply.setCookie(SESSION_COOKIE, id, {
    signed: true,
    httpOnly: true,
    sameSite: "strict",
    secure: req.protocol === "https",
    path: "/",
    maxAge: SESSION_MS / 1000,
  });
}
