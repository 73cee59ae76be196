// The Raft invariant checkers against hand-driven fake servers: states no correct server reaches, set up directly.

import { describe, expect, it } from "vitest";
import { Simulation, type NodeFactory, type NodeId } from "@course/sim";
import { RaftLog, type LogEntry, type RaftMessage, type Role } from "@course/raft";
import { appliedEntriesDurable, leaderCompleteness, type RaftHook } from "../src/index.js";

/**
 * What a test tells a fake server to become, as a client op: its role, term, log (as entry terms), commit index,
 * and optionally its configuration, how far it applied the log, and whether the log is written to its disk.
 */
interface FakeState {
  readonly role: Role;
  readonly term: number;
  readonly terms: readonly number[];
  readonly commit: number;
  readonly members?: readonly NodeId[];
  readonly applied?: number;
  readonly onDisk?: boolean;
}

/** A server that does nothing by itself: the fields the checkers read are whatever the last request set. */
const fakeServer: NodeFactory<RaftMessage> = (ctx) => {
  const node = {
    id: ctx.id,
    role: "follower" as Role,
    currentTerm: 0,
    log: new RaftLog(),
    commitIndex: 0,
    lastApplied: 0,
    members: ctx.nodes,
    recentlyApplied: [] as LogEntry[],
    onMessage() {},
    onTimer() {},
    onClientRequest(request: { readonly op: unknown }, c: typeof ctx) {
      const s = request.op as FakeState;
      const log = new RaftLog();
      const entries = s.terms.map((term, k): LogEntry => ({ index: k + 1, term, command: { kind: "noop" } }));
      log.append(entries);
      const applied = s.applied ?? 0;
      Object.assign(node, { role: s.role, currentTerm: s.term, log, commitIndex: s.commit, lastApplied: applied, members: s.members ?? ctx.nodes, recentlyApplied: entries.slice(0, applied) });
      // The layout of @course/raft's storage module: one key per entry, and the last index.
      if (s.onDisk === true) {
        for (const e of entries) c.persist(`entry:${e.index}`, e);
        c.persist("logLast", entries.length);
      }
    },
  };
  return node;
};

function run(steps: ReadonlyArray<readonly [number, FakeState]>, hook: RaftHook = leaderCompleteness(), nodes: NodeId[] = [1, 2, 3]) {
  const sim = new Simulation<RaftMessage>({ seed: 1, nodes, createNode: fakeServer, hooks: [hook], record: false });
  for (const [node, state] of steps) if (!sim.stopped) sim.request(node, state);
  return sim;
}

describe("Leader Completeness on fake servers", () => {
  const oldLeaderCommits = [2, { role: "leader", term: 1, terms: [1, 1], commit: 2 }] as const;
  const newLeaderWithoutIt = [1, { role: "leader", term: 2, terms: [1], commit: 0 }] as const;

  it("fires when a leader of term 2 lacks an entry committed in term 1", () => {
    expect(run([oldLeaderCommits, newLeaderWithoutIt]).violation?.checker).toBe("Leader Completeness");
  });

  it("fires when the commit becomes known only after the later leader took office", () => {
    // Same states, other order: the term-1 leader's commit index moves after node 1 already leads term 2.
    expect(run([newLeaderWithoutIt, oldLeaderCommits]).violation?.checker).toBe("Leader Completeness");
  });

  it("binds only leaders of terms after the commit: Figure 8's deposed S5 of term 3 may lack what term 4 commits", () => {
    const staleLeader = [3, { role: "leader", term: 3, terms: [1, 3], commit: 0 }] as const;
    const commitsInTerm4 = [1, { role: "leader", term: 4, terms: [1, 2, 4], commit: 3 }] as const;
    expect(run([staleLeader, commitsInTerm4]).violation).toBeUndefined();
    const laterLeaderWithout = [2, { role: "leader", term: 5, terms: [1, 3], commit: 0 }] as const;
    expect(run([staleLeader, commitsInTerm4, laterLeaderWithout]).violation?.checker).toBe("Leader Completeness");
  });

  it("stays quiet when the later leader holds the entry", () => {
    expect(run([[1, { role: "leader", term: 2, terms: [1, 1], commit: 0 }], oldLeaderCommits]).violation).toBeUndefined();
  });
});

describe("Applied Entries Durable on fake servers", () => {
  const NODES = [1, 2, 3, 4, 5];
  const members = [1, 2, 3];
  const copy = (id: number): readonly [number, FakeState] => [id, { role: "follower", term: 1, terms: [1], commit: 0, members, onDisk: true }];
  const leaderApplies: readonly [number, FakeState] = [1, { role: "leader", term: 1, terms: [1], commit: 1, applied: 1, members, onDisk: true }];

  it("counts only the configuration's members: copies on servers 4 and 5, outside it, do not make an entry safe", () => {
    const sim = run([copy(4), copy(5), leaderApplies], appliedEntriesDurable(), NODES);
    sim.apply({ type: "crash", node: 2 });
    expect(sim.violation?.checker).toBe("Applied Entries Durable");
  });

  it("stays quiet when a majority of members hold it", () => {
    const sim = run([copy(2), leaderApplies], appliedEntriesDurable(), NODES);
    sim.apply({ type: "crash", node: 3 });
    expect(sim.violation).toBeUndefined();
  });
});
