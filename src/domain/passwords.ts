// Password hashing with argon2id (node:crypto, Node 24.7+), stored as a PHC string so the parameters can be
// raised later without invalidating existing hashes.
import { argon2, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { badRequest } from "../errors.ts";

const argon2Async = promisify(argon2);

// OWASP's minimum recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
const defaults = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Why a password cannot be used (too short, absurdly long), in Mastodon's codes; null when it can. */
export function passwordProblem(password: string): { error: string; description: string } | null {
  if (password.length === 0)
    return { error: "ERR_BLANK", description: "Password must not be empty" };
  if (password.length < PASSWORD_MIN_LENGTH) {
    return {
      error: "ERR_TOO_SHORT",
      description: `Password is too short: use at least ${PASSWORD_MIN_LENGTH} characters`,
    };
  }
  // Bounded so that hashing cost is bounded too.
  if (password.length > PASSWORD_MAX_LENGTH) {
    return {
      error: "ERR_TOO_LONG",
      description: `Password is too long: use at most ${PASSWORD_MAX_LENGTH} characters`,
    };
  }
  return null;
}

/** Rejects passwords that are too short or absurdly long. */
export function validatePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw badRequest(problem.description);
}

const b64 = (buf: Buffer) => buf.toString("base64").replace(/=+$/, "");

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const hash = await argon2Async("argon2id", { message: password, nonce, ...defaults });
  const { memory, passes, parallelism } = defaults;
  return `$argon2id$v=19$m=${memory},t=${passes},p=${parallelism}$${b64(nonce)}$${b64(hash)}`;
}

const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Checks a password against a stored PHC string in constant time; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = phc.exec(stored);
  if (m === null || password.length > PASSWORD_MAX_LENGTH) return false;
  const expected = Buffer.from(m[5]!, "base64");
  const hash = await argon2Async("argon2id", {
    message: password,
    nonce: Buffer.from(m[4]!, "base64"),
    memory: Number(m[1]),
    passes: Number(m[2]),
    parallelism: Number(m[3]),
    tagLength: expected.length,
  });
  return hash.length === expected.length && timingSafeEqual(hash, expected);
}

/** A random password for generated accounts: 20 characters, about 119 bits. */
export function randomPassword(): string {
  return randomBytes(15).toString("base64url");
}
