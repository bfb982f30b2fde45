// LTI 1.3: the service as a tool of a learning platform (Canvas, Moodle, Blackboard) — the tool's
// keys, the launch's verification, the roster from the platform (NRPS) and grades back (AGS).
// May import: store/, policy/.
export { type Launch } from "./claims";
export { toolKeys } from "./keys";
export { learnerFor } from "./roster-sync";
export { createLtiTool, type LtiTool } from "./tool";
export { verifyLaunch } from "./verify";
