// Lesson 6: Raft log replication: AppendEntries, the consistency check, commit, and repairing follower logs.

import type { Lesson } from "../lesson.js";
import { realRaft } from "./real-raft.js";
import { repair } from "./repair.js";
import { seedDemo } from "./seed-demo.js";

export const lesson06: Lesson = {
  number: 6,
  slug: "log-replication",
  title: "Raft log replication",
  summary:
    "The leader appends client commands to its log and copies them with AppendEntries; each carries the index and term of the entry before it, so a follower only accepts entries that extend a matching log. An entry is committed once the leader that created it has stored it on a majority; a leader counts copies only for entries of its own term, and committing an entry commits every entry before it. The seed's toy demo shows what goes wrong without the consistency check.",
  scenarios: [seedDemo, realRaft, repair],
};
