// Key pairs for local actors: RSA (for draft-cavage HTTP Signatures, which every server reads) and Ed25519
// (for Object Integrity Proofs and RFC 9421). Made with WebCrypto and stored as JWK.
import { webcrypto } from "node:crypto";
import type { KeyAlgorithm } from "../db/schema/index.ts";

export interface GeneratedKeyPair {
  algorithm: KeyAlgorithm;
  publicKeyJwk: JsonWebKey;
  privateKeyJwk: JsonWebKey;
}

async function exportPair(algorithm: KeyAlgorithm, pair: CryptoKeyPair): Promise<GeneratedKeyPair> {
  return {
    algorithm,
    publicKeyJwk: (await webcrypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey,
    privateKeyJwk: (await webcrypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey,
  };
}

/** Generates the RSA-2048 and Ed25519 key pairs every local actor has. */
export async function generateActorKeyPairs(): Promise<GeneratedKeyPair[]> {
  const rsa = (await webcrypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const ed25519 = (await webcrypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  return [await exportPair("RSASSA-PKCS1-v1_5", rsa), await exportPair("Ed25519", ed25519)];
}
