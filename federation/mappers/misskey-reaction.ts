// An outgoing emoji reaction as Misskey and Akkoma both read it: an EmojiReact whose `content` is the
// emoji (":shortcode:" for a custom one, with its `Emoji` in `tag`) and, since Misskey reads its own
// field first, `_misskey_reaction` with the same text. Fedify's vocabulary has no `_misskey_reaction`,
// so these classes add it to their own serialization, under a term their @context defines, before the
// document is signed. Misskey matches types by their plain names, so the Undo keeps the embedded
// reaction's type, tag and field under their compact names as well.
import { EmojiReact, Undo } from "@fedify/vocab";

const MISSKEY = "https://misskey-hub.net/ns#";
const MISSKEY_REACTION = `${MISSKEY}_misskey_reaction`;
const REACTION_TERMS = {
  misskey: MISSKEY,
  _misskey_reaction: "misskey:_misskey_reaction",
  litepub: "http://litepub.social/ns#",
  EmojiReact: "litepub:EmojiReact",
  toot: "http://joinmastodon.org/ns#",
  Emoji: "toot:Emoji",
} as const;

type JsonObject = Record<string, unknown>;
type ToJsonLdOptions = Parameters<EmojiReact["toJsonLd"]>[0];

const reactionOf = new WeakMap<object, string>();

function withReactionTerms(context: unknown): unknown[] {
  const list = Array.isArray(context) ? [...context] : context == null ? [] : [context];
  list.push(REACTION_TERMS);
  return list;
}

/** A compacted EmojiReact node with Misskey's field, and `tag` an array (as both servers send it). */
function withMisskeyReaction(node: JsonObject, reaction: string): JsonObject {
  const out: JsonObject = { ...node, _misskey_reaction: reaction };
  if (out.tag !== undefined && !Array.isArray(out.tag)) out.tag = [out.tag];
  // Compacted without the term, an embedded reaction's type would be its full IRI.
  if (out.type === "http://litepub.social/ns#EmojiReact" || out.type === "litepub:EmojiReact")
    out.type = "EmojiReact";
  return out;
}

/** A local user's EmojiReact, also carrying Misskey's `_misskey_reaction`. */
export class MisskeyEmojiReact extends EmojiReact {
  static withReaction(values: ConstructorParameters<typeof EmojiReact>[0], reaction: string) {
    const react = new MisskeyEmojiReact(values);
    reactionOf.set(react, reaction);
    return react;
  }

  /** The reaction text (what `content` and `_misskey_reaction` say). */
  get misskeyReaction(): string | undefined {
    return reactionOf.get(this);
  }

  // Fedify clones an activity to attach its proof; the clone must keep the field it signs.
  override clone(...args: Parameters<EmojiReact["clone"]>): EmojiReact {
    const copy = super.clone(...args);
    const reaction = reactionOf.get(this);
    if (reaction !== undefined) reactionOf.set(copy, reaction);
    return copy;
  }

  override async toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    const json = await super.toJsonLd(options);
    const reaction = reactionOf.get(this);
    if (reaction === undefined) return json;
    if (options?.format === "expand") {
      const node = (Array.isArray(json) ? json[0] : json) as JsonObject;
      node[MISSKEY_REACTION] = [{ "@value": reaction }];
      return json;
    }
    // A copy: Fedify may hand back a document it keeps.
    const node = withMisskeyReaction(json as JsonObject, reaction);
    if ("@context" in node) node["@context"] = withReactionTerms(node["@context"]);
    return node;
  }
}

/** The Undo of a MisskeyEmojiReact, its embedded reaction serialized with the same fields. */
export class ReactionUndo extends Undo {
  static of(values: ConstructorParameters<typeof Undo>[0] & { object: MisskeyEmojiReact }) {
    const undo = new ReactionUndo(values);
    const reaction = values.object.misskeyReaction;
    if (reaction !== undefined) reactionOf.set(undo, reaction);
    return undo;
  }

  override clone(...args: Parameters<Undo["clone"]>): Undo {
    const copy = super.clone(...args);
    const reaction = reactionOf.get(this);
    if (reaction !== undefined) reactionOf.set(copy, reaction);
    return copy;
  }

  override async toJsonLd(options: ToJsonLdOptions = {}): Promise<unknown> {
    const json = await super.toJsonLd(options);
    const reaction = reactionOf.get(this);
    if (reaction === undefined || options?.format === "expand") return json;
    const node = { ...(json as JsonObject) };
    const object = node.object;
    if (object === null || typeof object !== "object" || Array.isArray(object)) return json;
    const embedded = { ...(object as JsonObject) };
    // The embedded reaction's own expansion names the field by its IRI where this context lacks it.
    delete embedded[MISSKEY_REACTION];
    delete embedded["misskey:_misskey_reaction"];
    node.object = withMisskeyReaction(embedded, reaction);
    if ("@context" in node) node["@context"] = withReactionTerms(node["@context"]);
    return node;
  }
}
