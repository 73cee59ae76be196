// Lesson 10: Paxos and Raft measured side by side on one simulator: message cost, leader load, contention, failover.

import type { Lesson } from "../lesson.js";
import { costBasicPaxos } from "./cost-basic.js";
import { costMultiPaxos } from "./cost-multi.js";
import { costRaft } from "./cost-raft.js";
import { contentionBasicPaxos } from "./contention-basic.js";
import { contentionRaft } from "./contention-raft.js";
import { failoverMultiPaxos, failoverRaft } from "./failover.js";

export const lesson10: Lesson = {
  number: 10,
  slug: "paxos-vs-raft",
  title: "Paxos vs Raft",
  summary:
    "The same five nodes, the same network, three protocols, and only measured numbers: messages and message delays per committed command, how much traffic the leader carries, what two competing clients cost, and how long a leader failure stops progress.",
  scenarios: [costBasicPaxos, costMultiPaxos, costRaft, contentionBasicPaxos, contentionRaft, failoverMultiPaxos, failoverRaft],
};
