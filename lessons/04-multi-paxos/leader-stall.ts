// The seed's multi-paxos run made exact: acceptors 0, 2, 4 alive, acceptor 2's promise lost on a real link, no leader, no log.

import { countSends, describeMultiPaxosEvent, finishStory, formatBallot, majority } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, inspect, leaderOf, multiCluster, sessionClient, showLog } from "./cluster.js";

const CANDIDATE = 0;
/** The acceptor whose promise is lost on its way to the candidate. */
const LOST = 2;
const DOWN: readonly number[] = [1, 3];
const COMMAND = "x=1";
/** Longer than any round trip (latencies are at most 10 ms), shorter than any election timeout (150 ms). */
const SETTLE = 30;

export const leaderStall: Scenario = {
  id: "leader-stall",
  title: "No leader, no log: the stalled sequence",
  summary:
    "Acceptors 0, 2 and 4 are alive, and the link from node 2 to node 0 fails one way. Node 0 wants to lead: acceptor 2 promises, but its promise never arrives, so node 0 counts two promises where it needs three. No leader, so no slot is ever proposed and the log stays empty. See where the seed post's demo output differs from this correct run; then the link works again, an election timer fires, and a leader commits the waiting command.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  describe: describeMultiPaxosEvent,
  run({ seed }) {
    const sim = multiCluster(seed, { node: { initialLeader: CANDIDATE } });
    const alive = sim.nodeIds.filter((id) => !DOWN.includes(id));
    sim.heading(`The seed's run: acceptors ${alive.join(", ")} alive, and the link from node ${LOST} to node ${CANDIDATE} down`, "stall");
    for (const node of DOWN) sim.apply({ type: "crash", node });
    // A one-way link failure: what node 2 sends to node 0 is lost; node 0 still reaches node 2.
    sim.apply({ type: "cut", from: LOST, to: CANDIDATE });
    sim.note(`Alive acceptors: [${alive.join(", ")}]. Nodes ${DOWN.join(" and ")} are down, and messages from node ${LOST} to node ${CANDIDATE} are lost (one way: node ${CANDIDATE} can still reach node ${LOST}).`);
    sim.note(`A client gives node ${CANDIDATE} the command '${COMMAND}'. There is no leader yet, so node ${CANDIDATE} holds it and campaigns: phase 1 for every slot at once.`);
    const phase1Start = sim.trace.length;
    sessionClient(sim, "alice").send(CANDIDATE, COMMAND);
    sim.runFor(SETTLE);
    const first = inspect(sim, CANDIDATE);
    const promisedBy = first?.promisedBy ?? [];
    const need = majority(sim.nodeIds.length);
    const phase1 = countSends(sim.trace, phase1Start);
    const arrived = sim.trace.filter((e) => e.seq >= phase1Start && e.kind === "deliver" && e.msg.type === "promise").length;
    const logNow = showLog(first?.log);
    sim.note(
      `Not enough promises for n=${formatBallot(first?.ballot)}: got ${promisedBy.length} (from ${promisedBy.join(", ") || "nobody"}), need ${need}. ` +
        `Acceptor ${LOST} did promise (the promise is on its disk), but the promise was lost on the link to node ${CANDIDATE}. ` +
        `Leader could not be established, so nobody may propose a command for any slot: the sequence stalls, and the log is ${logNow}.`,
      { label: "stalled" },
    );
    sim.note(
      `Where the seed post's demo printed something else: its "msgs=2" matches only the ${arrived} promises that arrived. This phase 1 sent ${phase1.total} messages: ` +
        `${phase1.byType.prepare ?? 0} prepares (one to each acceptor, ${DOWN.length} of them to nodes that are down, one to node ${CANDIDATE}'s own acceptor) and ${phase1.byType.promise ?? 0} promises (one lost). ` +
        `Its "proposal number = 1" is round 1 here, written n=${formatBallot(first?.ballot)}: no two nodes may use the same number, so every number pairs a round with the node's id. ` +
        `Its "chosen_sequence=[None]" shows one slot with nothing chosen; here no slot exists at all, because only a leader gives commands their slots. ` +
        `And where the demo stopped ("sequence may stall"), a real cluster tries again.`,
      { label: "seed-differences" },
    );

    sim.heading(`The link from node ${LOST} to node ${CANDIDATE} works again; the first election timer to fire starts a new phase 1`, "recovery");
    sim.apply({ type: "heal", from: LOST, to: CANDIDATE });
    sim.note(
      `Acceptor ${LOST} answered n=${formatBallot(first?.ballot)} once, and its lost promise is not sent again. What ends the stall is a timer: node ${CANDIDATE}'s own election timer (it campaigns again with a higher number) or that of ${alive.filter((id) => id !== CANDIDATE).map((id) => `node ${id}`).join(" or ")}, which have heard from no leader either. Whichever fires first campaigns, and now every alive acceptor's promise can arrive.`,
    );
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 3000 });
    const leader = leaderOf(sim);
    sim.runUntil(() => leader !== undefined && alive.every((id) => (inspect(sim, id)?.log.length ?? 0) > 0), { timeout: 3000 });
    sim.runFor(20);
    const log = leader === undefined ? undefined : inspect(sim, leader)?.log;
    const leaderView = leader === undefined ? undefined : inspect(sim, leader);
    if (leader !== undefined) {
      sim.note(
        `Node ${leader} leads with n=${formatBallot(leaderView?.ballot)} (promises from ${leaderView?.promisedBy.join(", ")}), and '${COMMAND}' is chosen in slot 0: ` +
          `${alive.map((id) => `node ${id} ${showLog(inspect(sim, id)?.log)}`).join(", ")}.`,
        { label: "committed" },
      );
    }
    return asRun(
      finishStory(
        sim,
        leader === undefined
          ? `no leader after ${Math.round(sim.now)} ms; the log stayed ${logNow}.`
          : `first phase 1 got ${promisedBy.length} of ${need} promises: no leader, log ${logNow}; after the link came back node ${leader} became leader with n=${formatBallot(leaderView?.ballot)} and '${COMMAND}' was chosen; log ${showLog(log)}; ${countSends(sim.trace).total} messages sent (heartbeats included).`,
      ),
    );
  },
};
