// Lesson 7: the seed's worked Raft example, its nine numbered steps played on servers 1-5, each a labelled point.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, formatCommand, leaderOf, raftDescriber, raftNodes, scriptedTimeouts, type RaftMessage, type RaftNode, type RequestVoteReply } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const SERVERS = [1, 2, 3, 4, 5];

export const nineSteps: Scenario = {
  id: "nine-steps",
  title: "The worked example, step by step",
  summary: "Five servers numbered 1 to 5. Server 1 times out first and wins term 1 with the votes of 2, 3 and 4 while server 5 is down. Entry 1 is committed by a majority and applied everywhere; server 5 comes back and the heartbeat brings it up to date; then the leader fails, another server takes over, and the logs stay consistent.",
  protocol: "raft",
  defaultSeed: 7,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: SERVERS,
      network: { latency: { kind: "fixed", ms: 5 } },
      // Server 1's first timeout is scripted to fire first, as in the example; every later timeout is random. The
      // example has no election no-op (paper §8), so the client's command is entry 1.
      createNode: createRaftNode({ noopOnElection: false, firstTimeouts: { 1: 150, 2: 220, 3: 260, 4: 240, 5: 280 } }),
      hooks: raftInvariants(),
      record: true,
    });
    const server = (id: number) => sim.node<RaftNode>(id);
    const live = () => raftNodes(sim);

    sim.heading("Step 1: everyone is a follower; server 1 times out first", "step-1");
    sim.note(`Each server waits for a heartbeat until its election timer fires: server 1 at 150 ms, the others later. Server 1 hears nothing, so it becomes a candidate, moves to term 1 and votes for itself.`);
    sim.apply({ type: "crash", node: 5 });
    sim.runUntilTime(150);

    sim.heading("Step 2: server 1 asks for votes", "step-2");
    sim.note("Servers 2, 3 and 4 have not voted in term 1 and server 1's log is as complete as theirs (all empty), so each grants its vote. Server 5 is down and never sees the request.");
    const leader = (sim.runUntil(() => server(1)?.role === "leader", { timeout: 500 }), server(1) as RaftNode);
    const grantedSoFar = () => sim.trace.filter((e) => e.kind === "deliver" && e.to === 1 && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted).map((e) => (e.kind === "deliver" ? e.from : 0));
    const atWin = grantedSoFar();

    sim.heading("Step 3: server 1 wins and starts sending heartbeats", "step-3");
    sim.note(`The third vote (its own plus ${atWin.join(", ").replace(/, ([^,]*)$/, " and $1")} so far) is a majority of five. Server 1 leads term ${leader.currentTerm} and sends empty AppendEntries every 50 ms so nobody else times out.`);
    sim.runFor(60);
    const granted = grantedSoFar();

    sim.heading("Step 4: a client sends a command to the leader", "step-4");
    sim.note("Server 1 appends the command to its own log as entry 1, tagged with its term. (Like the seed's example, these servers skip the no-op that a new leader usually appends first, paper §8; with it, the command would be entry 2.)");
    sim.request(1, "x=1");

    sim.heading("Step 5: the leader replicates entry 1", "step-5");
    sim.note("AppendEntries carries entry 1 to servers 2, 3, 4 and 5. Each follower writes it to disk before saying yes; server 5 is down and cannot answer.");
    sim.runUntil(() => [...leader.matchIndex.values()].some((m) => m >= 1), { timeout: 200 });

    sim.heading("Step 6: a majority has it: entry 1 is committed", "step-6");
    sim.note("With its own copy and two acknowledgements, three of five servers hold entry 1 in the leader's term. The leader marks it committed, applies x=1 to its state machine and answers the client.");
    sim.runUntil(() => leader.commitIndex >= 1, { timeout: 200 });
    sim.runFor(1);

    sim.heading("Step 7: the followers learn the commit and apply it", "step-7");
    sim.note("The next AppendEntries (here a heartbeat) carries the leader's commit index, 1. Each follower applies entry 1: servers 1 to 4 now hold x=1.");
    sim.runUntil(() => live().every((n) => n.lastApplied >= 1), { timeout: 200 });

    sim.heading("Step 8: server 5 returns and is brought up to date", "step-8");
    const returnAt = sim.trace.length;
    sim.apply({ type: "restart", node: 5 });
    sim.runUntil(() => (server(5)?.lastApplied ?? 0) >= 1, { timeout: 500 });
    sim.runFor(10);
    const refused = sim.trace.slice(returnAt).some((e) => e.kind === "deliver" && e.from === 5 && e.msg.type === "AppendEntriesReply" && !(e.msg as unknown as { success: boolean }).success);
    sim.note(
      refused
        ? "Server 5 came back with an empty log and refused a heartbeat that said 'after index 1 of term 1'; the leader stepped back and sent entry 1 itself, with the commit index, so server 5 stored and applied it."
        : "The leader never had an answer from server 5, so it still plans to send it everything from index 1: the first heartbeat after the restart carries entry 1 and the commit index, and server 5 stores and applies it.",
    );

    sim.heading("Step 9: the leader fails; another server takes over", "step-9");
    sim.apply({ type: "crash", node: 1 });
    sim.note("Server 1 crashes. The first follower whose timer fires becomes a candidate for term 2; every log holds entry 1, so any of them may win. The new leader then commits a command of its own term, which confirms every entry before it on a majority.");
    sim.runUntil(() => (leaderOf(sim)?.currentTerm ?? 0) >= 2, { timeout: 2000 });
    const next = leaderOf(sim) as RaftNode;
    sim.request(next.id, "x=2");
    sim.runUntil(() => next.commitIndex >= 2, { timeout: 500 });
    sim.runFor(100);
    sim.apply({ type: "restart", node: 1 });
    sim.runFor(200);

    const logs = live().map((n) => n.log.all().map((e) => `${e.index}:${formatCommand(e.command)}@${e.term}`).join(" "));
    return finishStory(
      sim,
      `server 1 led term ${leader.currentTerm} (votes from ${granted.join(", ")}), server ${next.id} leads term ${next.currentTerm}; every server's log is [${logs[0] ?? ""}]${new Set(logs).size === 1 ? "" : " (logs differ!)"}; commit index ${live().map((n) => n.commitIndex).join("/")}.`,
    );
  },
};
