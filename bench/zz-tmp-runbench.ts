const m = await import("/work/main/bench/grade.ts");
const r = await m.bench();
console.log(JSON.stringify(r, null, 2));
