// Each protocol's own narration of trace events, so a counterexample reads like a lesson.

import type { TraceEvent } from "@course/sim";
import { describeTwoPcEvent } from "@course/twopc";
import { describeMultiPaxosEvent, describePaxosEvent } from "@course/paxos";
import { raftDescriber } from "@course/raft";
import type { ProtocolName } from "./types.js";

export function describerFor(protocol: ProtocolName): (e: TraceEvent) => string | undefined {
  switch (protocol) {
    case "2pc":
      return describeTwoPcEvent;
    case "paxos":
      return describePaxosEvent;
    case "multi-paxos":
      return describeMultiPaxosEvent;
    case "raft":
      return raftDescriber();
  }
}
