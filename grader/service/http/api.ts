// The service's JSON API (docs/service.md), what the notebook's submit() and the pages use. Every
// request's parameters are checked by a schema; a submission is refused — before its body is read —
// when the token is wrong or admission.ts says no, and again after its last byte if the section
// closed meanwhile; a body that is not a notebook is refused with the grader's own one-line reason and never
// graded; an accepted one is stored (bytes included) before the 202 answer.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { oneLine } from "../../pipeline";
import type { ServiceContext } from "./context";
import { Refusal } from "./errors";
import { basicCredentials, learnerOf } from "./session";
import { isClosed, newSubmissionId, type Learner, type Submission } from "../store";
import { learnerCounting, policyText } from "../policy";
import { submissionView } from "./views";
import { createAdmission, type Place } from "./admission";
import { createNotebookCheck } from "./notebook-check";
import { instructorApiRoutes } from "./api-instructor";
import { ID, noQuery, SECTION } from "./api-schemas";

/** A file name as shown back: the last path segment, one line, at most 255 characters. */
const fileNameOf = (given: string | undefined, section: string) =>
  oneLine((given ?? "").split(/[\\/]/).pop() ?? "", 255).trim() || `${section}.ipynb`;

/** A submission's request once admitted: whose it is and the place its upload holds. */
type Admitted = FastifyRequest & { admitted?: { learner: Learner; place: Place } };

export async function apiRoutes(app: FastifyInstance, c: ServiceContext): Promise<void> {
  const { store, key, now } = c;
  const admission = createAdmission(c);
  const notebooks = createNotebookCheck({ sections: c.sections });
  app.addHook("onClose", () => notebooks.close());
  const learner = (req: FastifyRequest) => learnerOf(req, store, key);
  /** A submission as answered; how many are ahead of it is counted only while it is queued (the view shows it only then). */
  const viewOf = async (s: Submission) => submissionView(s, s.state === "queued" ? await store.ahead(s.id) : undefined);

  await submissionRoute(app, c, { admission, notebooks, learner, viewOf });

  app.get<{ Params: { id: string } }>(
    "/api/submissions/:id",
    { schema: { params: { type: "object", properties: { id: ID }, required: ["id"] }, querystring: noQuery } },
    async (req) => {
      const l = await learner(req);
      const s = await store.submission(req.params.id);
      // Another learner's id is answered as if it did not exist.
      if (!s || s.learnerId !== l.id) throw new Refusal(404, `you have no submission ${req.params.id}`);
      const counting = await learnerCounting(store, c.sections, l.id, now());
      return {
        ...(await viewOf(s)),
        best: counting.best[s.section] ?? null,
        ...(counting.due[s.section] ? { due: counting.due[s.section] } : {}),
      };
    },
  );

  app.get("/api/submissions", { schema: { querystring: noQuery } }, async (req) => {
    const l = await learner(req);
    const counting = await learnerCounting(store, c.sections, l.id, now());
    return {
      learner: { email: l.email, name: l.name },
      best: counting.best,
      due: counting.due,
      slipDaysLeft: counting.standing.slipDaysLeft,
      submissions: await Promise.all((await store.submissionsOf(l.id)).map(viewOf)),
    };
  });

  app.get("/api/me", { schema: { querystring: noQuery } }, async (req) => {
    const l = await learner(req);
    return { email: l.email, name: l.name, best: (await learnerCounting(store, c.sections, l.id, now())).best };
  });

  app.get("/api/sections", { schema: { querystring: noQuery } }, async () => {
    const [closes, deadlines] = await Promise.all([store.sectionCloses(), store.deadlines()]);
    const t = now();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      sections: c.sections.map((name) => {
        const d = deadlines[name];
        return {
          name,
          open: !isClosed(closes, name, t),
          ...(closes[name] !== undefined ? { closesAt: new Date(closes[name]).toISOString() } : {}),
          ...(d
            ? {
                opensAt: iso(d.opensAt),
                dueAt: iso(d.dueAt),
                lateUntil: iso(d.lateUntil),
                latePolicy: policyText(d),
                counts: d.counts,
              }
            : {}),
        };
      }),
    };
  });

  instructorApiRoutes(app, c, () => admission.inFlight());
}

/** POST /api/submissions: admitted before its body is read, checked after its last byte, stored before the 202. */
async function submissionRoute(
  app: FastifyInstance,
  c: ServiceContext,
  {
    admission,
    notebooks,
    learner,
    viewOf,
  }: {
    admission: ReturnType<typeof createAdmission>;
    notebooks: ReturnType<typeof createNotebookCheck>;
    learner: (req: FastifyRequest) => Promise<Learner>;
    viewOf: (s: Submission) => Promise<unknown>;
  },
): Promise<void> {
  const { store, queue, limits } = c;
  // Submissions take the notebook's bytes as they are (any content type), up to the size limit.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: limits.maxNotebookBytes }, (_req, body, done) =>
      done(null, body),
    );
    scope.post<{ Querystring: { section: string; file?: string } }>(
      "/api/submissions",
      {
        bodyLimit: limits.maxNotebookBytes,
        schema: {
          querystring: {
            type: "object",
            required: ["section"],
            additionalProperties: false,
            properties: { section: SECTION, file: { type: "string", maxLength: 1000 } },
          },
        },
        onRequest: async (req, reply) => {
          const l = await learner(req);
          // Bodies without a length (chunked) are counted at the most they may be.
          const declared = Number(req.headers["content-length"]) || limits.maxNotebookBytes;
          const place = await admission.admit(
            l,
            String((req.query as { section?: unknown }).section ?? ""),
            Math.min(declared, limits.maxNotebookBytes),
          );
          // However the request ends (stored, refused, the connection dropped), its place is given back.
          reply.raw.once("close", () => place.release());
          (req as Admitted).admitted = { learner: l, place };
        },
      },
      async (req, reply) => {
        const { learner: l, place } = (req as Admitted).admitted!;
        const { section } = req.query;
        const receivedAt = await place.complete(); // the last byte is here: the section must still be open
        const { bytes, fileName } = await acceptedBody(req, notebooks, section);
        const id = newSubmissionId();
        await store.addSubmission({ id, learnerId: l.id, section, fileName, notebook: bytes, receivedAt });
        place.release(); // stored: counted by the store from now on
        await queue.enqueue({ id, section, fileName, learnerId: l.id }, bytes);
        const s = (await store.submission(id))!;
        return reply
          .code(202)
          .header("Location", `/api/submissions/${id}`)
          .send(await viewOf(s));
      },
    );
  });
}

/** The submission's notebook and file name, once its bytes are a notebook of `section` that holds no token; else a Refusal. */
async function acceptedBody(
  req: FastifyRequest<{ Querystring: { section: string; file?: string } }>,
  notebooks: ReturnType<typeof createNotebookCheck>,
  section: string,
): Promise<{ bytes: Buffer; fileName: string }> {
  const bytes = req.body as Buffer | undefined;
  if (!bytes?.length)
    throw new Refusal(400, "send the notebook (.ipynb) as the request body (Content-Type: application/x-ipynb+json)");
  // A token inside the notebook would be kept with it, shown with it and copied with it.
  const token = basicCredentials(req.headers.authorization)?.token;
  if (token && token.length >= 8 && bytes.includes(token))
    throw new Refusal(
      400,
      "this notebook contains your token: delete it from the notebook (await submit() asks for it and keeps it outside the notebook), save, and send again",
    );
  const fileName = fileNameOf(req.query.file, section);
  const verdict = await notebooks.check(bytes, fileName);
  if (!verdict.ok) throw new Refusal(400, verdict.reason);
  // A notebook of another section (picked wrongly on the page) would be graded as "not found" everywhere.
  if (verdict.checker && verdict.checker !== section)
    throw new Refusal(
      400,
      `this notebook is section ${verdict.checker}'s (its checker("${verdict.checker}") cell says so), not ${section}'s: submit it to ${verdict.checker}`,
    );
  return { bytes, fileName };
}
