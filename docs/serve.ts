// A tiny static file server for the built site (docs/dist): `npm start` serves it on http://localhost:3000.

import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Map a URL path to a file in `root`, the way static hosts do: clean URLs get ".html", folders get index.html. */
export function resolveFile(root: string, urlPath: string): string | undefined {
  const path = normalize(decodeURIComponent(urlPath.split("?")[0] ?? "/"));
  const base = resolve(root);
  const candidates = [join(base, path), join(base, `${path}.html`), join(base, path, "index.html")];
  for (const file of candidates) {
    if (!file.startsWith(base + sep) && file !== base) continue; // never serve outside the site
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

export function serveStatic(root: string, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((req, res) => {
    const file = resolveFile(root, req.url ?? "/");
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("./dist", import.meta.url));
  if (!existsSync(join(root, "index.html"))) {
    console.error("docs/dist has no index.html: build the site first (npm run build -w docs).");
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 3000);
  await serveStatic(root, port, process.env.HOST ?? "127.0.0.1");
  console.log(`The course is at http://localhost:${port}/ (Ctrl-C to stop)`);
}
