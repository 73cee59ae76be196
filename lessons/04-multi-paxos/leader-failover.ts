// Leader failure: a new leader recovers the open slots, fills a gap with a no-op, the old leader catches up, and old slots are collected.

import { countSends, describeMultiPaxosEvent, finishStory, formatBallot, headingBefore } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, leaderOf, multiCluster, replyTo, sessionClient, showLog } from "./cluster.js";

const OLD = 0;
const FOLLOWERS = [1, 2, 3, 4];

export const leaderFailover: Scenario = {
  id: "leader-failover",
  title: "Leader failover: recover open slots, fill the gap with a no-op",
  summary:
    "The leader sends alice's 'c' for slot 2 but only its own acceptor gets it; bob's 'd' in slot 3 is chosen everywhere. The leader crashes. The next leader's phase 1 finds 'd' in slot 3 and nothing in slot 2, so it re-proposes 'd' and puts a no-op in slot 2. The old leader returns and catches up, and once every replica has applied the log, old slots are garbage-collected.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  describe: describeMultiPaxosEvent,
  run({ seed }) {
    const sim = multiCluster(seed, { node: { initialLeader: OLD } });
    const alice = sessionClient(sim, "alice");
    const bob = sessionClient(sim, "bob");
    sim.heading("Node 0 leads and commits alice's 'a' and 'b'", "steady");
    sim.runUntil(() => leaderOf(sim) === OLD, { timeout: 1000 });
    for (const command of ["a", "b"]) {
      const id = alice.send(OLD, command);
      sim.runUntil(() => replyTo(sim.trace, id) !== undefined, { timeout: 1000 });
    }
    sim.runFor(15);

    sim.heading("Slot 2 reaches only the leader; slot 3 reaches everyone", "gap");
    // Right after a heartbeat, so the leader does not resend slot 2 before it crashes.
    const heartbeats = () => sim.trace.filter((e) => e.kind === "timer" && e.node === OLD && e.name === "heartbeat").length;
    const seen = heartbeats();
    sim.runUntil(() => heartbeats() > seen, { timeout: 1000 });
    for (const to of FOLLOWERS) sim.apply({ type: "cut", from: OLD, to });
    sim.note("The leader's links to the others are cut for an instant: its accept for slot 2 reaches only its own acceptor.");
    const lostRequest = alice.send(OLD, "c");
    sim.apply({ type: "heal" });
    bob.send(OLD, "d");
    sim.runUntil(() => FOLLOWERS.every((id) => inspect(sim, id)?.chosenAhead.has(3) === true), { timeout: 1000 });
    sim.note("Every follower knows slot 3 is chosen ('d') but cannot apply it: slot 2 is still open, and a log is applied strictly in order.", { label: "hole" });

    sim.heading("The leader crashes", "crash");
    sim.apply({ type: "crash", node: OLD });
    const crashedAt = sim.now;
    headingBefore(sim, () => FOLLOWERS.some((id) => inspect(sim, id)?.role !== "follower"), "A new leader: phase 1 for every open slot", "new-leader", 3000);
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 3000 });
    const leader = leaderOf(sim);
    sim.runUntil(() => FOLLOWERS.every((id) => (inspect(sim, id)?.log.length ?? 0) >= 4), { timeout: 2000 });
    const newLeader = leaderOf(sim);
    sim.note(
      "No acceptor in the new leader's majority had accepted anything in slot 2, so nothing can have been chosen there: a no-op is safe and unblocks slot 3. 'd' might have been chosen (it was), so it must be proposed again. As for 'c', alice never got an answer and would retry; her command #3 never ran, so the replicas would execute the retry as a new command.",
      { label: "no-op" },
    );

    sim.heading("Node 0 returns and catches up", "catch-up");
    sim.apply({ type: "restart", node: OLD });
    sim.runUntil(() => (inspect(sim, OLD)?.log.length ?? 0) >= 4, { timeout: 2000 });
    sim.note(`Node 0's acceptor still holds 'c' for slot 2 from the old number, but slot 2's chosen value is the no-op, and that is what it applies.`, { label: "stale-accept" });

    sim.heading("Garbage collection: slots every replica has applied", "gc");
    sim.runUntil(() => FIVE.every((id) => (inspect(sim, id)?.gcBelow ?? 0) >= 4), { timeout: 2000 });
    const collected = FIVE.filter((id) => (inspect(sim, id)?.gcBelow ?? 0) >= 4);
    sim.note(`Every replica reported applying slots 0-3, so the leader tells all of them to drop the per-slot Paxos state below slot 4. The applied log (the state machine) keeps it.`, { label: "collected" });
    sim.runFor(10);

    const logs = FIVE.map((id) => showLog(inspect(sim, id)?.log));
    const agree = logs.every((l) => l === logs[0]);
    const answeredC = replyTo(sim.trace, lostRequest) !== undefined;
    return asRun(
      finishStory(
        sim,
        `${agree ? `all ${FIVE.length} logs ${logs[0]}` : `logs differ: ${logs.join(" ")}`}; new leader ${newLeader ?? leader ?? "none"} (n=${formatBallot(newLeader === undefined ? undefined : inspect(sim, newLeader)?.ballot)}) took over ${Math.round((sim.trace.find((e) => e.kind === "note" && e.text.includes("is leader") && e.time > crashedAt)?.time ?? crashedAt) - crashedAt)} ms after the crash; 'c' ${answeredC ? "was answered" : "was never answered"}; slots below 4 collected on ${collected.length} of ${FIVE.length}; ${countSends(sim.trace).total} messages sent.`,
      ),
    );
  },
};
