// Lesson 6, scenario 1: the seed's `consensus_demo.py raft` run, reproduced exactly with its toy replication, and where it differs from Raft.

import { Simulation, type Message, type TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { toyRaftNodes, type ToyMessage, type ToyView } from "./toy-raft.js";

const NODES = [0, 1, 2, 3, 4];
const ALIVE = [0, 2, 4];
const LEADER = 2;
const VALUES = ["x=1", "x=2", "x=3"];
/** Which followers each proposal reaches, as in the seed's printed run. */
const REACHES: Readonly<Record<string, readonly number[]>> = { "x=1": [0], "x=2": [0, 4], "x=3": [0] };
const MAJORITY = Math.floor(NODES.length / 2) + 1;
/** When the first proposal is made (the election is over by then), how far apart proposals are, and how long a cut lasts. */
const FIRST_PROPOSAL = 30;
const STEP_MS = 20;
const HEAL_AFTER = 15;

function describeToy(e: TraceEvent): string | undefined {
  const m = (e.kind === "send" || e.kind === "deliver" ? e.msg : undefined) as ToyMessage | undefined;
  // A vote is told when it is sent; an append when the follower receives it and appends.
  if (e.kind === "send" && m?.type === "ToyVote") return `  Node ${e.from}: votes for candidate ${e.to} (term ${m.term})`;
  if (e.kind === "deliver" && m?.type === "ToyAppend") return `  Follower ${e.to}: appended '${m.value}' at log[${m.slot}] (term ${m.term})`;
  return undefined;
}

/** What each proposal's step shows about the toy, said right after the seed's own line for it. */
const DIFFERENCES: Readonly<Record<string, () => string>> = {
  "x=1": () =>
    `Where real Raft differs: the toy sends x=1 to node 4 once and never again. A Raft leader goes on sending AppendEntries to every follower, heartbeats included; a follower that lacks entries refuses them, and the leader then sends what it lacks.`,
  "x=2": () =>
    `Where real Raft differs: follower 4 stored x=2 at log[1] while its log[0] is empty; the toy checks nothing. A Raft follower accepts entries only right after an entry it holds with the same index and term (the consistency check), so node 4 would refuse x=2 until it had x=1. And the toy counts acknowledgments for log[1] alone; Raft commits a prefix of the log, never an entry with an uncommitted one before it.`,
  "x=3": () => `Where real Raft differs: as with x=1, the toy gives up on node 4. A Raft leader would find out, from node 4's first refusal once the link works, that x=3 is missing, and send it.`,
};

export const seedDemo: Scenario = {
  id: "seed-demo",
  title: "The seed's toy Raft run, made exact",
  summary:
    "Five nodes, only 0, 2 and 4 alive. Node 2 wins term 1 with the votes of 0 and 4. 'x=1' reaches only follower 0 (2 acknowledgments of the 3 needed), 'x=2' reaches 0 and 4 and is declared committed, 'x=3' reaches only 0. The toy ends with log[1] committed and log[0] not: real Raft can never end that way. After each step the run says where real Raft would differ.",
  protocol: "raft",
  defaultSeed: 1,
  describe: describeToy,
  run({ seed }) {
    // Every crash, cut, request and heal is scheduled up front, so each is a step of its own and a jump to a label
    // shows exactly what happened before it.
    const start = (slot: number) => FIRST_PROPOSAL + slot * STEP_MS;
    const faults = [
      ...NODES.filter((n) => !ALIVE.includes(n)).map((node) => ({ at: 0, action: { type: "crash" as const, node } })),
      ...VALUES.flatMap((value, slot) =>
        ALIVE.filter((f) => f !== LEADER && !(REACHES[value] as readonly number[]).includes(f)).flatMap((f) => [
          { at: start(slot), action: { type: "cut" as const, from: LEADER, to: f } },
          { at: start(slot) + HEAL_AFTER, action: { type: "heal" as const, from: LEADER, to: f } },
        ]),
      ),
    ];
    const sim = new Simulation<ToyMessage & Message>({
      seed,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 5 } },
      createNode: toyRaftNodes(LEADER, NODES.length),
      faults,
      requests: VALUES.map((value, slot) => ({ at: start(slot), node: LEADER, op: value })),
      record: true,
    });
    const leader = () => sim.node(LEADER)?.view?.() as ToyView;
    sim.runUntilTime(0);
    sim.heading(`Alive nodes: [${ALIVE.join(", ")}]`, "alive");
    sim.note("This is the seed post's demo script rebuilt step by step: its replication is a toy, not Raft. Nodes 1 and 3 are down throughout.");
    sim.heading("Election");
    sim.runUntilTime(start(0) - 1);
    const v = leader();
    sim.note(`Node ${LEADER} is leader with ${v.votes}/${NODES.length} votes (term ${v.term}).`, { label: "election" });
    for (const [slot, value] of VALUES.entries()) {
      sim.heading(`Leader ${LEADER} proposes log[${slot}]='${value}'`);
      sim.runUntilTime(start(slot + 1) - 1);
      const acks = leader().acks[slot] ?? 1;
      sim.note(leader().committed[slot] ? `-> committed '${value}' with ${acks}/${NODES.length} acks` : `-> not committed '${value}' (acks=${acks}, need ${MAJORITY})`, { label: `propose-${slot}` });
      sim.note((DIFFERENCES[value] as () => string)(), { label: `differs-${slot}` });
    }
    const final = leader();
    const chosen = final.log.map((value, slot) => (final.committed[slot] ? `'${value}'` : "None"));
    const msgs = sim.trace.filter((e) => e.kind === "deliver" && (e.msg.type === "ToyVoteRequest" || e.msg.type === "ToyAppend")).length;
    const sent = sim.trace.filter((e) => e.kind === "send").length;
    const votesAndAcks = sim.trace.filter((e) => e.kind === "send" && (e.msg.type === "ToyVote" || e.msg.type === "ToyAck")).length;
    const lost = sim.trace.filter((e) => e.kind === "drop").length;
    sim.note(
      `The toy calls log[1] committed while log[0] is not: follower 4 holds 'x=2' in a log with a hole before it. Raft forbids exactly this: an entry is only stored after the entries before it, and committing an entry commits everything before it. The next scenario replays the same run with real Raft.`,
      { label: "toy-flaw" },
    );
    sim.note(
      `The seed's "msgs=${msgs}" counts only the vote requests and appends that arrived. The toy sent ${sent} messages in all: ${votesAndAcks} of them votes and acknowledgments, and ${lost} lost on the way to nodes that were down or across a cut link. Real Raft's run, next, sends more still: heartbeats go out even when there is nothing new, and the entries a follower refused for lack of earlier ones are sent again.`,
      { label: "msgs" },
    );
    const result = `leader=${LEADER}, chosen_sequence=[${chosen.join(", ")}], msgs=${msgs}`;
    sim.note(result, { style: "result" });
    return { sim: sim as unknown as Simulation<Message>, result };
  },
};
