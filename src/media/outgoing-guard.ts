// Fedify's outgoing requests (deliveries from the queue, the document loader's fetches of actors, keys and
// objects, lookups) go through Node's global fetch, which Fedify gives no option to replace. So the same
// address policy as remote-fetch.ts's downloads is put under that fetch: a dispatcher that, inside
// `withOutgoingGuard`, connects only through guardedLookup (the address the socket gets is the one checked,
// so a name that re-resolves cannot point us inside) and refuses reserved address literals. Outside the
// guard (the operator's own services, such as a local image generator) fetch behaves as before.
import { AsyncLocalStorage } from "node:async_hooks";
import { isIP } from "node:net";
import { guardedLookup, isReservedAddress, RemoteFetchError } from "./remote-fetch.ts";

const guarded = new AsyncLocalStorage<true>();
// Node keeps fetch's dispatcher under this registered symbol (the one undici's setGlobalDispatcher uses).
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

interface DispatchOptions {
  origin?: string | URL;
}
interface Dispatcher {
  dispatch(options: DispatchOptions, handler: unknown): boolean;
}
type AgentClass = new (options?: { connect?: object }) => Dispatcher;

let installing: Promise<void> | undefined;

/** Puts the guarded dispatcher under global fetch once per process (a second call waits for the first). */
export function installOutgoingGuard(): Promise<void> {
  installing ??= (async () => {
    const slot = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
    // Node makes its dispatcher on the first fetch; its class is the Agent the guarded one is made from,
    // so nothing outside Node's own fetch is needed.
    if (slot[GLOBAL_DISPATCHER] === undefined) await fetch("data:,").catch(() => undefined);
    const current = slot[GLOBAL_DISPATCHER];
    if (current === undefined) throw new Error("Node's fetch has no global dispatcher");
    const Agent = current.constructor as AgentClass;
    const safe = new Agent({ connect: { lookup: guardedLookup(false) } });
    class ScopedAgent extends Agent {
      override dispatch(options: DispatchOptions, handler: unknown): boolean {
        if (guarded.getStore() === undefined) return super.dispatch(options, handler);
        // A literal never goes through the lookup, so it is checked here.
        const host = new URL(String(options.origin)).hostname.replace(/^\[|\]$/g, "");
        if (isIP(host) !== 0 && isReservedAddress(host)) {
          throw new RemoteFetchError(`${host} is a private address`);
        }
        return safe.dispatch(options, handler);
      }
    }
    slot[GLOBAL_DISPATCHER] = new ScopedAgent();
  })();
  return installing;
}

/**
 * Runs `work` (and everything it starts: a queue's polling loop, a handler's awaits) with fetch refusing
 * private, loopback, link-local and other reserved addresses, unless `allowPrivateAddress` (tests that
 * federate instances on loopback).
 */
export function withOutgoingGuard<T>(
  allowPrivateAddress: boolean,
  work: () => Promise<T>,
): Promise<T> {
  if (allowPrivateAddress) return work();
  return guarded.run(true, async () => {
    await installOutgoingGuard();
    return work();
  });
}
