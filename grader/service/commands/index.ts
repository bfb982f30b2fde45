// The service's commands (`serve`, `worker`, `status`, roster and section management, regrades).
// May import: http/, store/, queue/.
export { addServiceCommands } from "./commands";
export { addWorkerCommands } from "./commands-workers";
export { addRegradeCommand } from "./commands-regrade";
export { addSectionCommands } from "./commands-sections";
export { openStore } from "./serve";
