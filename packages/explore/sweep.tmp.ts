import { explore, PROTOCOLS, type ProtocolName } from "@course/explore";
import { plantedBugs } from "../cli/src/explore-variants.js";
const only = process.argv[2];
for (const protocol of PROTOCOLS) {
  if (only && only !== protocol) continue;
  for (const bug of await plantedBugs(protocol as ProtocolName)) {
    const t = Date.now();
    try {
      const r = explore({ protocol, maxStates: 150_000, ...(bug.variant ? { variant: bug.variant } : {}), ...(bug.rules ? { rules: bug.rules, rulesLabel: bug.rulesLabel } : {}), ...(bug.nodeOptions ? { nodeOptions: bug.nodeOptions } : {}) });
      console.log(JSON.stringify({ protocol, name: bug.name, found: r.violation?.invariant ?? null, depth: r.violation?.depth, distinct: r.distinctStates, exhausted: r.exhausted, s: (Date.now() - t) / 1000 }));
    } catch (e) { console.log(JSON.stringify({ protocol, name: bug.name, error: String(e) })); }
  }
}
