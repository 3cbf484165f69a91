// sharp, loaded on first use. It brings libvips (a large native library) and a dozen modules: a server
// that is starting, or idle, or only answering reads, needs none of it. require() keeps every caller
// synchronous; it loads sharp's CommonJS build, the same code as its ESM one.
import { createRequire } from "node:module";
import type { Sharp, SharpInput, SharpOptions } from "sharp";

const require = createRequire(import.meta.url);
let loaded: SharpCall | undefined;

/** sharp's two call forms (its static members are not used here). */
interface SharpCall {
  (options?: SharpOptions): Sharp;
  (input?: SharpInput | SharpInput[], options?: SharpOptions): Sharp;
}

/** The sharp function, loading the library the first time it is called. */
export const sharp: SharpCall = (...args: unknown[]) => {
  loaded ??= require("sharp") as SharpCall;
  return (loaded as (...a: unknown[]) => Sharp)(...args);
};
