// Public API of @course/viz.

export {};
