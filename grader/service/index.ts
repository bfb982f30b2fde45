// The grading service (`course serve`, `course worker`): HTTP, the store, the queue, their commands.
// May import: pipeline/, batch/, sections/.
export { addSectionCommands, addServiceCommands, addWorkerCommands, openStore } from "./commands";
export { importRoster } from "./store";
