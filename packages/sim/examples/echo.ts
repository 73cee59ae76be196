// Trivial echo nodes: the first node pings every other node, and each pong triggers the next ping. Used by the demo and the benchmark.

import type { Message, NodeFactory } from "../src/index.js";

export interface Ping extends Message {
  readonly type: "ping" | "pong";
  readonly n: number;
}

/** The first node runs one ping-pong chain with every other node; it stops once it has seen `pongs` pongs in all. */
export function echoNodes(pongs: number): NodeFactory<Ping> {
  return (ctx) => {
    let seen = 0;
    if (ctx.id === ctx.nodes[0]) ctx.setTimer("start", 0);
    return {
      onTimer(_name, c) {
        c.broadcast({ type: "ping", n: 0 });
      },
      onMessage(from, msg, c) {
        if (msg.type === "ping") {
          c.send(from, { type: "pong", n: msg.n });
        } else if (++seen < pongs) {
          c.send(from, { type: "ping", n: msg.n + 1 });
        }
      },
      view: () => ({ seen }),
    };
  };
}
