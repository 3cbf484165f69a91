// JSON-LD terms Fedify's vocabulary lacks but Mastodon reads on attachments: `blurhash` and `focalPoint`,
// and Atelier's AI provenance extension (aiPrompt, aiModel, … and schema:digitalSourceType). A MediaDocument adds them to its own serialization; the
// Extended* activity classes compact with a context that defines them, so they come out under the plain
// names Mastodon looks for, and Linked Data signatures and proofs cover them.
import { Create, Document, Note, Person, Question, Update } from "@fedify/vocab";
import {
  ACTOR_DATASET_CONTEXT,
  AI_DATASET_CONSENT,
  AI_PROVENANCE_CONTEXT,
  AI_PROVENANCE_TERMS,
  type AttachmentProvenance,
  provenanceToJsonLd,
  REMIX_CONTEXT,
  REMIX_OF,
} from "../../src/generation/provenance-vocab.ts";

const TOOT = "http://joinmastodon.org/ns#";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** Term definitions appended to the @context of everything that may embed a MediaDocument. */
export const ATTACHMENT_TERMS = {
  toot: TOOT,
  blurhash: "toot:blurhash",
  focalPoint: { "@container": "@list", "@id": "toot:focalPoint" },
  // Atelier's AI provenance terms (src/generation/provenance-vocab.ts; README "AI provenance extension").
  ...AI_PROVENANCE_CONTEXT,
} as const;

// The context Fedify compacts activities with (from @fedify/vocab 2.3.6), plus ATTACHMENT_TERMS.
const ACTIVITY_CONTEXT = [
  "https://w3id.org/identity/v1",
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/data-integrity/v1",
  "https://gotosocial.org/ns",
  {
    misskey: "https://misskey-hub.net/ns#",
    fedibird: "http://fedibird.com/ns#",
    sensitive: "as:sensitive",
    Emoji: "toot:Emoji",
    Hashtag: "as:Hashtag",
    quote: { "@id": "https://w3id.org/fep/044f#quote", "@type": "@id" },
    quoteUrl: "as:quoteUrl",
    _misskey_quote: "misskey:_misskey_quote",
    quoteUri: "fedibird:quoteUri",
    emojiReactions: { "@id": "fedibird:emojiReactions", "@type": "@id" },
    // A Question's voter count, under the plain name Mastodon reads.
    votersCount: {
      "@id": "toot:votersCount",
      "@type": "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
    },
    ...ATTACHMENT_TERMS,
    // Atelier's remix lineage on a Note (README "AI provenance extension").
    ...REMIX_CONTEXT,
  },
];

export interface AttachmentExtras {
  blurhash: string | null;
  focalPoint: [number, number] | null;
  /** Where an AI image came from (media_attachments.provenance); null for other images. */
  provenance?: AttachmentProvenance | null;
}

type JsonObject = Record<string, unknown>;
type ToJsonLdOptions = Parameters<Document["toJsonLd"]>[0];

const extrasOf = new WeakMap<object, AttachmentExtras>();

/** A Document (image attachment) that serializes blurhash and focalPoint too. */
export class MediaDocument extends Document {
  static withExtras(values: ConstructorParameters<typeof Document>[0], extras: AttachmentExtras) {
    const doc = new MediaDocument(values);
    extrasOf.set(doc, extras);
    return doc;
  }

  override async toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    const json = await super.toJsonLd(options);
    const extras = extrasOf.get(this);
    if (extras === undefined) return json;
    if (options?.format === "expand") {
      const node = (Array.isArray(json) ? json[0] : json) as JsonObject;
      if (extras.blurhash) node[`${TOOT}blurhash`] = [{ "@value": extras.blurhash }];
      if (extras.focalPoint) {
        node[`${TOOT}focalPoint`] = [{ "@list": extras.focalPoint.map((v) => ({ "@value": v })) }];
      }
      if (extras.provenance) {
        const iriOf = (term: string) =>
          AI_PROVENANCE_TERMS[term as keyof typeof AI_PROVENANCE_TERMS];
        for (const [term, value] of Object.entries(provenanceToJsonLd(extras.provenance))) {
          node[iriOf(term)] =
            term === "digitalSourceType"
              ? [{ "@id": value }]
              : term === "aiSeed"
                ? [{ "@value": value, "@type": "http://www.w3.org/2001/XMLSchema#integer" }]
                : Array.isArray(value)
                  ? // aiLineage: an ordered list of step nodes.
                    [
                      {
                        "@list": value.map((step) =>
                          Object.fromEntries(
                            Object.entries(step).map(([t, v]) => [iriOf(t), [{ "@value": v }]]),
                          ),
                        ),
                      },
                    ]
                  : [{ "@value": value }];
        }
      }
      return json;
    }
    const node = json as JsonObject;
    if (extras.blurhash) node.blurhash = extras.blurhash;
    if (extras.focalPoint) node.focalPoint = extras.focalPoint;
    if (extras.provenance) Object.assign(node, provenanceToJsonLd(extras.provenance));
    if (options?.format === undefined || options.format === null) {
      // The fast (non-JSON-LD) path: make the terms defined where the document is top-level.
      if ("@context" in node) node["@context"] = withTerms(node["@context"]);
    }
    return node;
  }
}

function withTerms(context: unknown, terms: object = ATTACHMENT_TERMS): unknown[] {
  const list = Array.isArray(context) ? [...context] : context == null ? [] : [context];
  list.push(terms);
  return list;
}

/** What a local Person says beyond Fedify's vocabulary. */
export interface ActorExtras {
  /** Atelier's aiDatasetConsent: whether the owner allows their work in this server's datasets. */
  aiDatasetConsent: boolean;
}

const actorExtrasOf = new WeakMap<object, ActorExtras>();

/** A Person that also serializes Atelier's aiDatasetConsent (src/generation/provenance-vocab.ts). */
export class ExtendedPerson extends Person {
  static withExtras(values: ConstructorParameters<typeof Person>[0], extras: ActorExtras) {
    const person = new ExtendedPerson(values);
    actorExtrasOf.set(person, extras);
    return person;
  }

  override async toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    const json = await super.toJsonLd(options);
    const extras = actorExtrasOf.get(this);
    if (extras === undefined) return json;
    if (options?.format === "expand") {
      // Fedify's compacting path expands first (through this method), so the term survives it too,
      // under its full IRI where the caller's context does not name it.
      const node = (Array.isArray(json) ? json[0] : json) as JsonObject;
      node[AI_DATASET_CONSENT] = [{ "@value": extras.aiDatasetConsent }];
      return json;
    }
    if (options?.format === undefined || options.format === null) {
      // The fast path, which actor documents take: the plain term, defined in the document's context.
      // A copy: Fedify may hand back a document it keeps.
      const node = { ...(json as JsonObject) };
      node.aiDatasetConsent = extras.aiDatasetConsent;
      if ("@context" in node) node["@context"] = withTerms(node["@context"], ACTOR_DATASET_CONTEXT);
      return node;
    }
    return json;
  }
}

/**
 * Always compacts with ACTIVITY_CONTEXT, so the extension terms come out under their plain names, and
 * keeps `attachment` an array even with one item (Mastodon and others expect one).
 */
async function extendedJsonLd(
  serialize: (options: ToJsonLdOptions) => Promise<unknown>,
  options: ToJsonLdOptions = {},
): Promise<unknown> {
  if (options?.format === "expand") return serialize(options);
  // Fedify types the context as string maps only; nested term definitions are valid JSON-LD.
  const context = (options?.context ?? ACTIVITY_CONTEXT) as NonNullable<ToJsonLdOptions>["context"];
  const json = (await serialize({ ...options, format: "compact", context })) as JsonObject;
  for (const node of [json, json.object]) {
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      const n = node as JsonObject;
      if (n.attachment !== undefined && !Array.isArray(n.attachment)) n.attachment = [n.attachment];
      // The public collection in a canQuote rule as its full IRI too: Mastodon 4.5 compares it so.
      const rule = (n.interactionPolicy as JsonObject | undefined)?.canQuote as
        | JsonObject
        | undefined;
      if (rule?.automaticApproval !== undefined) {
        rule.automaticApproval = [rule.automaticApproval]
          .flat()
          .map((v) => (v === "as:Public" || v === "Public" ? PUBLIC : v));
      }
      // Addressing as full IRIs in arrays: some servers match "https://…#Public" literally.
      for (const key of ["to", "cc"] as const) {
        if (n[key] === undefined) continue;
        n[key] = (Array.isArray(n[key]) ? n[key] : [n[key]]).map((v) =>
          v === "as:Public" || v === "Public" ? PUBLIC : v,
        );
      }
    }
  }
  return json;
}

/** What a local post says beyond Fedify's vocabulary. */
export interface PostExtras {
  /** Atelier's remixOf: the IRI of the status it remixes. */
  remixOf: string | null;
}

const postExtrasOf = new WeakMap<object, PostExtras>();

/**
 * A post's JSON-LD with its extras. Embedded in an activity, the post is asked for its expanded form
 * (which the activity then compacts with ACTIVITY_CONTEXT): the term goes in under its full IRI. Its own
 * compact form is compacted by Fedify from an expansion that does not pass through here, so the term is
 * added afterwards under the plain name ACTIVITY_CONTEXT defines.
 */
async function postJsonLd(
  post: object,
  serialize: (options: ToJsonLdOptions) => Promise<unknown>,
  options: ToJsonLdOptions,
): Promise<unknown> {
  const json = await extendedJsonLd(serialize, options);
  const remixOf = postExtrasOf.get(post)?.remixOf;
  if (!remixOf) return json;
  if (options?.format === "expand") {
    const node = (Array.isArray(json) ? json[0] : json) as JsonObject;
    node[REMIX_OF] = [{ "@id": remixOf }];
    return json;
  }
  // Only under the context that defines the term (a caller's own context may not).
  if (options?.context === undefined) (json as JsonObject).remixOf = remixOf;
  return json;
}

export class ExtendedNote extends Note {
  static withExtras(values: ConstructorParameters<typeof Note>[0], extras: PostExtras) {
    const note = new ExtendedNote(values);
    postExtrasOf.set(note, extras);
    return note;
  }

  override toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    return postJsonLd(this, (o) => super.toJsonLd(o), options);
  }
}

/** A local poll: a Question (Fedify models it as an intransitive activity) with the same extras. */
export class ExtendedQuestion extends Question {
  static withExtras(values: ConstructorParameters<typeof Question>[0], extras: PostExtras) {
    const question = new ExtendedQuestion(values);
    postExtrasOf.set(question, extras);
    return question;
  }

  override toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    return postJsonLd(this, (o) => super.toJsonLd(o), options);
  }
}

export class ExtendedCreate extends Create {
  override toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    return extendedJsonLd((o) => super.toJsonLd(o), options);
  }
}

export class ExtendedUpdate extends Update {
  override toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    return extendedJsonLd((o) => super.toJsonLd(o), options);
  }
}
