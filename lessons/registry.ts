// The lesson registry: every lesson in course order, for the terminal CLI and the site (index.js re-exports it).

import type { Lesson } from "./lesson.js";
import { lesson01 } from "./01-why-consensus/index.js";
import { lesson02 } from "./02-basic-paxos/index.js";
import { lesson03 } from "./03-paxos-failures/index.js";
import { lesson04 } from "./04-multi-paxos/index.js";
import { lesson05 } from "./05-leader-election/index.js";
import { lesson06 } from "./06-log-replication/index.js";
import { lesson07 } from "./07-worked-example/index.js";
import { lesson08 } from "./08-raft-safety/index.js";
import { lesson09 } from "./09-membership-compaction/index.js";
import { lesson10 } from "./10-paxos-vs-raft/index.js";
import { lesson11 } from "./11-kv-store/index.js";
import { lesson12 } from "./12-etcd/index.js";

// Lesson 12's page draws a recorded real run: it reads the file with these.
export { parseEtcdRun, outcomeCell, leaderGapMs, failovers, describeStep, offendingLines, type EtcdRun, type StatusSample, type RunEvent, type RunVerdict, type FaultRecord } from "./12-etcd/index.js";

export type { Lesson, LiveIo, LiveOption, LiveRun, LiveRunOptions, Scenario, ScenarioOptions, ScenarioRun, Protocol } from "./lesson.js";

export const lessons: readonly Lesson[] = [
  lesson01,
  lesson02,
  lesson03,
  lesson04,
  lesson05,
  lesson06,
  lesson07,
  lesson08,
  lesson09,
  lesson10,
  lesson11,
  lesson12,
];

export function findLesson(n: number): Lesson | undefined {
  return lessons.find((l) => l.number === n);
}
