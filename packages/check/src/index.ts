// Public API of @course/check.

export {};
