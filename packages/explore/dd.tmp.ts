import { explore } from "./src/index.js";
for (const symmetry of [true, false]) for (const strategy of ["bfs", "dfs"] as const) { const r = explore({ protocol: "raft", timers: 1, requests: 0, depth: 60, strategy, symmetry }); console.log(symmetry, strategy, r.distinctStates, r.statesExplored); }
