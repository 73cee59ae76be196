// Scenario 3: a deposed leader that does not know it: ReadIndex makes it wait; answering locally serves a stale value.

import { finishStory, leaderOf, waitForLeader } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { KvClient, attempt, formatOutcome, perform } from "./client.js";
import { electionNoop, explainNoop, FIRST_LEADER, FIVE, kvCluster, server } from "./cluster.js";
import { checkHistory } from "./history.js";
import { kvDescriber } from "./narrate.js";

const OLD = FIRST_LEADER;
const MAJORITY_SIDE = FIVE.filter((id) => id !== OLD);

export const staleRead: Scenario = {
  id: "stale-read",
  title: "Reads at a deposed leader: ReadIndex against a stale answer",
  summary:
    "Node 0 leads and x=1 is committed. Node 0 is cut off; the other four elect a new leader, and client c3 writes x=2 through it. Node 0 still believes it leads, and client c1 asks it for x. With ReadIndex, node 0 (whose election no-op is committed) notes its commit index and then needs a majority to confirm it still leads: none can, so it does not answer, and c1 gets x=2 elsewhere. In the local-reads variant it answers x=1 at once, a value already overwritten, and the checker says no order of the operations explains it.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "local-reads": "the leader answers reads from its own state at once, without confirming it still leads (no ReadIndex): a deposed leader serves stale values" },
  describe: kvDescriber(),
  run({ seed, variant }) {
    const localReads = variant === "local-reads";
    const sim = kvCluster(seed, localReads ? { unsafeLocalReads: true } : {});
    const c1 = new KvClient("c1", FIVE, { firstGuess: OLD });
    const c2 = new KvClient("c2", FIVE, { firstGuess: 3 });
    const c3 = new KvClient("c3", FIVE, { firstGuess: 3 });
    sim.heading(`Node ${OLD} leads; c2 writes x=1`);
    const elected = waitForLeader(sim, 2000);
    if (elected !== undefined) explainNoop(sim, elected, "noop");
    sim.runUntil(() => FIVE.every((id) => server(sim, id)?.leaderId === OLD), { timeout: 1000 });
    const calls = [...perform(sim, [[c2, { type: "put", key: "x", value: "1" }]])];
    sim.runFor(30);

    sim.heading(`Node ${OLD} is cut off; the other four elect a new leader, and c3 writes x=2 there`);
    sim.apply({ type: "partition", groups: [[OLD], MAJORITY_SIDE] });
    const newLeader = (() => {
      sim.runUntil(() => MAJORITY_SIDE.some((id) => server(sim, id)?.role === "leader"), { timeout: 2000 });
      return MAJORITY_SIDE.find((id) => server(sim, id)?.role === "leader");
    })();
    calls.push(...perform(sim, [[c3, { type: "put", key: "x", value: "2" }]]));
    // A moment passes, so the write has clearly finished before the read below begins.
    sim.runFor(5);
    const old = server(sim, OLD);
    const fresh = newLeader === undefined ? undefined : server(sim, newLeader);
    const freshNoop = fresh === undefined ? undefined : electionNoop(fresh);
    sim.note(
      `${freshNoop === undefined ? "" : `Leader ${newLeader}'s first entry of its term is again a no-op (index ${freshNoop.index}). `}x=2 is committed by leader ${newLeader ?? "?"} in term ${newLeader === undefined ? "?" : server(sim, newLeader)?.currentTerm}, and c3 has its answer. Node ${OLD} heard none of it: it is still '${old?.role}' of term ${old?.currentTerm}, and its state machine says x='${old?.kv.get("x") ?? ""}'.`,
      { label: "two-leaders" },
    );

    sim.heading(`c1, which still talks to node ${OLD}, reads x`);
    const read = c1.begin({ type: "get", key: "x" }, sim.now);
    const first = attempt(sim, c1, read, OLD);
    const answerTo = () => sim.requests.find((r) => r.request.id === first)?.result as { ok?: boolean; value?: string | null } | undefined;
    sim.runUntil(() => answerTo() !== undefined, { timeout: c1.timeout });
    const firstAnswer = answerTo();
    if (firstAnswer?.ok) {
      read.finishedAt = sim.requests.find((r) => r.request.id === first)?.replyAt ?? sim.now;
      read.result = { ok: true, value: firstAnswer.value ?? null };
      calls.push(read);
      sim.note(`Node ${OLD} answered from its own state machine without asking anyone: x='${firstAnswer.value ?? ""}'. But x=2 was committed, and acknowledged to c3, before c1 even asked. c1 has read the past.`, { label: "stale" });
    } else {
      sim.note(
        `Node ${OLD} did not answer. ReadIndex first needs an entry of the leader's term committed, which node ${OLD}'s no-op of term ${old?.currentTerm} is; then the leader notes its commit index, sends a heartbeat round and waits for a majority to acknowledge it as leader of term ${old?.currentTerm}. Nobody on the other side of the cut can: the read waits, and after ${c1.timeout} ms c1 tries another server.`,
        { label: "read-index-waits" },
      );
      calls.push(...perform(sim, [[c1, read]]));
      sim.note(`c1 now has x=${read.result?.ok ? `'${read.result.value ?? ""}'` : "?"}, from leader ${leaderOf(sim)?.id ?? "?"}, which confirmed its leadership with a majority before answering.`, { label: "read-elsewhere" });
    }

    sim.heading("The partition heals");
    sim.apply({ type: "heal" });
    sim.runFor(200);
    const back = server(sim, OLD);
    sim.note(`Node ${OLD} hears the newer term ${back?.currentTerm}, steps down to ${back?.role}, and its log and state catch up: x='${back?.kv.get("x") ?? ""}'.`, { label: "healed" });
    const verdict = checkHistory(sim, calls);
    sim.note(`Linearizability check: ${verdict.text}.`, { label: "verdict" });
    return finishStory(
      sim,
      `x=2 committed by leader ${newLeader ?? "?"} before c1 asked deposed leader ${OLD}; node ${OLD} ${firstAnswer?.ok ? `answered '${firstAnswer.value ?? ""}' at once (stale)` : "never answered (ReadIndex found no majority)"}; c1 read ${formatOutcome(read)}; history ${verdict.text}.`,
    );
  },
};
