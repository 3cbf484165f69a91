// The vocabulary of Atelier's AI provenance extension: the JSON-LD namespace and terms put on an image
// attachment so that peers which understand them can show the prompt and offer "remix". Federation maps
// media_attachments.provenance to these terms; keep the README section "AI provenance extension" in step.
import type { LineageStep, MediaProvenance } from "../db/schema/index.ts";

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
  /**
   * The studio steps that made the image, first step first (an ordered list of nodes, each with
   * aiStepId, aiParentStepId when it refined one, aiStepKind, aiPrompt, aiModel and aiProvider).
   */
  aiLineage: `${ATELIER_NS}aiLineage`,
  /** A lineage step's id on its server (string). */
  aiStepId: `${ATELIER_NS}aiStepId`,
  /** The id of the step it refined (string). */
  aiParentStepId: `${ATELIER_NS}aiParentStepId`,
  /** "generate", "refine", "vary", "inpaint" or "resize" (string). */
  aiStepKind: `${ATELIER_NS}aiStepKind`,
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
  aiLineage: { "@id": "atelier:aiLineage", "@container": "@list" },
  aiStepId: "atelier:aiStepId",
  aiParentStepId: "atelier:aiParentStepId",
  aiStepKind: "atelier:aiStepKind",
  digitalSourceType: { "@id": "schema:digitalSourceType", "@type": "@id" },
} as const;

/**
 * On a local actor: whether its owner allows their public prompts and images in datasets exported from
 * this server (users.ai_data_consent; boolean, like Mastodon's `indexable`). It describes this server's
 * exports only: a remote actor's value is never read, and remote posts are never exported whatever it
 * says (README "AI provenance extension").
 */
export const AI_DATASET_CONSENT = `${ATELIER_NS}aiDatasetConsent`;

/** The @context entry that defines the actor term (added to a Person's @context array). */
export const ACTOR_DATASET_CONTEXT = {
  atelier: ATELIER_NS,
  aiDatasetConsent: "atelier:aiDatasetConsent",
} as const;

/**
 * On a Note: the status it remixes (an @id), i.e. whose prompt its images were generated from. A remix
 * also quotes its source (FEP-044f `quote`); this term says the quote is a remix, so a receiving Atelier
 * can count it on the source's page while a plain quote stays a quote.
 */
export const REMIX_OF = `${ATELIER_NS}remixOf`;

/** The @context entry that defines the Note term. */
export const REMIX_CONTEXT = {
  atelier: ATELIER_NS,
  remixOf: { "@id": "atelier:remixOf", "@type": "@id" },
} as const;

/** Longest remixOf IRI accepted (a longer one is dropped, not cut: a cut IRI names something else). */
export const REMOTE_IRI_MAX_LENGTH = 2048;

/**
 * The remixOf of a received Note's JSON (compact term, prefixed or full IRI; a string, a node or a
 * one-element array of either): an http(s) IRI of bounded length, or undefined. The node may say `id`
 * rather than `@id`: compacted with only the ActivityStreams context (which aliases it, and does not
 * define the term), as Fedify delivers an activity, the term keeps its full IRI and its value is
 * {"id": …}.
 */
export function remixOfFromJsonLd(json: Record<string, unknown>): string | undefined {
  const raw = json.remixOf ?? json["atelier:remixOf"] ?? json[REMIX_OF];
  const first = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : undefined) : raw;
  const node =
    typeof first === "object" && first !== null ? (first as Record<string, unknown>) : null;
  const value = node === null ? first : (node["@id"] ?? node.id);
  if (typeof value !== "string" || value.length > REMOTE_IRI_MAX_LENGTH) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/** Longest prompt accepted from a remote attachment (remote data is untrusted). */
export const REMOTE_PROMPT_MAX_LENGTH = 4000;

/**
 * The provenance that travels with an attachment: media_attachments.provenance without the id of the
 * generation job, which means nothing on another server.
 */
export type AttachmentProvenance = Omit<MediaProvenance, "generationId">;

/** One lineage step as a compact JSON-LD node. */
export type LineageNode = Record<string, string>;

/** The compact JSON-LD properties to put on an outgoing attachment (with AI_PROVENANCE_CONTEXT). */
export function provenanceToJsonLd(
  p: AttachmentProvenance,
): Record<string, string | number | LineageNode[]> {
  const out: Record<string, string | number | LineageNode[]> = {
    digitalSourceType: p.digitalSourceType,
  };
  if (p.prompt) out.aiPrompt = p.prompt;
  if (p.negativePrompt) out.aiNegativePrompt = p.negativePrompt;
  if (p.revisedPrompt) out.aiRevisedPrompt = p.revisedPrompt;
  if (p.model) out.aiModel = p.model;
  if (p.provider) out.aiProvider = p.provider;
  if (p.seed !== undefined) out.aiSeed = p.seed;
  if (p.lineage !== undefined && p.lineage.length > 0) {
    out.aiLineage = p.lineage.map((step) => ({
      aiStepId: step.id,
      ...(step.parentId !== undefined ? { aiParentStepId: step.parentId } : {}),
      aiStepKind: step.kind,
      aiPrompt: step.prompt,
      ...(step.model ? { aiModel: step.model } : {}),
      ...(step.provider ? { aiProvider: step.provider } : {}),
    }));
  }
  return out;
}

/** Most lineage steps read from a remote attachment (ours carry at most STUDIO_MAX_DEPTH + 1). */
export const REMOTE_LINEAGE_MAX_STEPS = 32;

/** A received aiLineage (compact or expanded list), bounded and cleaned; undefined when absent. */
function lineageFromJsonLd(value: unknown): LineageStep[] | undefined {
  const list =
    typeof value === "object" && value !== null && "@list" in value
      ? (value as { "@list": unknown })["@list"]
      : Array.isArray(value) &&
          value.length === 1 &&
          typeof value[0] === "object" &&
          value[0] !== null &&
          "@list" in value[0]
        ? (value[0] as { "@list": unknown })["@list"]
        : value;
  if (!Array.isArray(list)) return undefined;
  const steps: LineageStep[] = [];
  for (const node of list.slice(0, REMOTE_LINEAGE_MAX_STEPS)) {
    if (typeof node !== "object" || node === null) continue;
    const n = node as Record<string, unknown>;
    const get = (term: keyof typeof AI_PROVENANCE_TERMS) =>
      n[term] ?? n[AI_PROVENANCE_TERMS[term]] ?? n[`atelier:${term}`];
    const id = text(get("aiStepId"), SHORT_MAX_LENGTH);
    const prompt = text(get("aiPrompt"), REMOTE_PROMPT_MAX_LENGTH);
    if (id === undefined || prompt === undefined) continue;
    const step: LineageStep = { id, kind: text(get("aiStepKind"), 20) ?? "generate", prompt };
    const parentId = text(get("aiParentStepId"), SHORT_MAX_LENGTH);
    if (parentId) step.parentId = parentId;
    const model = text(get("aiModel"), SHORT_MAX_LENGTH);
    if (model) step.model = model;
    const provider = text(get("aiProvider"), SHORT_MAX_LENGTH);
    if (provider) step.provider = provider;
    steps.push(step);
  }
  return steps.length > 1 ? steps : undefined;
}

const SHORT_MAX_LENGTH = 200;

function text(value: unknown, max: number): string | undefined {
  // Compacted JSON-LD may wrap a literal as {"@value": …} or a one-element array.
  const v = Array.isArray(value) ? value[0] : value;
  const s =
    typeof v === "object" && v !== null && "@value" in v
      ? (v as { "@value": unknown })["@value"]
      : v;
  if (typeof s !== "string") return undefined;
  // Control characters (other than tab and newlines) have no place in a prompt shown to people.
  const cleaned = [...s]
    .filter((ch) => {
      const c = ch.charCodeAt(0);
      return (c >= 0x20 && c !== 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d;
    })
    .join("")
    .trim();
  return cleaned === "" ? undefined : cleaned.slice(0, max);
}

/**
 * Reads provenance from a received attachment's JSON (compact terms or full IRIs). Remote data is
 * untrusted: strings are bounded and cleaned, the seed must be a safe integer, the source type an http(s)
 * IRI. Returns undefined when the attachment says nothing about its origin.
 */
export function provenanceFromJsonLd(
  json: Record<string, unknown>,
): AttachmentProvenance | undefined {
  const get = (term: keyof typeof AI_PROVENANCE_TERMS) =>
    json[term] ?? json[AI_PROVENANCE_TERMS[term]] ?? json[`atelier:${term}`];
  const typeValue = get("digitalSourceType") ?? json["schema:digitalSourceType"];
  const typeIri =
    typeof typeValue === "object" && typeValue !== null && "@id" in typeValue
      ? (typeValue as { "@id": unknown })["@id"]
      : typeValue;
  const digitalSourceType = text(typeIri, SHORT_MAX_LENGTH);
  const prompt = text(get("aiPrompt"), REMOTE_PROMPT_MAX_LENGTH);
  if (digitalSourceType === undefined && prompt === undefined) return undefined;
  const seedValue = get("aiSeed");
  const seedRaw =
    typeof seedValue === "object" && seedValue !== null && "@value" in seedValue
      ? (seedValue as { "@value": unknown })["@value"]
      : seedValue;
  const seed =
    typeof seedRaw === "string" && /^\d{1,15}$/.test(seedRaw) ? Number(seedRaw) : seedRaw;
  const result: AttachmentProvenance = {
    // A prompt without a stated source type still means "made by a generator".
    digitalSourceType:
      digitalSourceType !== undefined && /^https?:\/\//.test(digitalSourceType)
        ? digitalSourceType
        : "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
  };
  if (prompt) result.prompt = prompt;
  const negativePrompt = text(get("aiNegativePrompt"), 1000);
  if (negativePrompt) result.negativePrompt = negativePrompt;
  const revisedPrompt = text(get("aiRevisedPrompt"), REMOTE_PROMPT_MAX_LENGTH);
  if (revisedPrompt) result.revisedPrompt = revisedPrompt;
  const model = text(get("aiModel"), SHORT_MAX_LENGTH);
  if (model) result.model = model;
  const provider = text(get("aiProvider"), SHORT_MAX_LENGTH);
  if (provider) result.provider = provider;
  if (typeof seed === "number" && Number.isSafeInteger(seed) && seed >= 0) result.seed = seed;
  const lineage = lineageFromJsonLd(get("aiLineage"));
  if (lineage) result.lineage = lineage;
  return result;
}
