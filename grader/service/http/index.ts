// The service's HTTP side: the Fastify app, the API and its admission policies, the learner's and
// instructor's pages, sessions. May import: store/, queue/.

export { createServiceApp } from "./app";
export { DEFAULT_HTTP_LIMITS, type PersonalNotebooks, type ServiceLimits } from "./context";
export { gradebookCsvOf } from "./views";
