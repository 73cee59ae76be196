// Checks the browser tests run on any page: axe-core, chart text that overlaps or leaves its chart, chart text contrast, and moving the player.

import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

/** axe-core's serious and critical violations on the page (or inside `selector`), as "rule: target" lines. */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.addScriptTag({ path: AXE });
  const found = (await page.evaluate(`(async () => {
    const r = await window.axe.run(${selector ? JSON.stringify(selector) : "document"}, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .flatMap((v) => v.nodes.slice(0, 5).map((n) => v.id + ": " + n.target.join(" ") + " (" + (n.failureSummary || "").split("\\n").slice(0, 2).join(" ") + ")"));
  })()`)) as string[];
  return found;
}

/**
 * Every text in every chart SVG: one that sticks out of its SVG, and pairs that overlap, as readable lines.
 * Page code is passed as source text: this file is type-checked without the DOM library.
 */
export async function textProblems(page: Page, root = "body"): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    const svgs = [...document.querySelectorAll(${JSON.stringify(root)} + " svg")].filter((s) => s.closest("svg") === s || !s.parentElement.closest("svg"));
    for (const svg of svgs) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const name = (svg.getAttribute("class") || svg.getAttribute("aria-label") || "svg").split(" ").slice(-1)[0];
      const texts = [...svg.querySelectorAll("text")].filter((t) => {
        if (!t.textContent || !t.textContent.trim()) return false;
        const cs = getComputedStyle(t);
        if (cs.display === "none" || cs.visibility === "hidden" || t.closest("[display=none]")) return false;
        const r = t.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      }).map((t) => ({ t, r: t.getBoundingClientRect() }));
      for (const { t, r } of texts) {
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(name + ": '" + t.textContent + "' is outside the chart");
      }
      for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Glyph boxes include some leading: a sliver of shared box is not an overlap a reader sees.
        if (w > 2 && h > 3) out.push(name + ": '" + texts[i].t.textContent + "' overlaps '" + texts[j].t.textContent + "'");
      }
    }
    return out;
  })()`)) as string[];
}

/** Chart texts whose colour has less than 4.5:1 contrast with what they are drawn on (data-bg, else white). */
export async function lowContrastText(page: Page, root = "body"): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const lum = (c) => {
      const m = c.match(/\\d+(\\.\\d+)?/g);
      if (!m) return 1;
      const [r, g, b] = m.slice(0, 3).map(Number).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const probe = document.createElement("div");
    document.body.append(probe);
    const rgb = (c) => { probe.style.color = ""; probe.style.color = c; return getComputedStyle(probe).color; };
    const out = [];
    for (const t of document.querySelectorAll(${JSON.stringify(root)} + " svg text")) {
      if (!t.textContent || !t.textContent.trim() || t.closest("[display=none]")) continue;
      const fg = getComputedStyle(t).fill;
      const bgAttr = t.getAttribute("data-bg") || t.closest("[data-bg]")?.getAttribute("data-bg") || "#ffffff";
      const [hi, lo] = [lum(rgb(fg)), lum(rgb(bgAttr))].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < 4.5) out.push("'" + t.textContent + "' " + fg + " on " + bgAttr + ": " + ratio.toFixed(2));
    }
    probe.remove();
    return out;
  })()`)) as string[];
}

/** Move the player to a step through its slider, as a reader dragging it would, and wait until it is there. */
export async function seek(page: Page, step: number): Promise<void> {
  await page.locator("input[data-control=slider]").evaluate((el, k) => {
    const input = el as HTMLInputElement;
    input.value = String(k);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, step);
  await page.waitForFunction((k) => document.querySelector(".sim-player")?.getAttribute("data-step") === String(k), step);
}

export async function stepOf(page: Page): Promise<number> {
  return Number(await page.locator(".sim-player").getAttribute("data-step"));
}
