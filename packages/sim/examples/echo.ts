// Trivial echo nodes: node 0 pings every node, each pong triggers the next ping. Used by the demo and the benchmark.

import type { Message, NodeFactory } from "../src/index.js";

export interface Ping extends Message {
  readonly type: "ping" | "pong";
  readonly n: number;
}

/** Node 0 starts `fanout` ping-pong chains with every other node; each chain runs until `rounds` pongs. */
export function echoNodes(rounds: number): NodeFactory<Ping> {
  return (ctx) => {
    let pongs = 0;
    if (ctx.id === ctx.nodes[0]) ctx.setTimer("start", 0);
    return {
      onTimer(_name, c) {
        c.broadcast({ type: "ping", n: 0 });
      },
      onMessage(from, msg, c) {
        if (msg.type === "ping") {
          c.send(from, { type: "pong", n: msg.n });
        } else if (++pongs < rounds) {
          c.send(from, { type: "ping", n: msg.n + 1 });
        }
      },
      view: () => ({ pongs }),
    };
  };
}
