// A lesson page's exercises: what to edit, which functions are graded, the mistakes the tests catch, and the grading command.

export interface ExerciseInfo {
  readonly lesson: number;
  readonly id: string;
  readonly title: string;
  readonly stubFile: string;
  readonly functions: readonly string[];
  readonly mistakes: ReadonlyArray<{ readonly name: string; readonly description: string }>;
}

/** Shown while a lesson has no graded exercise yet; one line, easy to find and replace. */
export const NO_EXERCISES_YET = "Exercises for this lesson arrive with the grader.";

export function exerciseList(lesson: number, all: readonly ExerciseInfo[]): HTMLElement {
  const box = document.createElement("div");
  box.className = "exercises";
  const mine = all.filter((e) => e.lesson === lesson);
  if (mine.length === 0) {
    const p = document.createElement("p");
    p.className = "exercises-pending";
    p.textContent = NO_EXERCISES_YET;
    box.append(p);
    return box;
  }
  for (const e of mine) {
    const section = document.createElement("section");
    section.className = "exercise";
    section.dataset.exercise = e.id;
    const h = document.createElement("h3");
    h.textContent = e.title;
    const edit = document.createElement("p");
    edit.innerHTML = `Edit <code></code> and write ${e.functions.length === 1 ? "the function" : "the functions"} `;
    (edit.querySelector("code") as HTMLElement).textContent = `lessons/${e.stubFile}`;
    e.functions.forEach((f, i) => {
      const code = document.createElement("code");
      code.textContent = f;
      edit.append(i === 0 ? "" : i === e.functions.length - 1 ? " and " : ", ", code);
    });
    edit.append(". The graded tests run it on its own and plugged into the reference cluster over many seeds.");
    const caught = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `Mistakes the tests are known to catch (${e.mistakes.length})`;
    const ul = document.createElement("ul");
    for (const m of e.mistakes) {
      const li = document.createElement("li");
      li.textContent = m.description;
      ul.append(li);
    }
    caught.append(summary, ul);
    section.append(h, edit, caught);
    box.append(section);
  }
  return box;
}
