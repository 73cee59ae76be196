// After `observable build`: accessibility fixes to the page frame Framework 1.13 writes (language, zoom, the sidebar's toggle and list).

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export function fixPage(html: string): string {
  return (
    html
      .replace(/<html>/, '<html lang="en">')
      // Readers must be able to zoom.
      .replace(/(<meta name="viewport" content="[^"]*?),\s*maximum-scale=1/, "$1")
      // The sidebar's show/hide checkbox has only a tooltip for a name.
      .replace('<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">', '<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar" aria-label="Show or hide the list of pages">')
      // A list may only hold list items: the sidebar's close button becomes one.
      .replace(/(<ol>\s*)(<label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"><\/label>)/, '$1<li class="observablehq-sidebar-close-item">$2</li>')
      // A code block that scrolls sideways on a phone must be reachable by keyboard.
      .replace(/<pre(?=[ >])/g, '<pre tabindex="0"')
  );
}

function pages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith(".html") ? [join(dir, e.name)] : []));
}

const dist = fileURLToPath(new URL("./dist", import.meta.url));
let fixed = 0;
for (const file of pages(dist)) {
  const before = readFileSync(file, "utf-8");
  const after = fixPage(before);
  if (after !== before) {
    writeFileSync(file, after);
    fixed++;
  }
}
console.log(`build-fixes: ${fixed} page(s) given a language, a zoomable viewport and an accessible sidebar`);
