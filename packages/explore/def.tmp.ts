import { explore, PROTOCOLS } from "./src/index.js";
for (const protocol of PROTOCOLS) { const t = Date.now(); const r = explore({ protocol, maxStates: 400000 }); console.log(protocol, r.distinctStates, r.statesExplored, r.depthReached, r.exhausted, r.violation?.invariant, (Date.now() - t) / 1000); }
