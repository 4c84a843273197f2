// Objects of the test Obsidian complain loudly about any member they do not implement, so a
// plugin that reaches for more of the API than the stub knows fails with a clear message instead
// of silently getting `undefined`.

"use strict";

/** Property names that JavaScript machinery probes on any object: never an API call. */
const PROBES = new Set([
  "then",
  "toJSON",
  "constructor",
  "__esModule",
  "default",
  "inspect",
  "nodeType",
  "$$typeof",
  "asymmetricMatch",
  "prototype",
  "length",
  "name",
]);

class NotImplementedError extends Error {
  constructor(what) {
    super(`${what} is not implemented in the test obsidian (tests/obsidian-stub)`);
    this.name = "NotImplementedError";
  }
}

/**
 * Wraps `target` so that reading a member it lacks throws a NotImplementedError naming
 * `label.member`.
 */
function strict(target, label) {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === "symbol" || PROBES.has(property) || property in object) {
        return Reflect.get(object, property, receiver);
      }
      throw new NotImplementedError(`${label}.${property}`);
    },
  });
}

/** A function that throws a NotImplementedError naming `what` when called. */
function notImplemented(what) {
  return function notImplementedInTestObsidian() {
    throw new NotImplementedError(what);
  };
}

module.exports = { strict, notImplemented, NotImplementedError };
