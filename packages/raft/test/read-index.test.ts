// ReadIndex (thesis §6.4) acknowledgements: only a reply to the leader's own term may confirm its leadership for a read.

import { describe, expect, it } from "vitest";
import { Rng, type NodeContext } from "@course/sim";
import { RaftNode, type AppendEntriesReply, type RaftMessage } from "../src/index.js";

/** A bare context for driving one server by hand: no storage, no timers, sends collected in a list. */
function handContext(id: number, sent: RaftMessage[]): NodeContext<RaftMessage> {
  return {
    id,
    now: 0,
    nodes: [1, 2, 3],
    rng: new Rng(1),
    storage: { get: () => undefined, has: () => false, keys: () => [] },
    persist() {},
    unpersist() {},
    send: (_to, msg) => void sent.push(msg),
    broadcast() {},
    setTimer() {},
    cancelTimer() {},
    reply() {},
    note() {},
  };
}

describe("ReadIndex acknowledgements", () => {
  it("a refusal of a stale-term AppendEntries does not echo its readSeq", () => {
    // A leader's readSeq is volatile: after a restart it counts from 0 again, so an old term's read number echoed
    // under the new term would confirm a read that no heartbeat of the new term has been acknowledged for.
    const sent: RaftMessage[] = [];
    const ctx = handContext(2, sent);
    const follower = new RaftNode(ctx, {});
    follower.onMessage(3, { type: "RequestVote", term: 2, candidateId: 3, lastLogIndex: 0, lastLogTerm: 0 }, ctx);
    expect(follower.currentTerm).toBe(2);
    follower.onMessage(1, { type: "AppendEntries", term: 1, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, readSeq: 5 }, ctx);
    const reply = sent.at(-1) as AppendEntriesReply;
    expect(reply).toMatchObject({ type: "AppendEntriesReply", term: 2, success: false });
    expect(reply.readSeq).toBeUndefined();
  });

  it("a reply in the sender's own term still echoes it", () => {
    const sent: RaftMessage[] = [];
    const ctx = handContext(2, sent);
    const follower = new RaftNode(ctx, {});
    follower.onMessage(1, { type: "AppendEntries", term: 1, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, readSeq: 5 }, ctx);
    expect(sent.at(-1)).toMatchObject({ type: "AppendEntriesReply", term: 1, success: true, readSeq: 5 });
  });
});
