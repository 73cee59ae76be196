// Lesson 12: Raft in production. A real etcd cluster under seeded faults, checked by the course's linearizability checker.

import type { Lesson, LiveRun } from "../lesson.js";
import { sameFaultsSimulated } from "./simulated.js";
import { VARIANTS } from "./schedule.js";

/**
 * The real run needs Node (processes, files, sockets), but the site bundles this registry for the browser. A
 * literal import() would make the site's bundler pull the Node-only code in, so the module is named in a variable.
 */
const RUNNER = "./live/main.ts";

const etcdRun: LiveRun = {
  id: "etcd",
  title: "A real three-member etcd cluster under the seeded fault schedule",
  summary:
    "Starts etcd three times on loopback ports, runs three clients doing get, put and compare-and-set, kills, pauses and restarts members on a seeded schedule while narrating what each member's status API reports, then checks the clients' history for linearizability and plays the same schedule in the simulator to compare the time to a new leader.",
  requires: "etcd 3.4 or newer (apt-get install etcd-server)",
  defaultSeed: 1,
  variants: VARIANTS,
  options: {
    port: { type: "integer", value: "N", min: 1024, description: "first port to try for the etcd cluster (it takes six consecutive free ones; default 23790)" },
    "election-timeout": { type: "integer", value: "MS", min: 50, description: "etcd's and the simulator's election timeout (default 1000)" },
    heartbeat: { type: "integer", value: "MS", min: 10, description: "etcd's and the simulator's heartbeat interval (default 100)" },
    rounds: { type: "integer", value: "N", min: 1, description: "stale-read variant: most pause rounds before giving up (default 5)" },
  },
  async run(options, io) {
    const live = (await import(/* @vite-ignore */ RUNNER)) as typeof import("./live/main.js");
    return live.runLive(options, io);
  },
};

export const lesson12: Lesson = {
  number: 12,
  slug: "etcd",
  title: "Raft in production: etcd under faults",
  summary:
    "A real etcd cluster, the Raft behind Kubernetes, takes the same kinds of faults as the simulator: its leader is killed, a member is frozen, a member restarts. The clients' history goes through the course's linearizability checker, a serializable read from a frozen follower shows what the checker catches, and the simulator replays the same schedule to compare failover times.",
  scenarios: [sameFaultsSimulated],
  live: etcdRun,
};

// What the site's lesson 12 page reads from a recorded run (all of it free of Node APIs).
export { parseEtcdRun, type EtcdRun, type StatusSample, type RunEvent, type RunVerdict } from "./run-trace.js";
export { outcomeCell, leaderGapMs, failovers, type FaultRecord } from "./faults.js";
export { describeStep } from "./schedule.js";
export { offendingLines } from "./verdict.js";
