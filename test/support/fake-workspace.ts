// Moved to src/dev/ so `npm run try` can use it; kept here so test imports keep working.
export * from "../../src/dev/fake-workspace.js";
