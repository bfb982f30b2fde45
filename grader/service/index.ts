// The grading service (`course serve`, `course worker`): HTTP, the store, the queue, their commands.
// May import: pipeline/, batch/, sections/.
export { addRegradeCommand, addSectionCommands, addServiceCommands, addWorkerCommands, openStore } from "./commands";
export { createPostgresSql, createSqliteSql, createStore, importRoster, type Store, type StoredResult } from "./store";
