// Lesson 6, scenario 1: the seed's `consensus_demo.py raft` run, reproduced exactly with its toy replication.

import { Simulation, type Message, type TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { toyRaftNodes, type ToyMessage, type ToyView } from "./toy-raft.js";

const NODES = [0, 1, 2, 3, 4];
const ALIVE = [0, 2, 4];
const LEADER = 2;
const VALUES = ["x=1", "x=2", "x=3"];
/** Which followers each proposal reaches, as in the seed's printed run. */
const REACHES: Readonly<Record<string, readonly number[]>> = { "x=1": [0], "x=2": [0, 4], "x=3": [0] };

function describeToy(e: TraceEvent): string | undefined {
  const m = (e.kind === "send" || e.kind === "deliver" ? e.msg : undefined) as ToyMessage | undefined;
  // A vote is told when it is sent; an append when the follower receives it and appends.
  if (e.kind === "send" && m?.type === "ToyVote") return `  Node ${e.from}: votes for candidate ${e.to} (term ${m.term})`;
  if (e.kind === "deliver" && m?.type === "ToyAppend") return `  Follower ${e.to}: appended '${m.value}' at log[${m.slot}] (term ${m.term})`;
  return undefined;
}

export const seedDemo: Scenario = {
  id: "seed-demo",
  title: "The seed's toy Raft run, made exact",
  summary: "Five nodes, only 0, 2 and 4 alive. Node 2 wins term 1 with the votes of 0 and 4. 'x=1' reaches only follower 0 (2 acknowledgements of the 3 needed), 'x=2' reaches 0 and 4 and is declared committed, 'x=3' reaches only 0. The toy ends with log[1] committed and log[0] not: real Raft can never end that way.",
  protocol: "raft",
  defaultSeed: 1,
  describe: describeToy,
  run({ seed }) {
    const sim = new Simulation<ToyMessage & Message>({
      seed,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 5 } },
      createNode: toyRaftNodes(LEADER, NODES.length),
      record: true,
    });
    for (const n of NODES) if (!ALIVE.includes(n)) sim.apply({ type: "crash", node: n });
    const leader = () => sim.node(LEADER)?.view?.() as ToyView;
    sim.heading(`Alive nodes: [${ALIVE.join(", ")}]`, "alive");
    sim.note("This is the seed post's demo script rebuilt step by step: its replication is a toy, not Raft. Nodes 1 and 3 are down throughout.");
    sim.heading("Election", "election");
    sim.runUntilTime(30);
    const v = leader();
    sim.note(`Node ${LEADER} is leader with ${v.votes}/${NODES.length} votes (term ${v.term}).`);
    for (const [slot, value] of VALUES.entries()) {
      sim.heading(`Leader ${LEADER} proposes log[${slot}]='${value}'`, `propose-${slot}`);
      const reach = REACHES[value] as readonly number[];
      for (const f of ALIVE) if (f !== LEADER && !reach.includes(f)) sim.apply({ type: "cut", from: LEADER, to: f });
      sim.request(LEADER, value);
      sim.runFor(20);
      sim.apply({ type: "heal" });
      const acks = leader().acks[slot] ?? 1;
      sim.note(leader().committed[slot] ? `-> committed '${value}' with ${acks}/${NODES.length} acks` : `-> not committed '${value}' (acks=${acks}, need 3)`);
    }
    const final = leader();
    const chosen = final.log.map((value, slot) => (final.committed[slot] ? `'${value}'` : "None"));
    const msgs = sim.trace.filter((e) => e.kind === "deliver" && (e.msg.type === "ToyVoteRequest" || e.msg.type === "ToyAppend")).length;
    sim.note(
      `The toy calls log[1] committed while log[0] is not: follower 4 holds 'x=2' in a log with a hole before it. Raft forbids exactly this: an entry is only stored after the entries before it, and committing an entry commits everything before it. The next scenario replays the same run with real Raft.`,
      { label: "toy-flaw" },
    );
    const result = `leader=${LEADER}, chosen_sequence=[${chosen.join(", ")}], msgs=${msgs}`;
    sim.note(result, { style: "result" });
    return { sim: sim as unknown as Simulation<Message>, result };
  },
};
