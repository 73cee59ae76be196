// Pre-bundles @course/lessons into Framework's cache from lessons/index.ts, because its index.js -> ./index.ts re-export bundles to nothing.
//
// Why: Framework bundles a package from its `exports` entry (lessons/index.js). That file re-exports
// "./index.ts", and the esbuild plugin in Framework's bundler resolves "./index.ts" by trying ".js" first,
// which lands on index.js itself: a cycle, and an empty bundle with no `lessons` export. This script
// writes the bundle Framework would have written (same plugins, same /_node/ externals), starting from
// index.ts instead; Framework then finds it in its cache and uses it. It does nothing once the lessons
// package no longer has that name clash (e.g. when index.js re-exports a differently named file).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import commonjs from "@rollup/plugin-commonjs";
import json from "@rollup/plugin-json";
import esbuild from "rollup-plugin-esbuild";
import { resolveNodeImport } from "@observablehq/framework/dist/node.js";

const root = fileURLToPath(new URL("../src", import.meta.url));
const require = createRequire(join(root, "/"));
const entryJs = require.resolve("@course/lessons");
const packageDir = dirname(entryJs);
const entryTs = join(packageDir, "index.ts");
if (!/["']\.\/index\.ts["']/.test(readFileSync(entryJs, "utf-8")) || !existsSync(entryTs)) {
  console.log("bundle-lessons: no index.js/index.ts clash, Framework bundles @course/lessons itself");
  process.exit(0);
}
const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf-8"));
const resolution = `/_node/@course/lessons@${version}/index.js`;
const output = join(root, ".observablehq", "cache", resolution);

const external = {
  name: "framework-node-imports",
  async resolveId(specifier) {
    if (typeof specifier !== "string" || specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("\0") || specifier.startsWith("node:")) return null;
    return { id: await resolveNodeImport(root, specifier), external: true };
  },
};
const bundle = await rollup({
  input: entryTs,
  plugins: [
    external,
    nodeResolve({ browser: true, rootDir: packageDir }),
    json(),
    commonjs({ esmExternals: true, requireReturnsDefault: "preferred" }),
    esbuild({ format: "esm", platform: "browser", target: ["es2022", "chrome96", "firefox96", "safari16", "node18"], exclude: [], define: { "process.env.NODE_ENV": JSON.stringify("production") }, minify: true }),
  ],
  external: (source) => source.startsWith("/_node/"),
  onwarn(message, warn) {
    if (message.code !== "CIRCULAR_DEPENDENCY") warn(message);
  },
});
const { output: chunks } = await bundle.generate({ format: "es", exports: "named" });
await bundle.close();
const code = chunks.find((c) => c.type === "chunk").code.replace(/(["'])(\/_node\/[^"']+)\1/g, (_, q, path) => {
  const rel = posix.relative(posix.dirname(resolution), path);
  return `${q}${rel.startsWith(".") ? rel : `./${rel}`}${q}`;
});
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, code);
console.log(`bundle-lessons: @course/lessons → ${output} (${code.length} bytes)`);
