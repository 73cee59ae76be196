// Lesson 5, scenario 5: CheckQuorum makes a leader cut off from a majority step down, so its clients stop waiting on it.

import { finishStory, raftDescriber, waitForLeader, type ClientResult, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { FIVE, listed, nextStep, raftCluster, server } from "./cluster.js";

/** How long the two sides stay apart. */
const PARTITION_MS = 1500;

function errorOf(result: ClientResult | undefined): string {
  return result === undefined ? "no answer" : result.ok ? "done" : result.error;
}

export const checkQuorum: Scenario = {
  id: "check-quorum",
  title: "CheckQuorum: a leader without a majority steps down",
  summary:
    "The leader and one follower are cut off from the other three. The three elect a leader of their own; the old leader still hears its one follower, but not a majority. With CheckQuorum it notices within two of its checks and steps down, so its clients are told to look elsewhere. Without CheckQuorum it keeps leading a term that can commit nothing: it accepts writes it can never commit, and its clients wait until the partition heals.",
  protocol: "raft",
  defaultSeed: 1,
  variants: { "without-check-quorum": "CheckQuorum turned off: the cut-off leader keeps accepting writes it can never commit, and its clients wait for as long as the partition lasts" },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const on = variant !== "without-check-quorum";
    const sim = raftCluster(seed, FIVE, { checkQuorum: on, preVote: true });
    const answer = (id: number) => sim.requests.find((r) => r.request.id === id);
    const result = (id: number) => answer(id)?.result as ClientResult | undefined;

    sim.heading(`A stable cluster (CheckQuorum ${on ? "on" : "off"}, PreVote on)`);
    const old = waitForLeader(sim, 2000) as RaftNode;
    const term = old.currentTerm;
    const period = old.options.electionTimeout.max;
    sim.runFor(100);
    const buddy = FIVE.find((id) => id !== old.id) as number;
    const minority = [old.id, buddy].sort((a, b) => a - b);
    const majority = FIVE.filter((id) => !minority.includes(id));
    sim.note(
      `Node ${old.id} leads term ${term}. ${on ? `With CheckQuorum, every ${period} ms (the longest election timeout) it checks whether it has heard from a majority since the last check, itself included, and steps down if not (thesis §6.2).` : "CheckQuorum is off: nothing makes a leader give up on its own."} ` +
        `PreVote is on, so that the failed campaigns of servers cut off from the majority do not raise their terms (the prevote scenario shows why that matters).`,
      { label: "stable" },
    );
    nextStep(sim);

    sim.heading(`Nodes ${listed(minority)} are cut off from nodes ${listed(majority)}`);
    const cutAt = sim.now;
    sim.apply({ type: "partition", groups: [minority, majority] });
    const first = sim.request(old.id, "x=1", "c1");
    sim.note(
      `Node ${old.id} can still reach node ${buddy}, but ${minority.length} of ${FIVE.length} is not a majority. A client, c1, writes x=1 to node ${old.id}, which still believes it leads: it appends the entry and sends it, but only node ${buddy} can store it.`,
      { label: "partition" },
    );

    sim.heading(`Nodes ${listed(majority)} elect a leader`);
    sim.runUntil(() => majority.some((id) => server(sim, id)?.role === "leader"), { timeout: 2000 });
    const fresh = majority.map((id) => server(sim, id)).find((n) => n?.role === "leader") as RaftNode;
    const stillLeader = server(sim, old.id)?.role === "leader";
    sim.note(
      `${(sim.now - cutAt).toFixed(0)} ms after the cut, node ${fresh.id} won term ${fresh.currentTerm} with votes from the majority side. ${stillLeader ? `Node ${old.id} still calls itself leader of term ${term}: two leaders, in different terms, and only the newer one can commit. CheckQuorum does not prevent this; it limits how long it lasts.` : `Node ${old.id} had already stepped down.`}`,
      { label: "new-leader" },
    );
    sim.heading(on ? `Node ${old.id}'s check finds no majority` : `Node ${old.id} goes on leading`);
    const window = 2 * period;
    if (on) sim.runUntil(() => server(sim, old.id)?.role !== "leader", { timeout: cutAt + window - sim.now });
    else sim.runUntilTime(cutAt + window);
    const after = server(sim, old.id) as RaftNode;
    const waited = sim.now - cutAt;
    sim.note(
      on
        ? `${waited.toFixed(0)} ms after the cut, node ${old.id}'s check found that since the previous one it had heard only from node ${buddy}: ${minority.length} of ${FIVE.length} with itself. It stepped down to ${after.role} (still term ${after.currentTerm}) and answered c1 with "${errorOf(result(first))}": it can no longer say what becomes of the write, so c1 must ask the real leader.`
        : `${waited.toFixed(0)} ms after the cut (two check periods, had CheckQuorum been on), node ${old.id} is still ${after.role} of term ${after.currentTerm}. Its x=1 is on ${FIVE.filter((id) => server(sim, id)?.log.all().some((e) => e.command.kind === "client" && e.command.op.value === "1")).length} of ${FIVE.length} servers, and c1 has no answer.`,
      { label: "check" },
    );
    nextStep(sim);

    const write = sim.request(old.id, "x=2", "c2");
    const read = sim.request(old.id, { type: "get", key: "x" }, "c2");
    sim.runFor(1);
    const w = result(write);
    const r = result(read);
    sim.note(
      w === undefined && r === undefined
        ? `Another client, c2, writes x=2 and reads x at node ${old.id}. The write is appended but can never be committed from this side; the read (ReadIndex) waits for a majority to confirm the leadership, which cannot happen. Neither is answered.`
        : `Another client, c2, writes x=2 and reads x at node ${old.id}. Both are turned away at once ("${errorOf(w)}", "${errorOf(r)}"), so c2 can go and find the leader of term ${fresh.currentTerm}.`,
      { label: "clients" },
    );

    sim.heading("The partition heals");
    sim.runUntilTime(cutAt + PARTITION_MS);
    sim.apply({ type: "heal" });
    sim.runFor(300);
    const back = server(sim, old.id) as RaftNode;
    const waits = [first, write, read].map((id) => {
      const a = answer(id);
      return a?.replyAt === undefined ? undefined : a.replyAt - a.invokedAt;
    });
    const stale = back.log.all().filter((e) => e.command.kind === "client" && e.command.client !== "client").length;
    sim.note(
      `Node ${back.id} is a ${back.role} of term ${back.currentTerm}; its log now holds ${stale === 0 ? "none of the writes c1 and c2 sent it" : `${stale} of the writes c1 and c2 sent it`}. c1 waited ${waits[0]?.toFixed(0) ?? "forever"} ms for an answer, c2 ${waits[1]?.toFixed(0) ?? "forever"} ms for its write and ${waits[2]?.toFixed(0) ?? "forever"} ms for its read.`,
      { label: "heal" },
    );
    return finishStory(
      sim,
      `CheckQuorum ${on ? "on" : "off"}: node ${old.id} ${on ? `stepped down ${waited.toFixed(0)} ms after losing its majority` : "led term 1 until the partition healed"}; clients waited ${waits.map((x) => (x === undefined ? "-" : `${x.toFixed(0)}`)).join("/")} ms (c1 write, c2 write, c2 read); node ${fresh.id} leads term ${fresh.currentTerm}.`,
    );
  },
};
