// The service's JSON API for the instructor (docs/service.md): the gradebook and its CSV, the queue's
// status, opening and closing sections, a stored notebook. Every route needs the instructor key.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServiceContext } from "./context";
import { Refusal } from "./errors";
import { requireInstructor } from "./session";
import { isClosed } from "../store";
import { status } from "../queue";
import { countedGradebook } from "../policy";
import { gradebookCsvOf } from "./views";
import { ID, noQuery, SECTION } from "./api-schemas";

/** `uploading()`: the uploads in flight (admission.ts), which the status reports beside the queue. */
export function instructorApiRoutes(app: FastifyInstance, c: ServiceContext, uploading: () => unknown): void {
  const { store, key } = c;
  const instructor = (req: FastifyRequest) => requireInstructor(req, store, key);
  app.get("/api/gradebook", { schema: { querystring: noQuery } }, async (req) => {
    await instructor(req);
    return { rows: (await countedGradebook(store, c.sections)).map(gradebookRowJson) };
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
    return { ...(await status(c)), uploading: uploading() };
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
      return openOrClose(c, req.params.section, req.params.action, req.query.at);
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

type CountedRow = Awaited<ReturnType<typeof countedGradebook>>[number];

/** A gradebook row as the API gives it: times in ISO, the submission that counts (after the late policy). */
function gradebookRowJson(r: CountedRow) {
  return {
    email: r.email,
    name: r.name,
    section: r.section,
    attempts: r.attempts,
    lastSubmission: r.lastAt === undefined ? null : new Date(r.lastAt).toISOString(),
    dueAt: r.window.dueAt === undefined ? null : new Date(r.window.dueAt).toISOString(),
    extended: r.window.extended,
    // Its raw score, its final score and why they differ.
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
  };
}

/** Opens or closes a section (now, or closing at an ISO time), answering its state after. */
async function openOrClose(c: ServiceContext, section: string, action: "open" | "close", atText?: string) {
  const { store, now } = c;
  if (!c.sections.includes(section)) throw new Refusal(404, `there is no section "${section}"`);
  if (action === "close" && atText !== undefined) {
    const at = Date.parse(atText);
    if (!Number.isFinite(at))
      throw new Refusal(400, `"${atText}" is not a time: give an ISO time such as 2026-12-24T23:59:00Z`);
    await store.closeSectionAt(section, at);
  } else await store.setSectionOpen(section, action === "open", now());
  const closes = await store.sectionCloses();
  const closesAt = closes[section];
  return {
    section,
    open: !isClosed(closes, section, now()),
    ...(closesAt !== undefined ? { closesAt: new Date(closesAt).toISOString() } : {}),
  };
}
