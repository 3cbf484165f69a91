// `rule …` commands: add, list and remove the instance's rules (served at /api/v1/instance/rules, shown
// on the about page and at sign-up), the same domain functions as the admin page.
import { parseArgs } from "node:util";
import {
  addInstanceRule,
  listInstanceRules,
  removeInstanceRule,
} from "../domain/instance-rules.ts";
import { notFound } from "../errors.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

function parse(args: string[], usage: string, withHint: boolean) {
  try {
    return parseArgs({
      args,
      options: withHint ? { hint: { type: "string" } } : {},
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${usage}`);
  }
}

export const ruleAdd: CliCommand = {
  usage: "rule add <text> [--hint <explanation>]",
  summary: "Add an instance rule (members agree to the rules at sign-up)",
  async run(args, ctx) {
    const { values, positionals } = parse(args, this.usage, true);
    if (positionals.length !== 1) {
      throw new CliUsageError(
        `Expected the text as one argument (quote it).\nUsage: atelier ${this.usage}`,
      );
    }
    const rule = await addInstanceRule(ctx.db, {
      text: positionals[0]!,
      hint: typeof values.hint === "string" ? values.hint : "",
    });
    ctx.out(`Added rule ${rule.id}`);
  },
};

export const ruleList: CliCommand = {
  usage: "rule list",
  summary: "List the instance rules in their order",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const rules = await listInstanceRules(ctx.db);
    if (rules.length === 0) {
      ctx.out("No rules.");
      return;
    }
    for (const r of rules) {
      ctx.out(`${r.id}\t${r.text}${r.hint === "" ? "" : `\t(${r.hint.replace(/\s+/g, " ")})`}`);
    }
  },
};

export const ruleRemove: CliCommand = {
  usage: "rule remove <id>",
  summary: "Remove an instance rule",
  async run(args, ctx) {
    const { positionals } = parse(args, this.usage, false);
    if (positionals.length !== 1) {
      throw new CliUsageError(`Expected exactly one id.\nUsage: atelier ${this.usage}`);
    }
    const id = positionals[0]!;
    if (!(await removeInstanceRule(ctx.db, id))) throw notFound(`There is no rule ${id}`);
    ctx.out(`Removed rule ${id}`);
  },
};
