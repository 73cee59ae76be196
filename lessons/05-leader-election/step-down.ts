// Lesson 5, scenario 4: a cut-off leader keeps its old term; when it hears a higher term it steps down.

import { finishStory, leaderOf, raftDescriber, waitForLeader, type RaftMessage, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { FIVE, raftCluster, server } from "./cluster.js";

const STALE = "stale";

export const stepDown: Scenario = {
  id: "step-down",
  title: "A leader steps down on seeing a higher term",
  summary:
    "The leader is cut off; the other four elect a new leader in a higher term. The old leader still thinks it leads and even accepts a write it can never commit. When the network heals, the first message that shows it the newer term turns it into a follower, and its stray entry is replaced.",
  protocol: "raft",
  defaultSeed: 3,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = raftCluster(seed, FIVE);
    sim.heading("A leader is elected");
    const old = waitForLeader(sim, 2000) as RaftNode;
    const oldTerm = old.currentTerm;
    sim.runFor(100);
    sim.heading(`Node ${old.id} is cut off`, "isolate");
    sim.apply({ type: "isolate", node: old.id });
    const stray = sim.request(old.id, `x=${STALE}`);
    sim.note(
      `Node ${old.id} appends the write to its log, but no follower can acknowledge it: without a majority it stays uncommitted, and the client gets no answer while the cut lasts. (CheckQuorum is off here; the check-quorum scenario turns it on.)`,
      { label: "stray-write" },
    );
    sim.runUntil(() => (leaderOf(sim)?.currentTerm ?? 0) > oldTerm, { timeout: 2000 });
    const fresh = leaderOf(sim) as RaftNode;
    sim.note(
      `The others stopped hearing heartbeats, so one of them timed out and won term ${fresh.currentTerm}. Two nodes now call themselves leader, node ${old.id} of term ${oldTerm} and node ${fresh.id} of term ${fresh.currentTerm}: only the newer one can gather a majority.`,
      { label: "two-leaders" },
    );
    sim.request(fresh.id, "x=1");
    sim.runFor(200);
    sim.heading("The network heals", "heal");
    sim.apply({ type: "heal" });
    sim.runUntil(() => server(sim, old.id)?.role !== "leader", { timeout: 1000 });
    // The step-down happens in the step that delivers the first message with a newer term: the latest delivery so far.
    const first = [...sim.trace].reverse().find((e) => e.kind === "deliver" && e.to === old.id && (e.msg as RaftMessage).term > oldTerm);
    const answer = sim.requests.find((r) => r.request.id === stray)?.result as { ok: boolean; error?: string } | undefined;
    sim.note(
      `The first message to reach node ${old.id} with the newer term (${first?.kind === "deliver" ? `${first.msg.type} from node ${first.from}` : "?"}) made it adopt term ${server(sim, old.id)?.currentTerm} and step down. It told the client of the stray write "${answer?.ok === false ? answer.error : "?"}": it no longer knows what becomes of it.`,
      { label: "stepped-down" },
    );
    sim.runFor(200);
    const after = server(sim, old.id) as RaftNode;
    const kept = after.log.all().some((e) => e.command.kind === "client" && e.command.op.value === STALE);
    return finishStory(
      sim,
      `node ${old.id} led term ${oldTerm}, stepped down to ${after.role} in term ${after.currentTerm} (leader now node ${leaderOf(sim)?.id ?? "none"}); its uncommitted write is ${kept ? "still there" : "gone"}, its log has ${after.log.lastIndex} entr${after.log.lastIndex === 1 ? "y" : "ies"}.`,
    );
  },
};
