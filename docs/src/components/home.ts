// The home page's lesson list: every lesson the registry knows, with the fixed outline as a fallback.

import { findLesson, lessons } from "@course/lessons";
import { clusterView, labelledNotes, nodeName, snapshotAt, spaceTime, views } from "@course/viz";

const OUTLINE: ReadonlyArray<[number, string, string]> = [
  [1, "Why consensus: 2PC blocks", "A coordinator that dies at the wrong moment leaves everyone waiting; consensus keeps its decision available without replacing the vote."],
  [2, "Basic Paxos", "Prepare, promise, accept, accepted: how five acceptors agree on one value in four message delays."],
  [3, "Paxos failure cases", "Lost promises, retries with higher numbers, dueling proposers, a minority that cannot decide."],
  [4, "Multi-Paxos", "One leader, many slots: phase 1 once, then two message delays per command; failover fills gaps."],
  [5, "Raft leader election", "Terms, randomized timeouts, split votes, stepping down; PreVote and CheckQuorum."],
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

/**
 * What the course looks like: lesson 7's run, drawn at its replication step by the same charts the lesson pages
 * use, with a caption read from that run (who leads, what is on the wire), and the two places to start.
 */
export function homeShowcase(width: number): HTMLElement {
  const box = document.createElement("figure");
  box.className = "home-showcase";
  const lesson = findLesson(7);
  const scenario = lesson?.scenarios[0];
  if (!scenario) return box;
  const { sim } = scenario.run({ seed: scenario.defaultSeed });
  const trace = sim.trace;
  const note = labelledNotes(trace).find((n) => n.label === "step-5") ?? labelledNotes(trace)[0];
  const step = note?.step ?? 0;
  const snap = snapshotAt(trace, step, sim.nodeIds);
  const leader = [...snap.nodes.values()].find((n) => views.role(n.view) === "leader");
  const flying = snap.inFlight.size;
  const charts = document.createElement("div");
  charts.className = "home-charts";
  const w = Math.max(280, Math.min(width, 980));
  const wide = w >= 700;
  charts.append(
    clusterView(trace, { nodes: sim.nodeIds, step, width: wide ? Math.floor(w * 0.42) : w, height: 300, snapshot: snap }),
    spaceTime(trace, { nodes: sim.nodeIds, step, width: wide ? Math.floor(w * 0.56) : w, maxArrows: 40 }),
  );
  const caption = document.createElement("figcaption");
  caption.textContent =
    `Lesson 7's run at its step ${note?.label.replace("step-", "") ?? "1"}, simulated in this page: ` +
    `${leader ? `${nodeName(leader.id)} leads term ${views.term(leader.view) ?? "?"}` : "no server leads yet"}, ` +
    `${flying} message${flying === 1 ? " is" : "s are"} on the wire, and the space-time diagram shows every message so far as an arrow between the servers' lanes.`;
  const start = document.createElement("p");
  start.className = "start-here";
  const first = document.createElement("a");
  first.href = "./lessons/1.html";
  first.textContent = "Start with lesson 1: why consensus";
  const raft = document.createElement("a");
  raft.href = "./lessons/5.html";
  raft.textContent = "go straight to Raft (lesson 5)";
  start.append(first, " — or, if you know why consensus is hard, ", raft, ".");
  box.append(charts, caption, start);
  return box;
}
