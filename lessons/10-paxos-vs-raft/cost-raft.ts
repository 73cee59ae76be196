// Scenario 3: Raft with a stable leader, measured like the two before it, and the three side by side.

import { finishStory, raftDescriber, type AppendEntries, type RaftNode, type RaftOptions } from "@course/raft";
import { messageDelaysUntil } from "@course/paxos";
import type { TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { FIVE, raftCluster, replyOf } from "./clusters.js";
import { measureBasicPaxos } from "./cost-basic.js";
import { COMMANDS, GAP, measureMultiPaxos } from "./cost-multi.js";
import { costLine, trafficLine, type CostRow } from "./cost-row.js";
import { commandMessages, involvement, mean, num, percent } from "./measure.js";
import { quietAfterFirstAnswer } from "./quiet.js";
import { costSpreadLine, costSpreads, perCommandLine } from "./distributions.js";
import { formatSpread, SEEDS } from "./seeds.js";

const LEADER = 0;

/** `options` changes the servers' settings (the lesson's other number: `{ pipeline: false }`). */
export function measureRaft(seed: number, narrate = false, options: RaftOptions = {}) {
  const sim = raftCluster(seed, { ...options, firstTimeouts: { [LEADER]: 10 } });
  const node = (n: number) => sim.node<RaftNode>(n);
  if (narrate) sim.heading(`Node ${LEADER} is elected leader`, "election");
  sim.runUntil(() => node(LEADER)?.role === "leader", { timeout: 2000 });
  sim.runFor(40);
  if (narrate) sim.heading(`Steady state: ${COMMANDS.length} commands, one after another`, "steady");
  const windowStart = sim.trace.length;
  const row = { messages: [] as number[], network: [] as number[], delays: [] as number[], everywhereMs: [] as number[] };
  for (const command of COMMANDS) {
    const from = sim.trace.length;
    const startedAt = sim.now;
    const id = sim.request(LEADER, command);
    sim.runUntil(() => replyOf(sim, id) !== undefined, { timeout: 2000 });
    const index = (replyOf(sim, id)?.result as { index?: number } | undefined)?.index ?? -1;
    sim.runUntil(() => FIVE.every((n) => (node(n)?.lastApplied ?? 0) >= index), { timeout: 2000 });
    row.everywhereMs.push(sim.now - startedAt);
    sim.runFor(GAP);
    const caused = commandMessages(sim.trace, from, (m) => m.type === "AppendEntries" && (m as AppendEntries).entries.some((e) => e.index === index));
    row.messages.push(caused.total);
    row.network.push(caused.network);
    row.delays.push(messageDelaysUntil(sim.trace, (e: TraceEvent) => e.kind === "client-reply" && e.requestId === id, from) ?? -1);
  }
  const full: CostRow = { protocol: "Raft", ...row, hub: LEADER, traffic: involvement(sim.trace, FIVE, LEADER, windowStart) };
  return { sim, row: full };
}

export const costRaft: Scenario = {
  id: "cost-raft",
  title: "Raft: the same commands, and the three side by side",
  summary:
    "The leader sends each new entry to the four followers, they acknowledge to the leader alone, and the leader commits and answers. Followers learn that an entry is committed from the leader's next message. Then the three protocols' numbers, all measured on this seed, side by side.",
  protocol: "raft",
  defaultSeed: 1,
  describe: quietAfterFirstAnswer(raftDescriber()),
  run({ seed }) {
    const { sim, row } = measureRaft(seed, true);
    sim.heading("The bill", "bill");
    sim.note(
      `Each command: one AppendEntries to each of the 4 followers and one reply each: ${row.messages.join("/")} messages, all over the network (Raft never messages itself)${Math.max(...row.messages) > Math.min(...row.messages) ? "; a command costs more when an entry has to be sent again" : ""}. ${row.delays.join("/")} message delays from request to answer, as in Multi-Paxos.`,
      { label: "messages" },
    );
    sim.note(
      `The followers only learn the new commit index from the leader's next AppendEntries (the next command or a heartbeat, every 50 ms): every replica had applied each command ${row.everywhereMs.map((ms) => Math.round(ms)).join("/")} ms after the request. Fewer messages, later knowledge.`,
      { label: "followers-learn-late" },
    );
    sim.note(trafficLine(row), { label: "traffic" });

    sim.heading(`Side by side (seed ${seed}, same simulator, same network)`, "side-by-side");
    const basic = measureBasicPaxos(seed).row;
    const multi = measureMultiPaxos(seed).row;
    for (const r of [basic, multi, row]) sim.note(costLine(r));
    const avg = (r: CostRow) => mean(r.messages as number[]);
    sim.note(
      `Basic Paxos pays both phases per command (${num(avg(basic))} messages, ${basic.delays[0]} delays). A stable leader brings the delays down to ${num(mean(multi.delays as number[]))} in Multi-Paxos and ${num(mean(row.delays as number[]))} in Raft: phase 1, or the election, is paid once for many commands. ` +
        `They differ in who learns what: Multi-Paxos here sends every accepted to every learner (${num(avg(multi))} messages per command, all replicas know at once), Raft funnels acknowledgments through the leader (${num(avg(row))} messages; followers learn at the next heartbeat). ` +
        `The price of Raft's thrift is the leader: it is at one end of ${percent(row.traffic.share)} of all messages, against ${percent(multi.traffic.share)} for the Multi-Paxos leader. A Multi-Paxos that sent accepted only to its leader would look like Raft here; the algorithms differ less than their usual implementations.`,
      { label: "what-it-means" },
    );

    sim.heading(`The same measurements on seeds 1 to ${SEEDS}`, "over-seeds");
    const spreads = costSpreads();
    for (const c of [spreads.basic, spreads.multi, spreads.raft]) sim.note(costSpreadLine(c));
    const constant = [spreads.basic, spreads.multi, spreads.raft].filter((c) => c.messages.min === c.messages.max).map((c) => c.protocol);
    const unpipelined = spreads.raftUnpipelined;
    sim.note(
      `On these runs without faults, every command took the same number of message delays on every seed, and ${constant.length === 3 ? "every protocol's commands cost the same messages on every seed" : `the commands of ${constant.join(" and ")} cost the same messages on every seed`}: only the milliseconds moved. ` +
        `Per Raft command: ${perCommandLine(spreads.raft)}. This Raft pipelines, as etcd does: the leader counts an entry as on its way to a follower the moment it sends it, so a heartbeat that falls due before the acknowledgment carries no entry. ` +
        `Turn pipelining off (\`pipeline: false\`) and every send repeats the entries a follower has not acknowledged: then the count depends on timing, and moves with the seed. A run's average was ${formatSpread(unpipelined.messages, "messages per command")}; per command, ${perCommandLine(unpipelined)}.`,
      { label: "seed-dependence" },
    );
    return finishStory(sim, `per command: Basic Paxos ${num(avg(basic))} messages / ${basic.delays[0]} delays, Multi-Paxos ${num(avg(multi))} / ${num(mean(multi.delays as number[]))}, Raft ${num(avg(row))} / ${num(mean(row.delays as number[]))}; share of traffic through the leader: Multi-Paxos ${percent(multi.traffic.share)}, Raft ${percent(row.traffic.share)}.`);
  },
};
