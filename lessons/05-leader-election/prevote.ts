// Lesson 5, scenario 6: PreVote keeps a node that was cut off from forcing an election when it returns.

import { finishStory, leaderOf, raftDescriber, waitForLeader, type RaftNode } from "@course/raft";
import type { TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { FIVE, nextStep, raftCluster, server } from "./cluster.js";

const CUT_MS = 2000;

/** The distinct times a node sent requests of this type (one campaign each) from trace position `from` on. */
export function campaigns(trace: readonly TraceEvent[], node: number, type: "PreVote" | "RequestVote", from = 0): number[] {
  return [...new Set(trace.slice(from).flatMap((e) => (e.kind === "send" && e.from === node && e.msg.type === type ? [e.time] : [])))];
}

export const preVote: Scenario = {
  id: "prevote",
  title: "PreVote: a returning node does not disrupt the cluster",
  summary:
    "A follower is cut off for two seconds. Without PreVote it times out again and again, raising its term each time, and when it returns its high term forces the healthy leader to step down. With PreVote it first asks whether it could win; no answer comes, so its term never moves.",
  protocol: "raft",
  defaultSeed: 2,
  variants: { "without-prevote": "PreVote turned off: the cut-off node's term climbs, and its return forces a needless election." },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const withPreVote = variant !== "without-prevote";
    const sim = raftCluster(seed, FIVE, { preVote: withPreVote });
    sim.heading(`A stable cluster (PreVote ${withPreVote ? "on" : "off"})`);
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const term = leader.currentTerm;
    const lonely = FIVE.find((n) => n !== leader.id) as number;
    sim.runFor(100);
    sim.heading(`Node ${lonely} is cut off for ${CUT_MS / 1000} seconds`, "isolate");
    const cutAt = sim.trace.length;
    sim.apply({ type: "isolate", node: lonely });
    sim.runFor(CUT_MS);
    const isolatedTerm = (server(sim, lonely) as RaftNode).currentTerm;
    const asked = campaigns(sim.trace, lonely, withPreVote ? "PreVote" : "RequestVote", cutAt).length;
    sim.note(
      withPreVote
        ? `Node ${lonely}'s timer fired ${asked} times. Each time it asked for pre-votes for term ${term + 1} without changing its own term; no answer could reach it, so it never started a real election. Its term is still ${isolatedTerm}.`
        : `Node ${lonely}'s timer fired ${asked} times, and each time it started a real election it could not win: its term climbed from ${term} to ${isolatedTerm}.`,
      { label: "cut-off" },
    );
    nextStep(sim);
    sim.heading("It comes back", "return");
    sim.apply({ type: "heal" });
    sim.runFor(1000);
    const now = leaderOf(sim);
    sim.note(
      withPreVote
        ? `Node ${lonely} is back in term ${isolatedTerm}, the term everyone is in, so it accepts leader ${leader.id}'s heartbeats and follows. Nobody's term moved; leader ${now?.id ?? "none"} still leads term ${now?.currentTerm ?? "-"}.`
        : `Node ${lonely} answered the leader with its term ${isolatedTerm}. Leader ${leader.id} saw a higher term and stepped down, and the cluster had to elect again for no reason: node ${now?.id ?? "none"} now leads term ${now?.currentTerm ?? "-"}.`,
      { label: "back" },
    );
    return finishStory(
      sim,
      `PreVote ${withPreVote ? "on" : "off"}: node ${lonely} ${isolatedTerm === term ? `stayed in term ${term}` : `climbed to term ${isolatedTerm}`} while cut off; leader before node ${leader.id} (term ${term}), after node ${now?.id ?? "none"} (term ${now?.currentTerm ?? "-"}); ${now?.currentTerm === term ? "no election was needed" : "the return forced a new election"}.`,
    );
  },
};
