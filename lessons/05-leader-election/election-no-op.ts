// Lesson 5, scenario 2: a new leader's first entry, a no-op of its term (§8), commits what an earlier leader left and lets reads go ahead.

import { checkLinearizable, kvHistoryFromRequests, kvModel } from "@course/check";
import { advanceCommitIndex, finishStory, formatCommand, raftDescriber, scriptedTimeouts, type ClientResult, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { FIVE, listed, raftCluster, server } from "./cluster.js";

const OLD = 0;
const NEW = 2;
const FOLLOWERS = FIVE.filter((id) => id !== OLD);

export const electionNoOp: Scenario = {
  id: "election-no-op",
  title: "A new leader's first entry: a no-op of its term",
  summary:
    "Leader 0 commits x=1 and tells the client, then crashes before any follower learns that x=1 is committed. Node 2 wins term 2 holding x=1 at index 2, like a majority of the servers, yet it cannot count those copies: x=1 is an entry of term 1. Its first act, a no-op of term 2, commits x=1 along with it once a majority stores it; a read that arrives at the moment of the election waits for exactly that.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "local-reads": "the new leader answers reads from its own state at once, before any entry of its term is committed: it returns a value older than a write the client was already told is done" },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const localReads = variant === "local-reads";
    const sim = raftCluster(
      seed,
      FIVE,
      {
        // Timeouts are scripted: node 0 leads term 1, and node 2 is the first to notice that node 0 is gone.
        firstTimeouts: { [OLD]: 10 },
        electionTimeoutOverride: scriptedTimeouts([
          { from: 0, to: Infinity, node: NEW, ms: 150 },
          { from: 0, to: Infinity, node: "others", ms: 5000 },
        ]),
        ...(localReads ? { unsafeLocalReads: true } : {}),
      },
      { latency: { kind: "fixed", ms: 5 } },
    );
    const node = (id: number) => server(sim, id) as RaftNode;
    const newLeader = () => server(sim, NEW);

    sim.heading(`Node ${OLD} leads term 1 and commits x=1`);
    sim.runUntil(() => node(OLD).role === "leader" && node(OLD).commitIndex >= 1, { timeout: 500 });
    const write = sim.request(OLD, "x=1");
    const x = node(OLD).log.lastIndex;
    sim.runUntil(() => sim.requests.find((r) => r.request.id === write)?.result !== undefined, { timeout: 200 });
    sim.apply({ type: "crash", node: OLD });
    const holders = FOLLOWERS.filter((id) => node(id).log.termAt(x) === 1);
    sim.note(
      `Node ${OLD} stored x=1 at index ${x}, nodes ${listed(holders)} stored it too, so node ${OLD} committed it and told the client "done". Then node ${OLD} crashed, before its next heartbeat could carry the new commit index: ` +
        `the followers still have commit index ${listed([...new Set(FOLLOWERS.map((id) => node(id).commitIndex))])}, and none of them has applied x=1.`,
      { label: "crash" },
    );

    sim.heading(`Node ${NEW} wins term 2`);
    sim.runUntil(() => newLeader()?.role === "leader", { timeout: 1000 });
    const leader = node(NEW);
    const noop = leader.log.entryAt(leader.log.lastIndex);
    const onMajority = FIVE.filter((id) => sim.isUp(id) && node(id).log.termAt(x) === 1);
    // What the commit rule (Figure 2 with §5.4.2) says if every live server were known to hold x=1: nothing moves.
    const byCounting = advanceCommitIndex({ currentTerm: leader.currentTerm, commitIndex: leader.commitIndex, log: leader.log, members: leader.members, matchIndex: (id) => (onMajority.includes(id) ? x : 0) });
    sim.note(
      `Node ${NEW} leads term ${leader.currentTerm}. x=1 is at index ${x} on nodes ${listed(onMajority)}, a majority, and node ${OLD} did commit it; but node ${NEW}'s commit index is ${leader.commitIndex}, and counting copies cannot raise it: ` +
        `index ${x} holds an entry of term ${leader.log.termAt(x)}, and a leader counts replicas only for entries of its own term (§5.4.2; lesson 8 shows why). Even knowing that all ${onMajority.length} hold it, the rule leaves the commit index at ${byCounting}. ` +
        `So its first act as leader is to append a no-op of term ${leader.currentTerm} at index ${noop?.index} (§8): an entry it may count.`,
      { label: "elected" },
    );
    const read = sim.request(NEW, { type: "get", key: "x" }, "reader");
    const record = () => sim.requests.find((r) => r.request.id === read);
    const tellRead = () => {
      const r = record();
      const answer = r?.result as ClientResult | undefined;
      const value = answer?.ok ? (answer.value ?? null) : undefined;
      const verdict = checkLinearizable(kvModel, kvHistoryFromRequests(sim.requests).operations).verdict;
      const linearizable = verdict === "ok" ? "linearizable" : verdict === "unknown" ? "undecided" : "not linearizable";
      const waited = (r?.replyAt ?? 0) - (r?.invokedAt ?? 0);
      sim.note(
        value === null
          ? `Node ${NEW} answered at once from its own state machine, where x has no value yet. But the client of x=1 was told "done" before this read began, so no order of the two operations explains the answer: the linearizability checker says ${linearizable}.`
          : `The read was answered ${waited.toFixed(0)} ms after it arrived, with x=${value ?? "(none)"}: the value of the write the client was told is done (linearizability check: ${linearizable}).`,
        { label: "read" },
      );
      return { value, linearizable };
    };
    let outcome: ReturnType<typeof tellRead> | undefined;
    if (localReads) outcome = tellRead();
    else {
      sim.note(
        `A client asks node ${NEW} for x at this moment. ReadIndex (thesis §6.4) serves a read only from a commit index the leader knows is current, and a new leader knows that only once an entry of its own term is committed: the read waits for the no-op, and then for a majority to answer one round of heartbeats (which shows it still leads).`,
      );
    }

    sim.heading(`The no-op commits, and x=1 with it`);
    sim.runUntil(() => node(NEW).commitIndex >= (noop?.index ?? Infinity), { timeout: 200 });
    const acked = FIVE.filter((id) => id !== NEW && (node(NEW).matchIndex.get(id) ?? 0) >= (noop?.index ?? Infinity));
    sim.note(
      `Nodes ${listed(acked)} acknowledged index ${noop?.index}: with node ${NEW} itself that is ${acked.length + 1} of ${FIVE.length}, a majority, so the no-op is committed, and so is everything before it. ` +
        `Whoever stores index ${noop?.index} of term ${leader.currentTerm} stores the same entries before it (the Log Matching property), so x=1 is now known committed too. Node ${NEW} applies it: x=${node(NEW).kv.get("x") ?? "(none)"}.`,
      { label: "committed" },
    );
    if (outcome === undefined) {
      sim.runUntil(() => record()?.result !== undefined, { timeout: 200 });
      outcome = tellRead();
    }

    sim.runFor(100);
    const logs = FIVE.filter((id) => sim.isUp(id)).map((id) => node(id).log.all().map((e) => `${e.index}:${formatCommand(e.command)}@${e.term}`).join(" "));
    return finishStory(
      sim,
      `node ${NEW} leads term ${node(NEW).currentTerm} with log [${logs[0]}]; x=1 (term 1) committed on node ${NEW} through its no-op; the read returned ${outcome.value === undefined ? "nothing" : outcome.value === null ? "no value (stale)" : `x=${outcome.value}`}; history ${outcome.linearizable}.`,
    );
  },
};
