// What the explorer needs to know about each protocol: nodes, checkers, workload, symmetry, encodings, agreement.

import type { Hook, Message, NodeFactory, NodeId, Simulation } from "@course/sim";
import { checkExactlyOnceMultiPaxos, multiPaxosChecker, paxosChecker, raftAppliedOnce, raftInvariants, twoPcChecker } from "@course/check";
import { createTwoPcNode, type TwoPcNode } from "@course/twopc";
import { createMultiPaxosNode, createPaxosNode, type MultiPaxosNode, type Quorums } from "@course/paxos";
import { createRaftNode, withStateMachine, type AppendEntries, type ApplyCommand, type InstallSnapshot, type RaftMessage, type RaftNode } from "@course/raft";
import type { Bounds, ProtocolName } from "./types.js";

export type Rename = (id: NodeId) => NodeId;

/** A client operation of the workload. */
export interface WorkItem {
  readonly op: unknown;
  readonly client?: string;
}

/** What agreement means for a protocol, for the liveness mode. */
export interface Agreement {
  readonly goal: string;
  /** Called when a fault-free continuation starts (round 0) and every 100 virtual ms after: may send requests. */
  drive(sim: Simulation<Message>, round: number): void;
  done(sim: Simulation<Message>): boolean;
}

export interface ProtocolSetup {
  readonly name: ProtocolName;
  readonly nodes: readonly NodeId[];
  readonly createNode: NodeFactory<Message>;
  /** Fresh checkers: every invariant @course/check has for the protocol. */
  readonly hooks: () => Hook[];
  /** Node ids the protocol treats alike (symmetry reduction); empty when ids are ordered (ballots). */
  readonly interchangeable: readonly NodeId[];
  readonly workload: readonly WorkItem[];
  /** Nodes a client may send its next request to now. */
  targets(sim: Simulation<Message>): NodeId[];
  /** A message as text, with node ids renamed. */
  messageText(msg: Message, rename: Rename): string;
  /** A stored value (JSON text) with the node ids inside it renamed. */
  storedText(key: string, json: string, rename: Rename): string;
  readonly agreement: Agreement;
  readonly defaults: Bounds;
}

export interface SetupOptions {
  readonly nodes?: number;
  readonly rules?: Readonly<Record<string, unknown>>;
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
}

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => i);
const json = (msg: Message) => JSON.stringify(msg);
const asIs = (_key: string, text: string) => text;
const upNodes = (sim: Simulation<Message>) => sim.nodeIds.filter((id) => sim.isUp(id));

/** A request answered whose op is `op`. */
const answered = (sim: Simulation<Message>, op: unknown) => sim.requests.some((r) => r.request.op === op && r.replyAt !== undefined);

function twoPc(o: SetupOptions): ProtocolSetup {
  const nodes = ids(o.nodes ?? 4);
  const coordinator = nodes[0] as NodeId;
  return {
    name: "2pc",
    nodes,
    createNode: createTwoPcNode({ ...o.nodeOptions, rules: { ...(o.nodeOptions?.rules as object), ...o.rules } }) as NodeFactory<Message>,
    hooks: () => [twoPcChecker() as Hook],
    // Participants are alike unless some are told to vote no, or a replicated decision orders them by ballot ids.
    interchangeable: o.nodeOptions?.votesNo === undefined && o.nodeOptions?.replicateDecision === undefined ? nodes.slice(1) : [],
    workload: [{ op: "t1" }, { op: "t2" }],
    targets: (sim) => (sim.isUp(coordinator) ? [coordinator] : []),
    messageText: json,
    storedText: asIs,
    agreement: {
      goal: "the coordinator decides every transaction it started and every participant commits or aborts it",
      drive: () => undefined,
      done: (sim) => {
        const coord = sim.node<TwoPcNode>(coordinator)?.inspect();
        if (coord === undefined) return false;
        const started = new Set(sim.requests.filter((r) => r.node === coordinator).map((r) => String(r.request.op)));
        return [...started].every((txn) => coord.decisions[txn] !== undefined) && nodes.slice(1).every((id) => Object.values(sim.node<TwoPcNode>(id)?.inspect().txns ?? {}).every((s) => s === "committed" || s === "aborted"));
      },
    },
    defaults: { depth: 40, maxStates: 300_000, drops: 1, duplicates: 0, crashes: 1, timers: 2, requests: 1, lifetime: 4 },
  };
}

function paxos(o: SetupOptions): ProtocolSetup {
  const nodes = ids(o.nodes ?? 3);
  return {
    name: "paxos",
    nodes,
    createNode: createPaxosNode({ ...o.nodeOptions, rules: { ...(o.nodeOptions?.rules as object), ...o.rules } }) as NodeFactory<Message>,
    hooks: () => [paxosChecker() as Hook],
    interchangeable: [],
    workload: [{ op: "a" }, { op: "b" }],
    targets: upNodes,
    messageText: json,
    storedText: asIs,
    agreement: {
      goal: "a fresh client request to node 0 is answered with the chosen value",
      drive: (sim, round) => void (round === 0 && sim.request(nodes[0] as NodeId, "late")),
      done: (sim) => answered(sim, "late"),
    },
    // Two proposers racing; every accepted message goes to every learner, so the depth bound does the bounding.
    defaults: { depth: 16, maxStates: 300_000, drops: 0, duplicates: 0, crashes: 0, timers: 0, requests: 2, lifetime: 2 },
  };
}

const FINAL_COMMAND = { seq: 1, op: "final" };

function multiPaxos(o: SetupOptions): ProtocolSetup {
  const nodes = ids(o.nodes ?? 3);
  return {
    name: "multi-paxos",
    nodes,
    createNode: createMultiPaxosNode({ ...o.nodeOptions, rules: { ...(o.nodeOptions?.rules as object), ...o.rules } }) as NodeFactory<Message>,
    // The checker must know the quorum sizes the replicas run with: a slot is chosen at a phase-2 quorum.
    hooks: () => [multiPaxosChecker({ quorums: o.nodeOptions?.quorums as Partial<Quorums> | undefined }) as Hook, checkExactlyOnceMultiPaxos() as Hook],
    interchangeable: [],
    // Two clients, one command each (numbered as a client session expects).
    workload: [
      { op: { seq: 1, op: "c1" }, client: "a" },
      { op: { seq: 1, op: "c2" }, client: "b" },
    ],
    targets: upNodes,
    messageText: json,
    storedText: asIs,
    agreement: {
      goal: "a fresh command sent to node 0 is answered and applied by every replica",
      drive: (sim, round) => void (round === 0 && sim.request(nodes[0] as NodeId, FINAL_COMMAND, "z")),
      done: (sim) => answered(sim, FINAL_COMMAND) && nodes.every((id) => sim.node<MultiPaxosNode>(id)?.inspect().log.some((c) => c?.client === "z") === true),
    },
    defaults: { depth: 40, maxStates: 300_000, drops: 0, duplicates: 0, crashes: 0, timers: 1, requests: 1, lifetime: 4 },
  };
}

/** Raft messages as text: candidate and leader ids, and the members of configuration entries, renamed. */
function raftMessageText(msg: Message, rename: Rename): string {
  const m = msg as RaftMessage;
  // Where the renaming leaves the message as it is, its own JSON is the same text (fields keep their order).
  switch (m.type) {
    case "RequestVote":
    case "PreVote":
      if (rename(m.candidateId) === m.candidateId) return JSON.stringify(m);
      return JSON.stringify({ ...m, candidateId: rename(m.candidateId) });
    case "AppendEntries":
      if (rename(m.leaderId) === m.leaderId && !m.entries.some((e) => e.command.kind === "config")) return JSON.stringify(m);
      return JSON.stringify({ ...m, leaderId: rename(m.leaderId), entries: m.entries.map((e) => renameEntry(e, rename)) } satisfies AppendEntries);
    case "InstallSnapshot":
      return JSON.stringify({ ...m, leaderId: rename(m.leaderId), snapshot: { ...m.snapshot, members: m.snapshot.members.map(rename) } } satisfies InstallSnapshot);
    default:
      return JSON.stringify(m);
  }
}

function renameEntry<E extends { readonly command: { readonly kind: string; readonly members?: readonly NodeId[] } }>(e: E, rename: Rename): E {
  return e.command.kind === "config" ? { ...e, command: { ...e.command, members: (e.command.members ?? []).map(rename).sort((a, b) => a - b) } } : e;
}

/** Raft's stored values: votedFor, configuration entries and the snapshot's members hold node ids. */
function raftStoredText(key: string, text: string, rename: Rename): string {
  if (key === "hardState") return text.replace(/"votedFor":(\d+)/, (_m, id: string) => `"votedFor":${rename(Number(id))}`);
  if (key.startsWith("entry:") && text.includes('"config"')) return JSON.stringify(renameEntry(JSON.parse(text), rename));
  if (key === "snapshot") {
    const snap = JSON.parse(text) as { members: NodeId[] };
    return JSON.stringify({ ...snap, members: snap.members.map(rename).sort((a, b) => a - b) });
  }
  return text;
}

function raft(o: SetupOptions): ProtocolSetup {
  const nodes = ids(o.nodes ?? 3);
  const rules = { ...(o.nodeOptions?.rules as object), ...o.rules };
  return {
    name: "raft",
    nodes,
    // `applyCommand` among the rules replaces the state machine's apply step (exercise 11's session rule).
    createNode: (typeof rules.applyCommand === "function" ? withStateMachine(createRaftNode({ ...o.nodeOptions, rules }), rules.applyCommand as ApplyCommand) : createRaftNode({ ...o.nodeOptions, rules })) as NodeFactory<Message>,
    hooks: () => [...raftInvariants(), raftAppliedOnce()] as Hook[],
    interchangeable: nodes,
    // Appends of distinct tokens, so a write executed twice shows in the value (the applied-once check reads it).
    workload: ["w1;", "w2;", "w3;"].map((value) => ({ op: { type: "append", key: "x", value } })),
    // Clients find the leader: a request to a follower is only refused.
    targets: (sim) => nodes.filter((id) => sim.node<RaftNode>(id)?.role === "leader"),
    messageText: raftMessageText,
    storedText: raftStoredText,
    agreement: {
      goal: "a fresh write, offered to every server every 100 ms until a leader takes it, is applied by every server that is up",
      drive: (sim) => {
        if (sim.requests.some((r) => r.request.op === "final=done" && (r.result as { ok?: boolean } | undefined)?.ok === true)) return;
        for (const id of nodes) if (sim.isUp(id)) sim.request(id, "final=done", "final");
      },
      // Every server that is up (all of them, unless the continuation keeps crashed ones down).
      done: (sim) => nodes.every((id) => !sim.isUp(id) || sim.node<RaftNode>(id)?.kv.get("final") === "done"),
    },
    defaults: { depth: 40, maxStates: 300_000, drops: 0, duplicates: 0, crashes: 0, timers: 2, requests: 1, lifetime: 4 },
  };
}

const SETUPS: Record<ProtocolName, (o: SetupOptions) => ProtocolSetup> = { "2pc": twoPc, paxos, "multi-paxos": multiPaxos, raft };

export function protocolSetup(name: ProtocolName, options: SetupOptions = {}): ProtocolSetup {
  return SETUPS[name](options);
}
