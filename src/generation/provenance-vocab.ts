// The vocabulary of Atelier's AI provenance extension: the JSON-LD namespace and terms put on an image
// attachment so that peers which understand them can show the prompt and offer "remix". Federation maps
// media_attachments.provenance to these terms; keep the README section "AI provenance extension" in step.

/** Namespace of Atelier's own terms. */
export const ATELIER_NS = "https://atelier.social/ns#";
/** schema.org, for the standard `digitalSourceType` property. */
export const SCHEMA_NS = "http://schema.org/";

/** Term → IRI, as they appear in an activity's @context (compact names on the attachment). */
export const AI_PROVENANCE_TERMS = {
  /** The prompt the image was generated from (string). */
  aiPrompt: `${ATELIER_NS}aiPrompt`,
  /** What the model actually used, when it rewrote the prompt (string). */
  aiRevisedPrompt: `${ATELIER_NS}aiRevisedPrompt`,
  /** What the image should avoid (string). */
  aiNegativePrompt: `${ATELIER_NS}aiNegativePrompt`,
  /** The model, e.g. "gpt-image-1" or "atelier-procedural-1" (string). */
  aiModel: `${ATELIER_NS}aiModel`,
  /** Who ran it: "openai", "local", or another provider name (string). */
  aiProvider: `${ATELIER_NS}aiProvider`,
  /** Seed, for reproducible generators (integer). */
  aiSeed: `${ATELIER_NS}aiSeed`,
  /** IPTC DigitalSourceType IRI, e.g. …/digitalsourcetype/trainedAlgorithmicMedia (@id). */
  digitalSourceType: `${SCHEMA_NS}digitalSourceType`,
} as const;

/** The @context entry that defines the terms (add it to the Note's @context array). */
export const AI_PROVENANCE_CONTEXT = {
  atelier: ATELIER_NS,
  schema: SCHEMA_NS,
  aiPrompt: "atelier:aiPrompt",
  aiRevisedPrompt: "atelier:aiRevisedPrompt",
  aiNegativePrompt: "atelier:aiNegativePrompt",
  aiModel: "atelier:aiModel",
  aiProvider: "atelier:aiProvider",
  aiSeed: { "@id": "atelier:aiSeed", "@type": "http://www.w3.org/2001/XMLSchema#integer" },
  digitalSourceType: { "@id": "schema:digitalSourceType", "@type": "@id" },
} as const;

/** Longest prompt accepted from a remote attachment (remote data is untrusted). */
export const REMOTE_PROMPT_MAX_LENGTH = 4000;
