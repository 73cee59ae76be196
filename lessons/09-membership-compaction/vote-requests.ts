// Lesson 9, scenarios 2 and 3: vote requests from outside a server's configuration: answered (thesis §4.1), unless a leader was heard lately (§4.2.3).

import { Simulation, type TraceEvent } from "@course/sim";
import { createRaftNode, finishStory, leaderOf, raftDescriber, readDurableState, scriptedTimeouts, type RaftMessage, type RaftNode, type TimeoutWindow } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";
import { change, configurationText } from "./configuration.js";

/** A checked cluster of servers 0 to n-1 whose configuration starts as `members`; server 0 times out first. */
function cluster(seed: number, n: number, members: readonly number[], timeouts: readonly TimeoutWindow[] = []): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({
    seed,
    nodes: Array.from({ length: n }, (_, k) => k),
    createNode: createRaftNode({ members, firstTimeouts: { 0: 10 }, electionTimeoutOverride: scriptedTimeouts(timeouts) }),
    hooks: raftInvariants(),
    record: true,
  });
}

/** Servers that sent `candidate` a reply (granted or not) to its vote request in `term`. */
export function answeredBy(trace: readonly TraceEvent[], candidate: number, term?: number): number[] {
  const from = trace.flatMap((e) => (e.kind === "send" && e.to === candidate && e.msg.type === "RequestVoteReply" && (term === undefined || (e.msg as RaftMessage).term === term) ? [e.from] : []));
  return [...new Set(from)].sort((a, b) => a - b);
}

/** The latest configuration written in a server's log on disk (the one it would use on restart). */
export function configOnDisk(sim: Simulation<RaftMessage>, id: number, initial: readonly number[]): readonly number[] {
  const configs = readDurableState(sim.storage(id)).entries.flatMap((e) => (e.command.kind === "config" ? [e.command.members] : []));
  return configs.at(-1) ?? initial;
}

const up = (sim: Simulation<RaftMessage>, id: number) => sim.node<RaftNode>(id) as RaftNode;

export const newServerVote: Scenario = {
  id: "new-server-vote",
  title: "A vote from a server that does not know the candidate (thesis §4.1)",
  summary:
    "Server 3 joins servers 0, 1 and 2 while server 2 is down. Then an entry reaches only servers 0 and 3, and server 0 dies. Server 3 has the most up-to-date log, and under its configuration it needs three votes: its own, server 1's and server 2's. Server 2 has never heard of server 3, yet it answers and votes, because servers grant votes without consulting their configuration. Dropping that request would leave no server able to win.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    // Once server 0 is about to die, server 3 times out first (and late enough that server 1 no longer ignores vote
    // requests for having heard from server 0, thesis §4.2.3), so the story is one election, not a duel.
    const sim = cluster(seed, 4, [0, 1, 2], [
      { from: 250, to: Infinity, node: 3, ms: 250 },
      { from: 250, to: Infinity, node: "others", ms: 1000 },
    ]);
    sim.heading("Server 3 joins while server 2 is down");
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    sim.request(0, "a=1");
    sim.runFor(100);
    sim.apply({ type: "crash", node: 2 });
    change(sim, { type: "add-server", node: 3 });
    sim.runFor(100);
    sim.note(`Configuration: ${configurationText(sim)}. Server 2 is down and its log still says [${configOnDisk(sim, 2, [0, 1, 2]).join(", ")}].`, { label: "added" });

    sim.heading("An entry reaches only servers 0 and 3; server 0 dies; server 2 returns");
    sim.apply({ type: "cut", from: 0, to: 1 });
    sim.request(0, "b=2");
    sim.runFor(20);
    sim.apply({ type: "crash", node: 0 });
    // Whatever server 0 sent before it died is delivered (or lost to the crashed server 2) before server 2 returns.
    sim.runFor(20);
    sim.apply({ type: "restart", node: 2 });
    sim.apply({ type: "heal" });
    const [s1, s2, s3] = [up(sim, 1), up(sim, 2), up(sim, 3)];
    sim.note(
      `Server 3's log ends at index ${s3.log.lastIndex} (b=2), server 1's at ${s1.log.lastIndex}, server 2's at ${s2.log.lastIndex}, all of term ${s3.log.lastTerm}. Servers 1 and 3 use [${s3.members.join(", ")}], where a majority is three of four and server 0 is gone for good. Server 2 uses [${s2.members.join(", ")}]: it has never heard of server 3. ` +
        `Server 1 cannot win: it needs server 3's vote, and server 3's log is longer. Server 2 cannot either: under [${s2.members.join(", ")}] it needs server 1's vote, and server 1's log is longer. Only server 3 can win, and only with server 2's vote.`,
      { label: "stuck-shape" },
    );
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 5000 });
    sim.runFor(50);
    const leader = leaderOf(sim);
    const term = leader?.currentTerm ?? 0;
    sim.note(
      `Server 2 answered server 3's vote request in term ${term} even though server 3 is not in its configuration (thesis §4.1: servers grant votes without consulting their configurations), and voted for it, its log being more up to date. Server ${leader?.id ?? "?"} leads term ${term}. Configuration: ${configurationText(sim)}.`,
      { label: "elected" },
    );
    sim.request(leader?.id ?? 3, "c=3");
    sim.runFor(200);
    return finishStory(sim, `server ${leader?.id ?? "none"} won term ${term} with votes from servers ${answeredBy(sim.trace, leader?.id ?? 3, term).join(", ")}; server 2 now uses [${up(sim, 2).members.join(", ")}] and applied c=${up(sim, 2).kv.get("c") ?? "-"}.`);
  },
};

export const removedServer: Scenario = {
  id: "removed-server",
  title: "A removed server that never heard of its removal (thesis §4.2.3)",
  summary:
    "Server 3 is cut off while the leader removes it, so it never learns it was removed, and the leader no longer sends it anything. It times out and campaigns in ever higher terms. The others ignore it: each has heard from the leader within the minimum election timeout, so it neither votes nor adopts the higher term, and the leader keeps its term.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = cluster(seed, 4, [0, 1, 2, 3]);
    sim.heading("Server 3 is cut off while the leader removes it");
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    sim.request(0, "a=1");
    sim.runFor(100);
    sim.apply({ type: "isolate", node: 3 });
    change(sim, { type: "remove-server", node: 3 });
    sim.apply({ type: "heal" });
    const leader = up(sim, 0);
    const term = leader.currentTerm;
    sim.note(`Configuration: ${configurationText(sim)}. The network works again, but server 0 no longer sends anything to server 3, which is not in its configuration.`, { label: "removed" });
    const from = sim.trace.length;
    sim.runFor(1500);
    const tries = [...new Set(sim.trace.slice(from).flatMap((e) => (e.kind === "send" && e.from === 3 && e.msg.type === "RequestVote" ? [(e.msg as RaftMessage).term] : [])))];
    const answered = tries.flatMap((t) => answeredBy(sim.trace.slice(from), 3, t));
    sim.note(
      `Server 3 asked for votes in ${tries.length} terms, ${tries[0] ?? "-"} to ${tries.at(-1) ?? "-"}, and ${answered.length === 0 ? "nobody answered" : `servers ${answered.join(", ")} answered`}. Server 0 leads, and servers 1 and 2 had heard from it less than the minimum election timeout (150 ms) before every request, so all three ignored it: no vote and no newer term (thesis §4.2.3). Server 0 still leads term ${up(sim, 0).currentTerm}. Without this rule the first request would have made server 0 adopt term ${tries[0] ?? "-"} and step down, again and again.`,
      { label: "ignored" },
    );
    return finishStory(sim, `server 3 campaigned up to term ${up(sim, 3).currentTerm} and got ${answered.length} answer(s); server ${leaderOf(sim)?.id ?? "none"} leads term ${leaderOf(sim)?.currentTerm ?? "-"} (it led term ${term} before); configuration [${up(sim, 0).members.join(", ")}].`);
  },
};
