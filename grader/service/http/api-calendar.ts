// The instructor's calendar over HTTP: an extension for one learner, as `course extend` gives it
// (the learner's page of the instructor posts it). Scores after the policy are computed when read,
// so the answer's standing is already the recomputed one.
import type { FastifyInstance } from "fastify";
import type { ServiceContext } from "./context";
import { Refusal } from "./errors";
import { requireInstructor } from "./session";
import { isoMinute, learnerCounting, parseTime } from "../policy";

export async function calendarRoutes(app: FastifyInstance, c: ServiceContext): Promise<void> {
  app.post<{ Params: { id: string }; Body: { section: string; until: string } }>(
    "/api/learners/:id/extensions",
    {
      schema: {
        params: { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 40 } } },
        body: {
          type: "object",
          required: ["section", "until"],
          additionalProperties: false,
          properties: { section: { type: "string", maxLength: 100 }, until: { type: "string", maxLength: 40 } },
        },
      },
    },
    async (req) => {
      await requireInstructor(req, c.store, c.key);
      const l = await c.store.learnerById(req.params.id);
      if (!l) throw new Refusal(404, `no learner ${req.params.id}`);
      const { section, until } = req.body;
      if (!c.sections.includes(section)) throw new Refusal(400, `there is no section "${section}"`);
      const t = parseTime(until);
      if ("problem" in t) throw new Refusal(400, `until: ${t.problem}`);
      const old = await c.store.extend({ learnerId: l.id, section, dueAt: t.at }, "the instructor's page", c.now());
      const counting = await learnerCounting(c.store, c.sections, l.id, c.now());
      return {
        email: l.email,
        section,
        dueAt: isoMinute(t.at),
        ...(old !== undefined ? { previousExtension: isoMinute(old) } : {}),
        best: counting.best[section] ?? null,
      };
    },
  );
}
