// The MessageQueue Fedify is given, around whichever backend stores the messages (SQLite, PostgreSQL,
// Redis): a delivery's message keeps only the keys a delivery uses.
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";

interface QueuedKey {
  keyId: string;
  privateKey: { kty?: unknown };
}

/**
 * Fedify's message for one delivery ({ type: "outbox", keys, … }) carries every key of the sender as
 * JWK, and its queue listener imports each of them for every delivery. Only the RSA key is used there:
 * the HTTP signature (draft-cavage or RFC 9421) and the signed fetches a failed delivery may make are
 * RSA, while the Ed25519 key has already made the activity's Object Integrity Proof, once, before the
 * fan-out was queued. Dropping the Ed25519 key halves the imports per delivery (and shortens each of a
 * fan-out's rows by its 300 bytes); the signatures sent are the same. A fan-out message (type "fanout")
 * keeps both: it makes the proof.
 */
export function withDeliveryKeysOnly(message: unknown): unknown {
  if (typeof message !== "object" || message === null) return message;
  const { type, keys } = message as { type?: unknown; keys?: unknown };
  if (type !== "outbox" || !Array.isArray(keys)) return message;
  const rsa = (keys as QueuedKey[]).filter((key) => key?.privateKey?.kty === "RSA");
  // Without an RSA key Fedify sends unsigned (and warns); nothing to drop then, nor when all are RSA.
  if (rsa.length === 0 || rsa.length === keys.length) return message;
  return { ...message, keys: rsa };
}

/** Our backends: each enqueues a batch at once and reports its depth. */
export type BackendQueue = MessageQueue & Required<Pick<MessageQueue, "enqueueMany" | "getDepth">>;

/** Passes everything to `inner`, with deliveries' messages reduced by withDeliveryKeysOnly first. */
export class OutboxMessageQueue implements MessageQueue {
  readonly #inner: BackendQueue;
  readonly nativeRetrial: boolean | undefined;

  constructor(inner: BackendQueue) {
    this.#inner = inner;
    this.nativeRetrial = inner.nativeRetrial;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.#inner.enqueue(withDeliveryKeysOnly(message), options);
  }

  enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.#inner.enqueueMany(messages.map(withDeliveryKeysOnly), options);
  }

  listen(
    handler: (message: unknown) => Promise<void> | void,
    options?: MessageQueueListenOptions,
  ): Promise<void> {
    return this.#inner.listen(handler, options);
  }

  getDepth(): Promise<MessageQueueDepth> {
    return this.#inner.getDepth();
  }
}
