// Data loader (runs at build time): the measured failover medians from `npm run bench -- etcd`, for lesson 12's page.

import { existsSync, readFileSync } from "node:fs";

const file = new URL("../../../bench/results/etcd.json", import.meta.url);
// Without a bench result the page says so instead of showing numbers nobody measured.
process.stdout.write(existsSync(file) ? readFileSync(file, "utf8") : "null");
