// The service's JSON API (docs/service.md), what the notebook's submit() and the pages use. Every
// request's parameters are checked by a schema; a submission is refused — before its body is read —
// when the token is wrong or admission.ts says no, and again after its last byte if the section
// closed meanwhile; a body that is not a notebook is refused with the grader's own one-line reason and never
// graded; an accepted one is stored (bytes included) before the 202 answer.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { oneLine } from "../../pipeline";
import type { ServiceContext } from "./context";
import { Refusal } from "./errors";
import { basicCredentials, learnerOf, requireInstructor } from "./session";
import { isClosed, newSubmissionId, type Learner, type Submission } from "../store";
import { status } from "../queue";
import { countedGradebook, learnerCounting, policyText } from "../policy";
import { gradebookCsvOf, submissionView } from "./views";
import { createAdmission, type Place } from "./admission";
import { createNotebookCheck } from "./notebook-check";

const ID = { type: "string", pattern: "^s_[A-Za-z0-9_-]{16}$" } as const;
const SECTION = { type: "string", minLength: 1, maxLength: 100 } as const;
const noQuery = { type: "object", additionalProperties: false, properties: {} } as const;

/** A file name as shown back: the last path segment, one line, at most 255 characters. */
const fileNameOf = (given: string | undefined, section: string) =>
  oneLine((given ?? "").split(/[\\/]/).pop() ?? "", 255).trim() || `${section}.ipynb`;

/** A submission's request once admitted: whose it is and the place its upload holds. */
type Admitted = FastifyRequest & { admitted?: { learner: Learner; place: Place } };

export async function apiRoutes(app: FastifyInstance, c: ServiceContext): Promise<void> {
  const { store, queue, key, limits, now } = c;
  const admission = createAdmission(c);
  const notebooks = createNotebookCheck({ sections: c.sections });
  app.addHook("onClose", () => notebooks.close());
  const learner = (req: FastifyRequest) => learnerOf(req, store, key);
  const instructor = (req: FastifyRequest) => requireInstructor(req, store, key);
  /** A submission as answered; how many are ahead of it is counted only while it is queued (the view shows it only then). */
  const viewOf = async (s: Submission) => submissionView(s, s.state === "queued" ? await store.ahead(s.id) : undefined);

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
        const bytes = req.body as Buffer | undefined;
        if (!bytes?.length)
          throw new Refusal(
            400,
            "send the notebook (.ipynb) as the request body (Content-Type: application/x-ipynb+json)",
          );
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

  // ── instructor ──
  app.get("/api/gradebook", { schema: { querystring: noQuery } }, async (req) => {
    await instructor(req);
    return {
      rows: (await countedGradebook(store, c.sections)).map((r) => ({
        email: r.email,
        name: r.name,
        section: r.section,
        attempts: r.attempts,
        lastSubmission: r.lastAt === undefined ? null : new Date(r.lastAt).toISOString(),
        dueAt: r.window.dueAt === undefined ? null : new Date(r.window.dueAt).toISOString(),
        extended: r.window.extended,
        // The submission that counts (after the late policy): its raw score, its final score and why they differ.
        best: r.best
          ? {
              id: r.best.id,
              status: r.best.result.status,
              score: r.best.result.score,
              maxScore: r.best.result.maxScore,
              final: r.counted?.final ?? r.best.result.score,
              late: r.counted?.why || null,
            }
          : null,
      })),
    };
  });

  app.get("/api/gradebook.csv", { schema: { querystring: noQuery } }, async (req, reply) => {
    await instructor(req);
    return reply
      .type("text/csv; charset=utf-8")
      .header("Content-Disposition", 'attachment; filename="gradebook.csv"')
      .send(gradebookCsvOf(await countedGradebook(store, c.sections)));
  });

  app.get("/api/status", { schema: { querystring: noQuery } }, async (req) => {
    await instructor(req);
    return { ...(await status(c)), uploading: admission.inFlight() };
  });

  app.post<{ Params: { section: string; action: "open" | "close" }; Querystring: { at?: string } }>(
    "/api/sections/:section/:action",
    {
      schema: {
        params: {
          type: "object",
          required: ["section", "action"],
          properties: { section: SECTION, action: { type: "string", enum: ["open", "close"] } },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { at: { type: "string", maxLength: 40 } },
        },
      },
    },
    async (req) => {
      await instructor(req);
      const { section, action } = req.params;
      if (!c.sections.includes(section)) throw new Refusal(404, `there is no section "${section}"`);
      if (action === "close" && req.query.at !== undefined) {
        const at = Date.parse(req.query.at);
        if (!Number.isFinite(at))
          throw new Refusal(400, `"${req.query.at}" is not a time: give an ISO time such as 2026-12-24T23:59:00Z`);
        await store.closeSectionAt(section, at);
      } else await store.setSectionOpen(section, action === "open", now());
      const closes = await store.sectionCloses();
      const closesAt = closes[section];
      return {
        section,
        open: !isClosed(closes, section, now()),
        ...(closesAt !== undefined ? { closesAt: new Date(closesAt).toISOString() } : {}),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/submissions/:id/notebook",
    { schema: { params: { type: "object", properties: { id: ID }, required: ["id"] }, querystring: noQuery } },
    async (req, reply) => {
      await instructor(req);
      const bytes = await store.notebook(req.params.id);
      if (!bytes) throw new Refusal(404, `no submission ${req.params.id}`);
      if (bytes.length === 0)
        throw new Refusal(
          410,
          `the notebook of ${req.params.id} was not kept (course serve --keep-notebooks keeps each learner's best and last ones per section); its result is`,
        );
      return reply.type("application/x-ipynb+json").send(bytes);
    },
  );
}
