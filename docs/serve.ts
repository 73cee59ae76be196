// A small static file server for the built site (docs/dist), on sirv: `npm start` serves it on http://localhost:3000.

import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";

/**
 * Serve `root` the way static hosts do: clean URLs get ".html", folders get index.html, nothing outside the
 * folder is reachable. dev mode reads the folder on every request, so a rebuilt site shows without a restart.
 */
export function serveStatic(root: string, port: number, host = "127.0.0.1"): Promise<Server> {
  const files = sirv(root, { dev: true, extensions: ["html"] });
  const server = createServer((req, res) =>
    files(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }),
  );
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("./dist", import.meta.url));
  if (!existsSync(join(root, "index.html"))) {
    console.error("docs/dist has no index.html: build the site first (npm run build -w docs).");
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 3000);
  await serveStatic(root, port, process.env.HOST ?? "127.0.0.1");
  console.log(`The course is at http://localhost:${port}/ (Ctrl-C to stop)`);
}
