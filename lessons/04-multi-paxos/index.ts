// Lesson 4: Multi-Paxos, a log of Paxos instances under one leader.

import type { Lesson } from "../lesson.js";
import { deposedLeader } from "./deposed-leader.js";
import { duelingLeaders } from "./dueling-leaders.js";
import { leaderFailover } from "./leader-failover.js";
import { leaderStall } from "./leader-stall.js";
import { steadyState } from "./steady-state.js";

export const lesson04: Lesson = {
  number: 4,
  slug: "multi-paxos",
  title: "Multi-Paxos",
  summary:
    "One phase 1 makes a leader for every slot; each command then costs two message delays. Without a leader the log stalls; a new leader re-proposes what may be chosen and fills gaps with no-ops; a command chosen twice is executed once; lagging replicas catch up; applied slots are garbage-collected.",
  scenarios: [leaderStall, steadyState, leaderFailover, deposedLeader, duelingLeaders],
};
