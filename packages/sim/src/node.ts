// The contract between the simulator and a protocol node: what a node may do, and what it must answer to.

import type { Rng } from "./rng.js";
import type { StateHasher } from "./state-hasher.js";
import type { ClientRequest, Message, NodeId } from "./types.js";

/** Durable storage as a node reads it. Values are JSON copies: changing a value you read does not change storage. */
export interface StorageReader {
  get<T = unknown>(key: string): T | undefined;
  has(key: string): boolean;
  keys(): string[];
}

/**
 * Everything a node may do while it handles one event. The simulator builds a fresh context per event.
 *
 * Persist before send: `persist` writes durable storage at once, while `send` only queues a message in the
 * node's outbox. The outbox leaves after the handler returns, so every write a handler makes is durable
 * before any message it sends is on the wire; the trace shows the `persist` events before the `send`s.
 * A node that forgets to persist something (votedFor, say) loses it at the next crash, as in real life.
 */
export interface NodeContext<M extends Message = Message> {
  readonly id: NodeId;
  /** Virtual time in milliseconds. */
  readonly now: number;
  /** Every node of the cluster, this one included, in a fixed order. */
  readonly nodes: readonly NodeId[];
  /** This node's own deterministic random numbers. */
  readonly rng: Rng;
  /** Durable storage: survives crashes; the only thing a restarted node gets back. */
  readonly storage: StorageReader;
  persist(key: string, value: unknown): void;
  unpersist(key: string): void;
  /** Queue a message; it leaves when the handler returns. Sending to yourself is allowed. */
  send(to: NodeId, msg: M): void;
  /** Send to every other node. */
  broadcast(msg: M): void;
  /** Start (or restart) the timer called `name`; it fires `delay` ms from now unless set again or cancelled. */
  setTimer(name: string, delay: number): void;
  cancelTimer(name: string): void;
  /** Answer a client request (at most once per request id is recorded as the reply). */
  reply(requestId: number, result: unknown): void;
  /** A line of narration for the terminal lessons and the site, optionally labelled as a step. */
  note(text: string, label?: string): void;
}

/**
 * A protocol node: a state machine that only changes when the simulator calls it. For checkpoints (`Simulation.
 * checkpoint`), keep all state in the node object's own fields (a checkpoint copies them); state hidden in a closure
 * would be shared between a checkpoint and the live run.
 */
export interface SimNode<M extends Message = Message> {
  onMessage(from: NodeId, msg: M, ctx: NodeContext<M>): void;
  onTimer(name: string, ctx: NodeContext<M>): void;
  onClientRequest?(request: ClientRequest, ctx: NodeContext<M>): void;
  /**
   * A JSON-able summary of the node's state for the trace and the charts (role, term, log...). A large part that
   * rarely changes (a log) can be returned as the same `frozenJson` value each time: state events then share it.
   */
  view?(): unknown;
  /**
   * A canonical encoding of the node's state for an exhaustive search's set of visited states: two nodes with equal
   * encodings must behave alike from here on, given the same events. Leave out clock readings, statistics and caches.
   * `rename` maps node ids to other ids (symmetry reduction): a node that supports it encodes every node id it holds
   * through `rename`; the search only passes one for protocols whose behaviour does not depend on the ids' order.
   */
  canonical?(rename?: (id: NodeId) => NodeId): string;
  /**
   * The same information as `canonical()`, fed field by field into `hasher` instead of written as text (faster for
   * a search): two nodes must feed equal streams exactly when their canonical texts are equal. Optional: a search
   * hashes the canonical text of a node without it.
   */
  hashInto?(hasher: StateHasher, rename: (id: NodeId) => NodeId): void;
}

/**
 * Builds a node at start-up and again at every restart. On restart `ctx.storage` holds exactly what was
 * persisted before the crash, and nothing else survives.
 */
export type NodeFactory<M extends Message = Message> = (ctx: NodeContext<M>) => SimNode<M>;
