// Scenario 5: the same two clients in Raft: both reach followers, both are sent to the one leader, nothing is lost.

import { finishStory, raftDescriber, type ClientResult, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { FIVE, raftCluster } from "./clusters.js";
import { basicContentionLine, EVEN_NETWORK, measureBasicContention, RIVALS, VALUES, type ContentionResult } from "./contention-basic.js";
import { networkSends } from "./measure.js";
import { contentionSpreadLine, contentionSpreads } from "./distributions.js";
import type { TraceEvent } from "@course/sim";

/** Two clients talk at once here, so each answer says whose it is. */
function withClientNames(describe: (e: TraceEvent) => string | undefined): (e: TraceEvent) => string | undefined {
  return (e) => {
    const line = describe(e);
    if (e.kind !== "client-reply" || line === undefined) return line;
    return line.replace("the client", e.client);
  };
}

const LEADER = 0;

export function measureRaftContention(seed: number, narrate = false) {
  const sim = raftCluster(seed, { firstTimeouts: { [LEADER]: 10 } }, { network: EVEN_NETWORK });
  const node = (n: number) => sim.node<RaftNode>(n);
  if (narrate) sim.heading(`Node ${LEADER} is leader; the followers know it`, "leader");
  sim.runUntil(() => FIVE.every((n) => node(n)?.leaderId === LEADER), { timeout: 2000 });
  const from = sim.trace.length;
  const start = sim.now;
  if (narrate) sim.heading(`Clients at nodes ${RIVALS[0]} and ${RIVALS[1]} send '${VALUES[0]}' and '${VALUES[1]}' at the same moment`, "race");
  // A follower does not take commands: it names the leader, and the client sends the command there.
  const first = RIVALS.map((n, i) => sim.request(n, `${VALUES[i]}=1`, `client-${VALUES[i]}`));
  const redirected = first.map((id, i) => {
    const hint = (sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined);
    const to = hint !== undefined && !hint.ok && hint.leaderHint != null ? hint.leaderHint : LEADER;
    return sim.request(to, `${VALUES[i]}=1`, `client-${VALUES[i]}`);
  });
  const answered = (id: number) => sim.requests.find((r) => r.request.id === id)?.replyAt;
  sim.runUntil(() => redirected.every((id) => answered(id) !== undefined), { timeout: 2000 });
  sim.runFor(20);
  const leader = node(LEADER);
  const committed = (leader?.log.all() ?? []).filter((e) => e.index <= (leader?.commitIndex ?? 0) && e.command.kind === "client").map((e) => (e.command.kind === "client" ? e.command.op.key : "?"));
  const result: ContentionResult = {
    answeredMs: redirected.map((id) => {
      const at = answered(id);
      return at === undefined ? undefined : at - start;
    }),
    committed,
    rounds: RIVALS.map(() => 0),
    preempted: RIVALS.map(() => 0),
    messages: networkSends(sim.trace, from).length,
  };
  return { sim, result, redirects: first.length };
}

export function raftContentionLine(r: ContentionResult): string {
  return `Raft: '${r.committed.join("', '")}' committed, in that order, after ${r.answeredMs.map((t) => (t === undefined ? "?" : Math.round(t))).join(" and ")} ms; no round lost (a follower has no rounds to lose: it names the leader); ${r.messages} network messages`;
}

export const contentionRaft: Scenario = {
  id: "contention-raft",
  title: "The same contention in Raft: one leader orders both",
  summary:
    "The same two clients, the same moment, the same even network. Both reach followers, which do not compete: they name the leader, and the clients send their commands there. The leader puts them one after the other in its log and commits both in one round trip each. Then both runs side by side.",
  protocol: "raft",
  defaultSeed: 1,
  describe: withClientNames(raftDescriber()),
  run({ seed }) {
    const { sim, result, redirects } = measureRaftContention(seed, true);
    sim.heading("Side by side", "side-by-side");
    const basic = measureBasicContention(seed).result;
    sim.note(
      `${redirects} requests were turned away with the leader's name. This Raft server answers "not the leader, try node ${LEADER}" and the client goes there; etcd's servers forward the command themselves, as this Multi-Paxos does. Either way a follower never competes, so contention costs a redirect, not a lost round. (The trip between a client and a server is not simulated, so the redirect costs no simulated time here; in a real system it is one more round trip.)`,
      { label: "redirect" },
    );
    sim.note(basicContentionLine(basic));
    sim.note(raftContentionLine(result));
    sim.note(
      `Basic Paxos has no leader, so every proposer must fight for the instance, and a lost fight means a whole new instance for the loser's command. Raft settles who may propose once, at election time, and then contention is just a queue at the leader. Multi-Paxos gets the same effect by electing a distinguished proposer.`,
      { label: "what-it-means" },
    );
    sim.note(contentionSpreadLine(contentionSpreads()), { label: "over-seeds" });
    return finishStory(sim, `${basicContentionLine(basic)}. ${raftContentionLine(result)}.`);
  },
};
