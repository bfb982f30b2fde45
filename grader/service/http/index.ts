// The service's HTTP side: the Fastify app, the API and its admission policies, the learner's and
// instructor's pages, sessions. May import: store/, queue/.
export { percentiles } from "./api";
export { DEFAULT_LIMITS, createServiceApp, type ServiceLimits } from "./app";
