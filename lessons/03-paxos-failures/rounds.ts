// Proposer rounds read back from a trace: who started which ballot, and whether a rival's higher number pre-empted it.

import type { NodeId, TraceEvent } from "@course/sim";
import { compareBallots, majority, sameBallot, type Ballot } from "@course/paxos";

export interface ProposerRound {
  readonly proposer: NodeId;
  readonly ballot: Ballot;
  /** Trace position and time of the round's first prepare. */
  readonly startSeq: number;
  readonly startTime: number;
  /** Abandoned because the proposer heard of a higher number: a refusal naming it, or a rival's prepare. */
  readonly preempted: boolean;
  /** A majority of acceptors accepted this ballot's value. */
  readonly chosen: boolean;
}

type Send = Extract<TraceEvent, { kind: "send" }>;
type Deliver = Extract<TraceEvent, { kind: "deliver" }>;
interface BallotMsg {
  readonly type: string;
  readonly n: Ballot;
}

/**
 * Every round any proposer started, in the order they started. A round ends when its proposer starts its next
 * one. It was pre-empted if it was not chosen and, before it ended, its proposer received a nack for it or gave
 * it up on receiving a rival's higher prepare. Works for any protocol whose prepare, nack and accepted messages
 * carry the proposal number as `n`.
 */
export function proposerRounds(trace: readonly TraceEvent[], clusterSize: number): ProposerRound[] {
  const starts: Send[] = [];
  for (const e of trace) {
    if (e.kind !== "send" || e.msg.type !== "prepare") continue;
    const n = (e.msg as BallotMsg).n;
    if (!starts.some((s) => s.from === e.from && sameBallot((s.msg as BallotMsg).n, n))) starts.push(e);
  }
  return starts.map((start) => {
    const ballot = (start.msg as BallotMsg).n;
    const next = starts.find((s) => s.from === start.from && s.seq > start.seq);
    const end = next?.seq ?? Infinity;
    const heard = trace.filter((e): e is Deliver => e.kind === "deliver" && e.to === start.from && e.seq > start.seq && e.seq < end);
    const refused = heard.some((e) => e.msg.type === "nack" && sameBallot((e.msg as BallotMsg).n, ballot));
    // A proposer without backoff gives up the moment a rival's higher prepare reaches it: it starts over in that step.
    const overtaken = heard.some((e) => e.msg.type === "prepare" && e.from !== start.from && compareBallots((e.msg as BallotMsg).n, ballot) > 0 && e.step === next?.step);
    const acceptedBy = new Set(trace.filter((e): e is Send => e.kind === "send" && e.msg.type === "accepted" && sameBallot((e.msg as BallotMsg).n, ballot)).map((e) => e.from));
    const chosen = acceptedBy.size >= majority(clusterSize);
    return { proposer: start.from, ballot, startSeq: start.seq, startTime: start.time, preempted: (refused || overtaken) && !chosen, chosen };
  });
}

/** The longest run of consecutive rounds (in start order) that were all pre-empted: the length of the duel. */
export function longestPreemptedStreak(rounds: readonly ProposerRound[]): number {
  let best = 0;
  let run = 0;
  for (const r of rounds) {
    run = r.preempted ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
