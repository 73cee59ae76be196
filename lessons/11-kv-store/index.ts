// Lesson 11: a replicated key-value store on Raft: clients, sessions, linearizable reads, and checking histories.

import type { Lesson } from "../lesson.js";
import { clientsScenario } from "./clients.js";
import { lostReply } from "./lost-reply.js";
import { staleRead } from "./stale-read.js";
import { storm } from "./storm.js";

export const lesson11: Lesson = {
  number: 11,
  slug: "kv-store",
  title: "A replicated key-value store",
  summary:
    "Clients put, append and get through a Raft leader. Numbered commands and a replicated session table make a retried write take effect once; ReadIndex keeps a leader that has lost its majority from answering reads with old values; and every run ends with the linearizability checker judging the clients' history.",
  scenarios: [clientsScenario, lostReply, staleRead, storm],
};
