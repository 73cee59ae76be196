// A server whose state machine's apply step is a given function (exercise 11's session rule) instead of the course's KvStore.

import type { NodeFactory } from "@course/sim";
import type { KvImage } from "./kv.js";
import type { RaftNode } from "./node.js";
import type { Command, RaftMessage } from "./types.js";

/** The state machine's apply step as a pure function of the state image (§8 of the Raft paper: sessions). */
export type ApplyCommand = (state: KvImage, command: Command) => { state: KvImage; result: string | null };

/** A stand-in for the server's KvStore that runs `applyCommand` on every committed entry. The node only calls apply, get, entries and toJSON. */
class PluggedStateMachine {
  constructor(
    private image: KvImage,
    private readonly applyCommand: ApplyCommand,
  ) {}
  apply(command: Command): string | null {
    const { state, result } = this.applyCommand(this.image, command);
    this.image = state;
    return result;
  }
  get(key: string): string | null {
    return this.image.data[key] ?? null;
  }
  entries(): Record<string, string> {
    return { ...this.image.data };
  }
  toJSON(): KvImage {
    return this.image;
  }
}

/**
 * The reference server with the state machine's apply step replaced, re-plugged at every restart. Snapshots must
 * stay off: installing one rebuilds the course's own store.
 */
export function withStateMachine(factory: NodeFactory<RaftMessage>, applyCommand: ApplyCommand): NodeFactory<RaftMessage> {
  return (ctx) => {
    const node = factory(ctx) as RaftNode;
    node.kv = new PluggedStateMachine(node.kv.toJSON(), applyCommand) as unknown as RaftNode["kv"];
    return node;
  };
}
