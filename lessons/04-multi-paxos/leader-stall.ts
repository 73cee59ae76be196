// The seed's multi-paxos run made exact: with acceptors 0, 2, 4 alive and one promise lost, no leader, so the log stalls.

import { countSends, describeMultiPaxosEvent, finishStory, formatBallot, majority } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, inspect, leaderOf, multiCluster, sessionClient, showLog } from "./cluster.js";

const CANDIDATE = 2;
const DOWN: readonly number[] = [1, 3];
const COMMAND = "x=1";
/** Longer than any round trip (latencies are at most 10 ms), shorter than any election timeout (150 ms). */
const SETTLE = 30;

export const leaderStall: Scenario = {
  id: "leader-stall",
  title: "No leader, no log: the stalled sequence",
  summary:
    "Acceptors 0, 2 and 4 are alive and node 2, which wants to lead, loses its own promise: two promises where three are needed, so no leader and nothing in the log. Then another node's election timer fires, it becomes leader, and node 2 hands it the waiting command.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  describe: describeMultiPaxosEvent,
  run({ seed }) {
    const sim = multiCluster(seed, {
      node: { initialLeader: CANDIDATE },
      faults: [
        ...DOWN.map((node) => ({ at: 0, action: { type: "crash", node } }) as const),
        { at: 0, action: { type: "cut", from: CANDIDATE, to: CANDIDATE } },
      ],
    });
    sim.heading("The seed's run: a leader cannot be established", "stall");
    sim.note(`Alive acceptors: [${sim.nodeIds.filter((id) => !DOWN.includes(id)).join(", ")}]. Node ${CANDIDATE}'s link to itself is cut, so its own acceptor never answers it.`);
    sim.note(`A client gives node ${CANDIDATE} the command '${COMMAND}'. There is no leader yet, so node ${CANDIDATE} holds it and campaigns: phase 1 for every slot at once.`);
    sessionClient(sim, "alice").send(CANDIDATE, COMMAND);
    sim.runFor(SETTLE);
    const first = inspect(sim, CANDIDATE);
    const got = first?.promisedBy.length ?? 0;
    const need = majority(sim.nodeIds.length);
    const firstSends = countSends(sim.trace);
    const stalledSequence = (first?.log.length ?? 0) === 0 ? "[none]" : showLog(first?.log);
    sim.note(
      `Not enough promises for n=${formatBallot(first?.ballot)}: got ${got} (from ${first?.promisedBy.join(", ") || "nobody"}), need ${need}. Leader could not be established, so no slot can be proposed and the sequence stalls: chosen sequence=${stalledSequence}; ${firstSends.byType.promise ?? 0} promises among ${firstSends.total} messages.`,
      { label: "stalled" },
    );

    sim.heading("The cluster does not stay stuck: another node's election timer fires", "recovery");
    sim.note(
      "Nodes 0 and 4 have heard from no leader either. When one of their randomized election timeouts expires it campaigns, and its prepare reaches three acceptors: itself, the other one, and node 2 (only node 2's messages to itself are lost).",
    );
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 3000 });
    const leader = leaderOf(sim);
    sim.runUntil(() => (inspect(sim, CANDIDATE)?.log.length ?? 0) > 0 && leader !== undefined && (inspect(sim, leader)?.log.length ?? 0) > 0, { timeout: 3000 });
    sim.runFor(20);
    const log = leader === undefined ? undefined : inspect(sim, leader)?.log;
    return asRun(
      finishStory(
        sim,
        leader === undefined
          ? `no leader after ${Math.round(sim.now)} ms; chosen sequence=${stalledSequence}.`
          : `first attempt got ${got} of ${need} promises: no leader, sequence=${stalledSequence}; then node ${leader} became leader with n=${formatBallot(inspect(sim, leader)?.ballot)} and '${COMMAND}' was committed; sequence=${showLog(log)}; ${countSends(sim.trace).total} messages sent (heartbeats included).`,
      ),
    );
  },
};
