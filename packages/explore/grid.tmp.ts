import { explore } from "@course/explore";
const [protocol, ...rest] = process.argv.slice(2);
for (const spec of rest) {
  const o = Object.fromEntries(spec.split(",").map((kv) => { const [k, v] = kv.split("="); return [k, k === "variant" ? v : Number(v)]; }));
  const t = Date.now();
  const r = explore({ protocol: protocol as any, maxStates: 400_000, ...o });
  const s = (Date.now() - t) / 1000;
  console.log(protocol, spec, "distinct", r.distinctStates, "explored", r.statesExplored, "depth", r.depthReached, "exhausted", r.exhausted, "cut", r.depthCut, "viol", r.violation?.invariant ?? "-", r.violation?.depth ?? "", `${s}s`, Math.round(r.distinctStates / s), "/s");
}
