// Lesson 7: the seed's worked Raft example, its nine numbered steps played on servers 1-5, each ending at a labeled point.

import type { Message, Simulation } from "@course/sim";
import { finishStory, formatCommand, leaderOf, raftDescriber, raftNodes, type AppendEntries, type AppendEntriesReply, type RaftMessage, type RaftNode, type RequestVoteReply } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { listed, nextStep, raftCluster, server } from "../05-leader-election/cluster.js";

const SERVERS = [1, 2, 3, 4, 5];
const FOLLOWERS = [2, 3, 4];
/** Scripted first timeouts: server 1 fires first, as in the example, and server 5 just after it. */
export const FIRST_TIMEOUTS: Readonly<Record<number, number>> = { 1: 150, 5: 152, 2: 220, 3: 260, 4: 240 };
/** When the client's command arrives, and how long server 5 stays down after the followers apply it. */
const COMMAND_AT = 250;
const FIVE_DOWN_FOR = 100;

/**
 * The run, with or without the election no-op (paper §8). The lesson plays it without, as the example does: the
 * client's command is then entry 1. Tests play it with the no-op too, to check what the lesson says would change.
 */
export function playNineSteps(seed: number, noopOnElection: boolean): { sim: Simulation<Message>; result: string } {
  const sim = raftCluster(seed, SERVERS, { noopOnElection, firstTimeouts: FIRST_TIMEOUTS }, { latency: { kind: "fixed", ms: 5 } });
  const at = (id: number) => server(sim, id) as RaftNode;
  const live = () => raftNodes(sim);
  const votesFor = (id: number, term: number) =>
    sim.trace.flatMap((e) => (e.kind === "send" && e.to === id && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted && (e.msg as RequestVoteReply).term === term ? [e.from] : []));

  sim.heading("Step 1: everyone is a follower; server 1 times out first");
  sim.note(`Each server waits for a heartbeat until its election timer fires, at ${SERVERS.map((id) => `${FIRST_TIMEOUTS[id]} ms (server ${id})`).join(", ")}. Nobody leads yet, so nobody sends one.`);
  sim.runUntil(() => at(1).role === "candidate", { timeout: 500 });
  sim.note(
    `At ${sim.now.toFixed(0)} ms server 1's timer fires first: it becomes a candidate, moves to term ${at(1).currentTerm} and votes for itself. Servers ${listed(SERVERS.filter((id) => at(id).role === "follower"))} are still followers in term ${at(2).currentTerm}.`,
    { label: "step-1" },
  );

  sim.heading("Step 2: server 1 asks for votes");
  // Until every server has answered both candidates: 2, 3 and 4 have voted for server 1 and refused server 5.
  const repliedTo = (candidate: number) => SERVERS.filter((id) => id !== candidate && sim.trace.some((e) => e.kind === "send" && e.from === id && e.to === candidate && e.msg.type === "RequestVoteReply"));
  sim.runUntil(() => FOLLOWERS.every((id) => repliedTo(5).includes(id) && repliedTo(1).includes(id)), { timeout: 100 });
  sim.note(
    `Servers ${listed(votesFor(1, 1))} have not voted in term 1 and server 1's log is as complete as theirs (all are empty), so each grants its vote. ` +
      `Server 5's own timer fired at ${FIRST_TIMEOUTS[5]} ms, before server 1's request reached it: it is a candidate for term 1 too and has voted for itself, so it refuses server 1, and servers ${listed(FOLLOWERS)}, whose votes in term 1 are spent, refuse it.`,
    { label: "step-2" },
  );

  sim.heading("Step 3: server 1 wins and starts sending heartbeats");
  sim.runUntil(() => at(1).role === "leader", { timeout: 100 });
  const heard = sim.trace.filter((e) => e.kind === "deliver" && e.to === 1 && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted).map((e) => (e.kind === "deliver" ? e.from : 0));
  const term = at(1).currentTerm;
  const firstBeat = at(1).log.lastIndex === 0 ? "empty AppendEntries (heartbeats)" : `AppendEntries carrying its election no-op (index ${at(1).log.lastIndex})`;
  sim.note(
    `With its own vote and those of servers ${listed(heard)}, server 1 has ${heard.length + 1} of ${SERVERS.length}, a majority: it leads term ${term}. It sends ${firstBeat} to all four others at once, and again every ${at(1).options.heartbeatInterval} ms, so that nobody else times out.`,
    { label: "step-3" },
  );
  nextStep(sim);
  sim.runUntil(() => at(5).role === "follower", { timeout: 100 });
  sim.apply({ type: "crash", node: 5 });
  sim.note(`Server 5 hears server 1's heartbeat of term ${term} and goes back to being a follower. Then it crashes: in step 5 it is down.`);

  sim.heading("Step 4: a client sends a command to the leader");
  sim.runUntilTime(COMMAND_AT);
  const command = sim.request(1, "x=1");
  const entry = at(1).log.lastIndex;
  sim.note(
    `Server 1 appends x=1 to its log as entry ${entry}, tagged with term ${at(1).log.termAt(entry)}, writes it to its disk, and at once sends it to every follower (the next step follows those messages). It is not committed: one copy is not enough. ` +
      (noopOnElection
        ? `(Entry ${entry - 1} is the no-op server 1 appended when it was elected.)`
        : `(The example has no election no-op, and neither does this run: the other lessons' leaders append one first (lesson 5, paper §8), and with it this command would be entry ${entry + 1}.)`),
    { label: "step-4" },
  );

  sim.heading(`Step 5: the leader replicates entry ${entry}`);
  sim.runUntil(() => FOLLOWERS.every((id) => at(id).log.lastIndex >= entry), { timeout: 100 });
  // Everything else that happens at this moment, the loss of the copy sent to server 5 included.
  sim.runUntilTime(sim.now);
  sim.note(
    `The AppendEntries that carried entry ${entry} reached servers ${listed(FOLLOWERS)}: each checked that its log matched the leader's before the entry (index ${entry - 1}), stored the entry on its disk, and replied with success. The one sent to server 5 was lost: server 5 is down.`,
    { label: "step-5" },
  );

  sim.heading(`Step 6: a majority has it: entry ${entry} is committed`);
  sim.runUntil(() => at(1).commitIndex >= entry, { timeout: 100 });
  const acked = FOLLOWERS.filter((id) => (at(1).matchIndex.get(id) ?? 0) >= entry);
  sim.note(
    `Server 1 has acknowledgments from servers ${listed(acked)}: with its own copy, ${acked.length + 1} of ${SERVERS.length} servers hold entry ${entry}, which server 1 created in its current term. It is committed. Server 1 applies it (x=${at(1).kv.get("x")}) and answers the client. The followers do not know yet: their commit index is ${listed([...new Set(FOLLOWERS.map((id) => at(id).commitIndex))])}.`,
    { label: "step-6" },
  );

  sim.heading("Step 7: the followers learn the commit and apply it");
  sim.runUntil(() => FOLLOWERS.every((id) => at(id).lastApplied >= entry), { timeout: 200 });
  sim.note(
    `The next AppendEntries (a heartbeat) carried the leader's commit index, ${at(1).commitIndex}. Servers ${listed(FOLLOWERS)} applied entry ${entry}: servers 1 to 4 all hold x=${at(2).kv.get("x")}. Server 5 is still down.`,
    { label: "step-7" },
  );
  nextStep(sim);

  sim.heading("Step 8: server 5 returns and is brought up to date");
  sim.runFor(FIVE_DOWN_FOR);
  const back = sim.trace.length;
  sim.apply({ type: "restart", node: 5 });
  sim.runUntil(() => (server(sim, 5)?.lastApplied ?? 0) >= entry, { timeout: 500 });
  const refusal = sim.trace.slice(back).find((e) => e.kind === "send" && e.from === 5 && e.msg.type === "AppendEntriesReply" && !(e.msg as AppendEntriesReply).success);
  const refused = sim.trace.find((e) => e.kind === "deliver" && e.to === 5 && e.step === refusal?.step && e.msg.type === "AppendEntries");
  const refusedMsg = refused?.kind === "deliver" ? (refused.msg as AppendEntries) : undefined;
  const repair = sim.trace.slice(back).find((e) => e.kind === "send" && e.to === 5 && (e.msg as AppendEntries).entries?.length > 0);
  const repairMsg = repair?.kind === "send" ? (repair.msg as AppendEntries) : undefined;
  sim.note(
    `Server 5 came back with ${at(5).log.lastIndex - (repairMsg?.entries.length ?? 0) === 0 ? "an empty log" : "a short log"}. The first heartbeat to reach it, an AppendEntries with no new entries, named entry ${refusedMsg?.prevLogIndex} of term ${refusedMsg?.prevLogTerm} as the one before them; server 5 has no such entry, so the consistency check failed and it refused, saying its log ends before that index. ` +
      `The leader backed up to index ${repairMsg === undefined ? "?" : repairMsg.prevLogIndex + 1}, where server 5's log stops, and sent the missing entr${(repairMsg?.entries.length ?? 0) === 1 ? "y" : "ies"} (${repairMsg?.entries.map((e) => `${e.index}:${formatCommand(e.command)}`).join(", ")}) with its commit index, ${repairMsg?.leaderCommit}. Server 5 stored and applied ${(repairMsg?.entries.length ?? 0) === 1 ? "it" : "them"}: its log now matches the leader's.`,
    { label: "step-8" },
  );
  nextStep(sim);

  sim.heading("Step 9: the leader fails; another server takes over");
  sim.apply({ type: "crash", node: 1 });
  sim.note(`Server 1 crashes. The others stop hearing heartbeats; the first whose timer fires becomes a candidate for term ${term + 1}. Every log holds the same entries, so any of them may win.`);
  sim.runUntil(() => (leaderOf(sim)?.currentTerm ?? 0) > term, { timeout: 2000 });
  const next = leaderOf(sim) as RaftNode;
  const won = votesFor(next.id, next.currentTerm);
  const firstNew = next.log.lastIndex;
  const second = sim.request(next.id, "x=2");
  const newEntry = next.log.lastIndex;
  sim.runUntil(() => next.commitIndex >= newEntry, { timeout: 500 });
  const stored = [...new Set(sim.trace.flatMap((e) => (e.kind === "send" && e.to === next.id && e.msg.type === "AppendEntriesReply" && (e.msg as AppendEntriesReply).success && (e.msg as AppendEntriesReply).matchIndex >= newEntry ? [e.from] : [])))].sort();
  sim.note(
    `Server ${next.id} timed out first and won term ${next.currentTerm} with the votes of servers ${listed(won)}. ` +
      (firstNew > entry ? `Its first entry as leader was its election no-op (index ${firstNew}); the command follows it. ` : "") +
      `It took a new command, x=2, as entry ${newEntry}, and its AppendEntries said it follows entry ${newEntry - 1} of term ${next.log.termAt(newEntry - 1)}: servers ${listed(stored)} found that entry in their logs (the consistency check) before storing x=2. ` +
      `Entry ${newEntry} is of the leader's own term, so once a majority held it the leader committed it, and with it everything before it. Every server that is up holds the same log.`,
    { label: "step-9" },
  );
  nextStep(sim);

  sim.heading("After the example: server 1 comes back");
  sim.runFor(100);
  sim.apply({ type: "restart", node: 1 });
  sim.runUntil(() => (server(sim, 1)?.lastApplied ?? 0) >= newEntry, { timeout: 500 });
  sim.note(`Server 1 restarts in term ${term} with ${listed(at(1).log.all().filter((e) => e.term === term).map((e) => `entry ${e.index}`))} on its disk. The first message from server ${next.id} shows it term ${next.currentTerm}, so it follows; the consistency check finds where its log stops, and it gets entry ${newEntry}.`, { label: "server-1-returns" });
  sim.runFor(100);

  const logs = live().map((n) => n.log.all().map((e) => `${e.index}:${formatCommand(e.command)}@${e.term}`).join(" "));
  const answered = [command, second].filter((id) => (sim.requests.find((r) => r.request.id === id)?.result as { ok?: boolean } | undefined)?.ok === true).length;
  return finishStory(
    sim as unknown as Simulation<RaftMessage>,
    `server 1 led term ${term} (votes from ${listed(heard)}), server ${next.id} leads term ${next.currentTerm}; every server's log is [${logs[0] ?? ""}]${new Set(logs).size === 1 ? "" : " (logs differ!)"}; commit index ${live().map((n) => n.commitIndex).join("/")}; ${answered} of 2 commands answered.`,
  );
}

export const nineSteps: Scenario = {
  id: "nine-steps",
  title: "The worked example, step by step",
  summary:
    "Five servers numbered 1 to 5. Server 1 times out first and wins term 1 with the votes of 2 and 3 (4's comes a moment later) while server 5, which timed out too, votes for itself. Entry 1 is committed by a majority and applied everywhere while server 5 is down; server 5 comes back, refuses a heartbeat that assumes entry 1, and the leader sends it; then the leader fails, another server takes over, and a command of the new term commits on logs that match.",
  protocol: "raft",
  defaultSeed: 7,
  describe: raftDescriber(),
  run: ({ seed }) => playNineSteps(seed, false),
};
