// Finds free loopback ports for the cluster: a block of consecutive ports, starting at a base the caller chooses.

import { createServer } from "node:net";

/** Whether nothing listens on 127.0.0.1:port right now. */
export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports, trying blocks at `base`, `base + count`, ... Consecutive ports make the
 * narration easy to follow (member i listens on base + 2i for clients and base + 2i + 1 for its peers).
 */
export async function freePortBlock(base: number, count: number, tries = 40): Promise<number[]> {
  for (let t = 0; t < tries; t++) {
    const start = base + t * count;
    if (start + count > 65535) break;
    const block = Array.from({ length: count }, (_, i) => start + i);
    let free = true;
    for (const p of block) {
      if (!(await isFree(p))) {
        free = false;
        break;
      }
    }
    if (free) return block;
  }
  throw new Error(`no ${count} free consecutive ports on 127.0.0.1 from ${base} on (tried ${tries} blocks); choose another range with --port`);
}
