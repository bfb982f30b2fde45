// The `course` command line: parses arguments and hands each command to the room that owns it.
// May import every room's index.
export { main } from "./main";
