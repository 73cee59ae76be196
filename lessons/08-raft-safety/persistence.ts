// Lesson 8, scenario 3: what a server must write to disk before answering, shown by a reboot in the middle of a term.

import { Simulation } from "@course/sim";
import { buggyRules, createRaftNode, finishStory, raftDescriber, raftNodes, scriptedTimeouts, type RaftMessage } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

export const persistence: Scenario = {
  id: "persistence",
  title: "Crash and restart: what must be on disk",
  summary: "Server 2 votes for server 1 in term 1 and then reboots. Server 3, which never heard of server 1, asks server 2 for its vote in the same term. Because the vote was written to disk before the reply left, server 2 refuses. In the variant that keeps only the term on disk, it votes again and term 1 gets two leaders.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "forget-voted-for": "currentTerm is written to disk but votedFor is not, so a rebooted server can vote twice in one term." },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const rules = variant === "forget-voted-for" ? buggyRules["forget-voted-for"] : {};
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: [1, 2, 3],
      network: { latency: { kind: "fixed", ms: 5 } },
      // No election no-op (§8) here: it would put an entry on server 2 that server 3 lacks, and the up-to-date check
      // alone would then refuse server 3, hiding what votedFor on disk is for.
      createNode: createRaftNode({ rules, noopOnElection: false, firstTimeouts: { 1: 10, 3: 40 }, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: 1000, node: "others", ms: 2000 }]) }),
      hooks: raftInvariants(),
      record: true,
    });
    sim.heading("Server 1 wins term 1 with server 2's vote");
    sim.apply({ type: "cut", from: 1, to: 3 });
    sim.apply({ type: "cut", from: 3, to: 1 });
    sim.note("Servers 1 and 3 cannot reach each other. Figure 2 lists what every server keeps on stable storage: currentTerm, votedFor and the log, written before it answers. In this run a new leader appends no no-op (§8) and no client writes, so every log stays empty and only votedFor can stop a second vote.", { label: "cut" });
    sim.runUntilTime(30);
    const disk = JSON.stringify(sim.storage(2).get("hardState"));
    sim.note(`Server 1 leads term ${raftNodes(sim).find((n) => n.id === 1)?.currentTerm}. Server 2's disk now holds ${disk}.`, { label: "vote" });
    sim.heading("Server 2 reboots; server 3 asks for its vote in term 1");
    sim.apply({ type: "restart", node: 2 });
    sim.note(`After the reboot server 2 knows only its disk: votedFor is ${raftNodes(sim).find((n) => n.id === 2)?.votedFor ?? "empty"}.`, { label: "reboot" });
    sim.runUntilTime(200);
    const leaders = raftNodes(sim).filter((n) => n.role === "leader").map((n) => `server ${n.id} (term ${n.currentTerm})`);
    if (sim.stopped) {
      return finishStory(sim, `without votedFor on disk server 2 voted twice in term 1; leaders: ${leaders.join(", ")}; the checker flags ${sim.violation?.checker}.`);
    }
    return finishStory(sim, `server 2 remembered its vote across the reboot and refused server 3; leaders: ${leaders.join(", ") || "none"}; no invariant broken.`);
  },
};
