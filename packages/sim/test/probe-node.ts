// A scriptable test node: client requests tell it what to do, and it remembers what it received.

import type { ClientRequest, Message, NodeContext, NodeFactory, NodeId, SimNode } from "../src/index.js";

export interface Note extends Message {
  readonly type: "note";
  readonly text: string;
}

/** What a test can ask a probe to do, sent as a client request op. */
export type ProbeOp =
  | { readonly do: "send"; readonly to: NodeId; readonly text: string }
  | { readonly do: "persist"; readonly key: string; readonly value: unknown }
  | { readonly do: "remember"; readonly value: string }
  | { readonly do: "timer"; readonly name: string; readonly delay: number }
  | { readonly do: "cancel"; readonly name: string };

export class Probe implements SimNode<Note> {
  /** Volatile: lost at a crash. */
  received: Array<{ from: NodeId; text: string; at: number }> = [];
  memory: string[] = [];
  fired: string[] = [];
  /** Rebuilt from durable storage at every (re)start. */
  readonly durable: unknown;

  constructor(ctx: NodeContext<Note>) {
    this.durable = ctx.storage.get("value");
  }

  onMessage(from: NodeId, msg: Note, ctx: NodeContext<Note>): void {
    this.received.push({ from, text: msg.text, at: ctx.now });
  }

  onTimer(name: string): void {
    this.fired.push(name);
  }

  onClientRequest(request: ClientRequest, ctx: NodeContext<Note>): void {
    const op = request.op as ProbeOp;
    switch (op.do) {
      case "send":
        ctx.send(op.to, { type: "note", text: op.text });
        break;
      case "persist":
        ctx.persist(op.key, op.value);
        break;
      case "remember":
        this.memory.push(op.value);
        break;
      case "timer":
        ctx.setTimer(op.name, op.delay);
        break;
      case "cancel":
        ctx.cancelTimer(op.name);
        break;
    }
    ctx.reply(request.id, "ok");
  }

  view(): unknown {
    return { received: this.received.length, memory: this.memory.length };
  }
}

export const probeFactory: NodeFactory<Note> = (ctx) => new Probe(ctx);

/** A chatty node for determinism tests: every message it gets makes it gossip to a random peer, with jittered timers. */
export const gossipFactory: NodeFactory<Note> = (ctx) => {
  let count = 0;
  ctx.setTimer("tick", ctx.rng.uniform(5, 50));
  const gossip = (c: NodeContext<Note>) => {
    const others = c.nodes.filter((n) => n !== c.id);
    c.send(c.rng.pick(others), { type: "note", text: `${c.id}:${count}` });
  };
  return {
    onMessage(_from, _msg, c) {
      count++;
      c.persist("count", count);
      if (count % 3 !== 0) gossip(c);
    },
    onTimer(_name, c) {
      gossip(c);
      c.setTimer("tick", c.rng.uniform(20, 80));
    },
    view: () => ({ count }),
  };
};

/**
 * The gossip node's behaviour with its state in object fields instead of closures, as checkpoints need (a copy of a
 * node copies its fields; state hidden in a closure would be shared between the copies).
 */
export class Chatter implements SimNode<Note> {
  count = 0;
  heard: Array<{ from: NodeId; text: string }> = [];
  constructor(ctx: NodeContext<Note>) {
    this.count = ctx.storage.get<number>("count") ?? 0;
    ctx.setTimer("tick", ctx.rng.uniform(5, 50));
  }
  private gossip(c: NodeContext<Note>): void {
    const others = c.nodes.filter((n) => n !== c.id);
    c.send(c.rng.pick(others), { type: "note", text: `${c.id}:${this.count}` });
  }
  onMessage(from: NodeId, msg: Note, c: NodeContext<Note>): void {
    this.count++;
    this.heard.push({ from, text: msg.text });
    c.persist("count", this.count);
    if (this.count % 3 !== 0) this.gossip(c);
  }
  onTimer(_name: string, c: NodeContext<Note>): void {
    this.gossip(c);
    c.setTimer("tick", c.rng.uniform(20, 80));
  }
  onClientRequest(request: ClientRequest, c: NodeContext<Note>): void {
    c.reply(request.id, this.count);
  }
  view(): unknown {
    return { count: this.count };
  }
}

export const chatterFactory: NodeFactory<Note> = (ctx) => new Chatter(ctx);
