// `emoji …` commands: add one of the instance's custom emojis from an image file, list them, remove one;
// the same domain functions as the admin page.
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { listLocalEmojis } from "../db/queries/emojis.ts";
import { addLocalEmoji, removeLocalEmoji } from "../domain/custom-emojis.ts";
import { EMOJI_MAX_BYTES } from "../media/emoji.ts";
import { createMediaStore } from "../media/stores.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

function parse(args: string[], usage: string, withCategory: boolean) {
  try {
    return parseArgs({
      args,
      options: withCategory ? { category: { type: "string" } } : {},
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${usage}`);
  }
}

export const emojiAdd: CliCommand = {
  usage: "emoji add <name> <file> [--category <category>]",
  summary: "Add a custom emoji (:name:) from a PNG, GIF or WebP of at most 256 KB",
  async run(args, ctx) {
    const { values, positionals } = parse(args, this.usage, true);
    if (positionals.length !== 2) {
      throw new CliUsageError(`Expected a name and a file.\nUsage: atelier ${this.usage}`);
    }
    const [name, file] = positionals as [string, string];
    // Read no more than an emoji may be: the size is checked before the file is loaded.
    const size = await stat(file).then(
      (s) => (s.isFile() ? s.size : -1),
      () => -1,
    );
    if (size < 0) throw new CliUsageError(`Cannot read the file ${file}`);
    if (size > EMOJI_MAX_BYTES) {
      throw new CliUsageError(
        `The file is too large (${Math.ceil(size / 1024)} KB): at most ${EMOJI_MAX_BYTES / 1024} KB`,
      );
    }
    const store = createMediaStore(ctx.config);
    const emoji = await addLocalEmoji(ctx.db, store, ctx.config.media.maxPixels, {
      shortcode: name,
      image: await readFile(file),
      category: typeof values.category === "string" ? values.category : null,
    }).finally(() => store.close?.());
    ctx.out(`Added :${emoji.shortcode}:${emoji.category === null ? "" : ` in ${emoji.category}`}`);
  },
};

export const emojiList: CliCommand = {
  usage: "emoji list",
  summary: "List the instance's custom emojis",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const emojis = await listLocalEmojis(ctx.db);
    if (emojis.length === 0) {
      ctx.out("No custom emojis.");
      return;
    }
    for (const e of emojis) {
      const flags = [
        e.disabled ? "disabled" : "",
        e.visibleInPicker ? "" : "hidden from the picker",
      ]
        .filter(Boolean)
        .join(", ");
      ctx.out(
        `:${e.shortcode}:\t${e.category ?? "(no category)"}\t${ctx.urls.media(e.imageKey ?? "")}${flags === "" ? "" : `\t(${flags})`}`,
      );
    }
  },
};

export const emojiRemove: CliCommand = {
  usage: "emoji remove <name>",
  summary: "Remove a custom emoji (posts that used it show :name: as text)",
  async run(args, ctx) {
    const { positionals } = parse(args, this.usage, false);
    if (positionals.length !== 1) {
      throw new CliUsageError(`Expected exactly one name.\nUsage: atelier ${this.usage}`);
    }
    const removed = await removeLocalEmoji(ctx.db, positionals[0]!);
    ctx.out(`Removed :${removed.shortcode}:`);
  },
};
