// Mastodon's CSV files for moving between servers: writing a line (RFC 4180 quoting, as Ruby's CSV
// writes it) and reading an uploaded file into import rows, strictly — a file of the wrong kind, too
// large, too long or with a bad line is refused whole, with a message, before anything is stored.
import type { BulkImportRowData, BulkImportType } from "../../db/schema/index.ts";
import { badRequest } from "../../errors.ts";

/** Mastodon's Form::Import limits: 20 MB per file, 20,000 rows. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 20_000;

export const IMPORT_TYPES: readonly BulkImportType[] = [
  "following",
  "blocking",
  "muting",
  "domain_blocking",
  "bookmarks",
  "lists",
];

// The header row each type's file may start with (Mastodon's EXPECTED_HEADERS_BY_TYPE) and, for a file
// without one (Mastodon writes blocks, domain blocks, bookmarks and lists without), the columns assumed.
const EXPECTED_HEADERS: Record<BulkImportType, readonly string[]> = {
  following: ["Account address", "Show boosts", "Notify on new posts", "Languages"],
  blocking: ["Account address"],
  muting: ["Account address", "Hide notifications"],
  domain_blocking: ["#domain"],
  bookmarks: ["#uri"],
  lists: ["List name", "Account address"],
};
const DEFAULT_HEADERS: Record<BulkImportType, readonly string[]> = {
  following: ["Account address"],
  blocking: ["Account address"],
  muting: ["Account address"],
  domain_blocking: ["#domain"],
  bookmarks: ["#uri"],
  lists: ["List name", "Account address"],
};
const KNOWN_FIRST_HEADERS = new Set(Object.values(EXPECTED_HEADERS).map((h) => h[0]));

/** One CSV line (with its newline); a field with a comma, quote or line break is quoted. */
export function csvLine(fields: readonly (string | boolean | null | undefined)[]): string {
  return `${fields
    .map((f) => {
      const text = f === null || f === undefined ? "" : String(f);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(",")}\n`;
}

/** The records of a CSV text, blank lines left out; each with the line it starts on. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) out.push({ line: start, fields });
    fields = [];
    field = "";
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw badRequest(
            `The file is not valid CSV: unexpected text after a quote on line ${line}.`,
          );
        }
      } else {
        if (ch === "\n") line += 1;
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field !== "") {
        throw badRequest(`The file is not valid CSV: a stray quote on line ${line}.`);
      }
      quoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      endRecord();
      line += 1;
      start = line;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted)
    throw badRequest(`The file is not valid CSV: a quote opened on line ${start} never closes.`);
  endRecord();
  return out;
}

// Rails' boolean cast, as Mastodon reads "Show boosts" and its kind: these words are false, an empty
// field is unset, anything else is true.
const FALSE_WORDS = new Set(["false", "0", "f", "off", "no", "n"]);
function flagOf(field: string | undefined): boolean | undefined {
  const v = field?.trim().toLowerCase();
  if (v === undefined || v === "") return undefined;
  return !FALSE_WORDS.has(v);
}

// user or user@host (a host with an optional port), as Mastodon writes account addresses.
const ACCT = /^[A-Za-z0-9_.-]{1,256}(@[A-Za-z0-9.-]{1,253}(:\d{1,5})?)?$/;

function rowOf(
  type: BulkImportType,
  get: (header: string) => string | undefined,
  line: number,
): BulkImportRowData {
  const refuse = (what: string) => badRequest(`Line ${line}: ${what}.`);
  const acct = () => {
    const value = (get("Account address") ?? "").trim().replace(/^@/, "");
    if (value === "") throw refuse("the account address is empty");
    if (!ACCT.test(value)) throw refuse(`"${value.slice(0, 100)}" is not an account address`);
    return value;
  };
  switch (type) {
    case "following": {
      const showReblogs = flagOf(get("Show boosts"));
      const notify = flagOf(get("Notify on new posts"));
      const languages = (get("Languages") ?? "")
        .split(",")
        .map((l) => l.trim())
        .filter((l) => l !== "");
      return {
        acct: acct(),
        ...(showReblogs !== undefined ? { show_reblogs: showReblogs } : {}),
        ...(notify !== undefined ? { notify } : {}),
        ...(languages.length > 0 ? { languages } : {}),
      };
    }
    case "blocking":
      return { acct: acct() };
    case "muting": {
      const hide = flagOf(get("Hide notifications"));
      return { acct: acct(), ...(hide !== undefined ? { hide_notifications: hide } : {}) };
    }
    case "domain_blocking": {
      const domain = (get("#domain") ?? "").trim().toLowerCase();
      if (domain === "") throw refuse("the domain is empty");
      return { domain };
    }
    case "bookmarks": {
      const uri = (get("#uri") ?? "").trim();
      if (!/^https?:\/\/[^\s]{1,2040}$/.test(uri)) throw refuse("the post address is not a URL");
      return { uri };
    }
    case "lists": {
      const name = (get("List name") ?? "").trim();
      if (name === "") throw refuse("the list name is empty");
      return { list_name: name, acct: acct() };
    }
  }
}

/**
 * The rows of an uploaded file of `type`. Like Mastodon, a first line whose first cell is one of the
 * known headers is the header row; otherwise the file has none and the type's default columns are
 * assumed. A file whose header lacks the type's columns is another type's file (400).
 */
export function parseImportFile(
  type: BulkImportType,
  bytes: Uint8Array,
): { line: number; data: BulkImportRowData }[] {
  if (bytes.byteLength > IMPORT_MAX_BYTES) {
    throw badRequest(`The file is too large: at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB.`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("The file is not UTF-8 text.");
  }
  const records = parseCsv(text.replace(/^\uFEFF/, ""));
  const first = records[0];
  if (first === undefined) throw badRequest("The file is empty.");
  const hasHeader = KNOWN_FIRST_HEADERS.has(first.fields[0]?.trim() ?? "");
  const headers = hasHeader ? first.fields.map((h) => h.trim()) : DEFAULT_HEADERS[type];
  if (!DEFAULT_HEADERS[type].every((h) => headers.includes(h))) {
    throw badRequest("This file is of another kind than the one chosen: its columns do not match.");
  }
  const data = hasHeader ? records.slice(1) : records;
  if (data.length === 0) throw badRequest("The file has no rows.");
  if (data.length > IMPORT_MAX_ROWS) {
    throw badRequest(`The file has too many rows: at most ${IMPORT_MAX_ROWS}.`);
  }
  const wanted = EXPECTED_HEADERS[type];
  return data.map((r) => ({
    line: r.line,
    data: rowOf(
      type,
      (h) => {
        const at = headers.indexOf(h);
        return at === -1 || !wanted.includes(h) ? undefined : r.fields[at];
      },
      r.line,
    ),
  }));
}
