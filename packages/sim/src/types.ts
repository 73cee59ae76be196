// Shared types: node ids, messages, network settings, faults, client requests and trace events.

/** Nodes are numbered; lessons choose their own numbering (0-4 or 1-5). */
export type NodeId = number;

/** Every protocol message is a plain JSON-able object with a `type` tag, counted per type. */
export interface Message {
  readonly type: string;
}

/** A latency distribution in virtual milliseconds. Random latency is what reorders messages. */
export type Latency =
  | { readonly kind: "fixed"; readonly ms: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  /** min plus an exponential tail with the given mean, capped at max: many fast messages, a few slow. */
  | { readonly kind: "exponential"; readonly min: number; readonly mean: number; readonly max: number };

/** How one directed link behaves. */
export interface LinkConfig {
  readonly latency: Latency;
  /** Probability that a message is lost, in [0, 1]. */
  readonly drop: number;
  /** Probability that a message is delivered twice (the copy gets its own latency), in [0, 1]. */
  readonly duplicate: number;
}

/** A change to the faults or the network, scripted at a virtual time or made interactively. */
export type FaultAction =
  | { readonly type: "crash"; readonly node: NodeId }
  | { readonly type: "restart"; readonly node: NodeId }
  | { readonly type: "pause"; readonly node: NodeId }
  | { readonly type: "resume"; readonly node: NodeId }
  /** Nodes in different groups cannot talk in either direction; nodes left out of every group form one more group. */
  | { readonly type: "partition"; readonly groups: readonly (readonly NodeId[])[] }
  /** Messages from `from` to `to` are lost; the other direction still works. */
  | { readonly type: "cut"; readonly from: NodeId; readonly to: NodeId }
  /** Cut every link into and out of one node. */
  | { readonly type: "isolate"; readonly node: NodeId }
  /** Restore one directed link, or (without from/to) every link. */
  | { readonly type: "heal"; readonly from?: NodeId; readonly to?: NodeId }
  /** Change link behaviour: one directed link, every link out of a node, or (neither) every link. */
  | { readonly type: "link"; readonly from?: NodeId; readonly to?: NodeId; readonly config: Partial<LinkConfig> };

/** A fault at a virtual time: "at 1200 ms crash node 2". */
export interface ScheduledFault {
  readonly at: number;
  readonly action: FaultAction;
}

/** A client request that the scenario sends to a node at a virtual time. */
export interface ScheduledRequest {
  readonly at: number;
  readonly node: NodeId;
  readonly op: unknown;
  /** Which client sends it (for sessions and per-client histories); defaults to "client". */
  readonly client?: string;
}

/** A request as a node sees it. */
export interface ClientRequest {
  readonly id: number;
  readonly client: string;
  readonly op: unknown;
}

/** Fields every trace event carries. */
interface EventBase {
  /** Position in the trace, from 0. */
  readonly seq: number;
  /** Index of the simulator step that produced it (one queue event per step; step 0 is start-up). */
  readonly step: number;
  /** Virtual time in milliseconds. */
  readonly time: number;
}

export type TraceEvent = EventBase & TraceEventBody;

export type TraceEventBody =
  | { readonly kind: "send"; readonly msgId: number; readonly from: NodeId; readonly to: NodeId; readonly msg: Message; readonly deliverAt: number }
  | { readonly kind: "deliver"; readonly msgId: number; readonly from: NodeId; readonly to: NodeId; readonly msg: Message }
  | { readonly kind: "drop"; readonly msgId: number; readonly from: NodeId; readonly to: NodeId; readonly msg: Message; readonly reason: DropReason }
  | { readonly kind: "duplicate"; readonly msgId: number; readonly copyId: number; readonly from: NodeId; readonly to: NodeId; readonly deliverAt: number }
  | { readonly kind: "timer"; readonly node: NodeId; readonly name: string }
  | { readonly kind: "timer-set"; readonly node: NodeId; readonly name: string; readonly fireAt: number }
  | { readonly kind: "timer-cancel"; readonly node: NodeId; readonly name: string }
  | { readonly kind: "persist"; readonly node: NodeId; readonly key: string; readonly value: unknown }
  | { readonly kind: "crash"; readonly node: NodeId }
  | { readonly kind: "restart"; readonly node: NodeId }
  | { readonly kind: "pause"; readonly node: NodeId }
  | { readonly kind: "resume"; readonly node: NodeId }
  | { readonly kind: "partition"; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly kind: "cut"; readonly from: NodeId; readonly to: NodeId }
  | { readonly kind: "isolate"; readonly node: NodeId }
  | { readonly kind: "heal"; readonly from?: NodeId; readonly to?: NodeId }
  | { readonly kind: "link"; readonly from?: NodeId; readonly to?: NodeId; readonly config: Partial<LinkConfig> }
  | { readonly kind: "client-request"; readonly node: NodeId; readonly request: ClientRequest }
  | { readonly kind: "client-reply"; readonly node: NodeId; readonly requestId: number; readonly client: string; readonly result: unknown }
  /**
   * A node's view after a handler changed it (JSON data). A node's consecutive state events share the parts that did
   * not change, and parts the node made with frozenJson (a Raft log) are frozen: read views, never change them.
   */
  | { readonly kind: "state"; readonly node: NodeId; readonly view: unknown }
  | { readonly kind: "note"; readonly node?: NodeId; readonly text: string; readonly label?: string; readonly style?: NoteStyle }
  | { readonly kind: "violation"; readonly checker: string; readonly message: string; readonly details?: unknown };

export type TraceEventKind = TraceEventBody["kind"];

/** How narration shows a note: a phase heading, the run's result line, or (default) an ordinary line. */
export type NoteStyle = "heading" | "result" | "plain";

export type DropReason = "loss" | "partition" | "crashed" | "unknown-node";
