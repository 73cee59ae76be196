// Mounts a lesson's scenarios in the player on its page, or says plainly that the lesson has no scenario yet.

import { findLesson } from "@course/lessons";
import { createPlayer, type PlayerExtra } from "@course/viz";
import { historyExtra } from "./kv-history.js";

export interface Mounted {
  readonly element: HTMLElement;
  destroy(): void;
}

function notice(text: string): Mounted {
  const p = document.createElement("p");
  p.className = "notice";
  p.textContent = text;
  return { element: p, destroy() {} };
}

/** The interactive part of lesson `n`: every scenario it registers, one at a time, in one player. */
export function lessonPlayer(n: number): Mounted {
  const lesson = findLesson(n);
  if (!lesson || lesson.scenarios.length === 0) {
    return notice(`The simulations for lesson ${n} are not written yet. The text below already stands on its own; the runnable scenarios appear here as soon as they land.`);
  }
  // Lesson 11 judges its clients' history under the charts, with the history chart.
  const extras: PlayerExtra[] = n === 11 ? [historyExtra()] : [];
  const player = createPlayer({ scenarios: lesson.scenarios, extras });
  player.element.dataset.lesson = String(n);
  return { element: player.element, destroy: () => player.destroy() };
}

/** The list of scenarios a lesson has, as links that open each one in the player. */
export function scenarioList(n: number): HTMLElement {
  const lesson = findLesson(n);
  const ul = document.createElement("ul");
  ul.className = "scenario-list";
  for (const s of lesson?.scenarios ?? []) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `?scenario=${encodeURIComponent(s.id)}`;
    a.textContent = s.title;
    li.append(a, ` — ${s.summary}`);
    ul.append(li);
  }
  return ul;
}
