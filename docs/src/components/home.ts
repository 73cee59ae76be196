// The home page's lesson list: every lesson the registry knows, with the fixed outline as a fallback.

import { lessons } from "@course/lessons";

const OUTLINE: ReadonlyArray<[number, string, string]> = [
  [1, "Why consensus: 2PC blocks", "A coordinator that dies at the wrong moment leaves everyone waiting; a majority protocol carries on."],
  [2, "Basic Paxos", "Prepare, promise, accept, accepted: how five acceptors agree on one value in four message delays."],
  [3, "Paxos failure cases", "Lost promises, retries with higher numbers, duelling proposers, a minority that cannot decide."],
  [4, "Multi-Paxos", "One leader, many slots: phase 1 once, then two message delays per command; failover fills gaps."],
  [5, "Raft leader election", "Terms, randomised timeouts, split votes, stepping down; PreVote and CheckQuorum."],
  [6, "Raft log replication", "AppendEntries, the consistency check, committing, and repairing a follower's log."],
  [7, "The worked Raft example", "Nine steps from five followers to a committed entry, a returning server and a new leader."],
  [8, "Raft safety", "The election restriction, Figure 8, persistence across crashes, and the invariants that must hold."],
  [9, "Membership changes and log compaction", "Adding and removing servers, snapshots and InstallSnapshot."],
  [10, "Paxos vs Raft, measured", "Messages and message delays per command, the leader bottleneck, contention and failover, counted from the trace."],
  [11, "A replicated key-value store", "Client sessions for exactly-once writes, ReadIndex for reads that are never stale, and a linearizability check."],
  [12, "Raft in production", "A real etcd cluster under a seeded fault schedule, its history checked, and the same faults in the simulator."],
];

export function lessonList(): HTMLElement {
  const ol = document.createElement("ol");
  ol.className = "lesson-list";
  const known = new Map(lessons.map((l) => [l.number, l]));
  const numbers = [...new Set([...OUTLINE.map(([n]) => n), ...known.keys()])].sort((a, b) => a - b);
  for (const n of numbers) {
    const lesson = known.get(n);
    const outline = OUTLINE.find(([m]) => m === n);
    const li = document.createElement("li");
    li.value = n;
    const a = document.createElement(OUTLINE.some(([m]) => m === n) ? "a" : "span");
    if (a instanceof HTMLAnchorElement) a.href = `./lessons/${n}.html`;
    a.textContent = lesson?.title ?? outline?.[1] ?? `Lesson ${n}`;
    const p = document.createElement("span");
    p.className = "lesson-summary";
    p.textContent = ` — ${lesson?.summary ?? outline?.[2] ?? ""}`;
    const count = document.createElement("span");
    count.className = "badge";
    count.textContent = lesson ? `${lesson.scenarios.length} scenario${lesson.scenarios.length === 1 ? "" : "s"}${lesson.live ? " + a real cluster" : ""}` : "in preparation";
    li.append(a, " ", count, p);
    ol.append(li);
  }
  return ol;
}
