// Loaded with `node --import ./src/preload.ts` before the entry points. Node 24's ESM loader re-reads the
// package.json of a package for every module it loads from it; drizzle-orm's is 179 KB (a huge exports
// map), so importing drizzle as ESM cost about 1 s and left ~150 MB of heap behind. Its CommonJS build is
// the same code, so ESM imports of drizzle-orm are resolved to it: start-up and idle memory drop sharply
// (measured: RSS 250 MB → 66 MB for the import alone).
import { enableCompileCache, registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === "drizzle-orm" || specifier.startsWith("drizzle-orm/")) {
      return nextResolve(specifier, { ...context, conditions: ["node", "require", "default"] });
    }
    return nextResolve(specifier, context);
  },
});

// Node keeps V8's compiled code of every module (ours, type-stripped, and the dependencies') in a cache
// (NODE_COMPILE_CACHE, or node-compile-cache under the system's temporary folder), checked against each
// file's content, so every start after the first compiles little: measured CPU for the imports of
// main.ts 2.0 s → 1.6-1.7 s. If the folder cannot be written, Node just runs without it.
enableCompileCache();
