// Lesson 6, scenario 2: the same run with real Raft: follower 4 refuses x=2 without x=1; the leader backs up.

import { finishStory, formatCommand, raftDescriber, scriptedTimeouts, type AppendEntries, type AppendEntriesReply, type RaftNode } from "@course/raft";
import type { TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { FIVE, listed, nextStep, raftCluster, server } from "../05-leader-election/cluster.js";

const LEADER = 2;
const LAGGING = 4;
/** How long each step of the story runs before the next one (fixed 5 ms links: a round trip is 10 ms). */
const WAIT_MS = 35;

type Deliver = Extract<TraceEvent, { kind: "deliver" }>;

/** Refusals node `from` sent the leader from trace position `since` on, as they arrived. */
export function refusalsFrom(trace: readonly TraceEvent[], from: number, since = 0): Deliver[] {
  return trace.slice(since).filter((e): e is Deliver => e.kind === "deliver" && e.from === from && e.msg.type === "AppendEntriesReply" && !(e.msg as AppendEntriesReply).success);
}

export const realRaft: Scenario = {
  id: "real-raft",
  title: "The same run in real Raft",
  summary:
    "Same cluster, same losses. The new leader first commits a no-op of its own term with nodes 0 and 4 (index 1). Then 'x=1' (index 2) again reaches only node 0. When 'x=2' arrives at node 4, it says 'follows index 2 of term 1', and node 4 has no index 2: it refuses. The leader backs up, sends x=1 and x=2 together, and once a majority holds them both are committed. 'x=3' again reaches only node 0 and waits; when the link heals, node 4 refuses once more and gets it.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    // Pipelining (sending the next entries before the previous ones are acknowledged, as etcd does) is on, as by
    // default: it is what lets x=2 go out before anyone knows that x=1 never arrived.
    const sim = raftCluster(seed, FIVE, { firstTimeouts: { [LEADER]: 10 }, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: Infinity, node: "others", ms: 5000 }]) }, { latency: { kind: "fixed", ms: 5 } });
    const leader = () => server(sim, LEADER) as RaftNode;
    const holders = (index: number) => FIVE.filter((id) => (server(sim, id)?.log.lastIndex ?? 0) >= index);
    sim.heading("Alive nodes: [0, 2, 4]; node 2 is elected");
    sim.apply({ type: "crash", node: 1 });
    sim.apply({ type: "crash", node: 3 });
    sim.runUntil(() => leader()?.commitIndex >= 1, { timeout: 200 });
    const noop = leader().log.lastIndex;
    sim.note(
      `Node ${LEADER} leads term ${leader().currentTerm}, and its first entry, a no-op of that term (§8, lesson 5), is on nodes ${listed(holders(noop))} and committed. ` +
        `Raft numbers log entries from 1, the demo from 0, and the no-op comes first, so the demo's log[0] is Raft's index ${noop + 1}.`,
      { label: "election" },
    );
    nextStep(sim);

    sim.heading("x=1 reaches only node 0");
    sim.apply({ type: "cut", from: LEADER, to: LAGGING });
    sim.request(LEADER, "x=1");
    sim.runFor(WAIT_MS);
    const x1 = leader().log.lastIndex;
    sim.note(`Index ${x1} is on nodes ${listed(holders(x1))}: two of five, and three are needed. Commit index stays ${leader().commitIndex}. So far this matches the toy.`, { label: "x1" });
    nextStep(sim);

    sim.heading("x=2: node 4 refuses, the leader backs up");
    sim.apply({ type: "heal", from: LEADER, to: LAGGING });
    const healed = sim.trace.length;
    sim.request(LEADER, "x=2");
    const x2 = x1 + 1;
    sim.runUntil(() => leader().commitIndex >= x2, { timeout: 200 });
    const refused = refusalsFrom(sim.trace, LAGGING, healed);
    // The AppendEntries node 4 refused first: delivered in the step in which it sent its refusal.
    const sentRefusal = sim.trace.find((e) => e.kind === "send" && e.msgId === refused[0]?.msgId);
    const refusedAppend = sim.trace.find((e): e is Deliver => e.kind === "deliver" && e.to === LAGGING && e.step === sentRefusal?.step && e.msg.type === "AppendEntries")?.msg as AppendEntries | undefined;
    const resend = sim.trace.slice(healed).find((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && e.to === LAGGING && (e.msg as AppendEntries).entries?.[0]?.index === x1);
    sim.note(
      `Node 4 refused ${refused.length} time(s): its log ends at index ${x1 - 1}, and the AppendEntries said its entries follow index ${refusedAppend?.prevLogIndex} of term ${refusedAppend?.prevLogTerm}. ` +
        `The leader moved nextIndex for node 4 back to ${x1} and sent x=1 and x=2 together${resend === undefined ? "" : ` at ${resend.time.toFixed(0)} ms`}. ` +
        `Now indices ${x1} and ${x2} are on nodes ${listed(holders(x2))}, a majority. Both were created by the leader in its current term, so both are committed: the commit index moves to ${leader().commitIndex}, covering every entry before it.`,
      { label: "backup" },
    );
    sim.runFor(WAIT_MS);

    sim.heading("x=3 reaches only node 0");
    sim.apply({ type: "cut", from: LEADER, to: LAGGING });
    sim.request(LEADER, "x=3");
    sim.runFor(3 * WAIT_MS);
    const x3 = x2 + 1;
    const l = leader();
    const committed = l.log.all().filter((e) => e.index <= l.commitIndex).map((e) => `'${formatCommand(e.command)}'`);
    const pending = l.log.all().filter((e) => e.index > l.commitIndex).map((e) => `'${formatCommand(e.command)}'`);
    sim.note(
      `Index ${x3} waits on nodes ${listed(holders(x3))}: committed ${committed.join(", ")}, not yet committed ${pending.join(", ")}, the seed's outcome with one difference: here no later entry is committed before an earlier one. ` +
        `Nothing is lost: the leader goes on sending heartbeats to node 4, and they say "follows index ${x3}".`,
      { label: "x3" },
    );
    nextStep(sim);

    sim.heading("Beyond the seed's run: the link heals");
    const healAgain = sim.trace.length;
    sim.apply({ type: "heal" });
    sim.runUntil(() => leader().commitIndex >= x3, { timeout: 200 });
    const later = refusalsFrom(sim.trace, LAGGING, healAgain);
    sim.note(
      `The first heartbeat to get through was refused (node 4's log ended at index ${x2}), so the leader sent index ${x3} again; node 4 stored it, and with three copies x=3 is committed: commit index ${leader().commitIndex}. Refusals since the link healed: ${later.length}.`,
      { label: "healed" },
    );
    sim.runFor(60);
    const all = sim.trace.filter((e) => e.kind === "send").length;
    return finishStory(
      sim,
      `leader=${LEADER}, committed=[${committed.join(", ")}], not yet committed=[${pending.join(", ")}] where the seed's run ends; follower 4 refused ${refused.length} time(s) over x=2; once the link healed, x=3 was committed too; ${all} messages sent.`,
    );
  },
};
