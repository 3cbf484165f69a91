// drizzle-kit's configuration for one dialect at a time: ATELIER_DB_DIALECT=sqlite (the default) or
// postgres picks the schema and the migrations folder. `npm run db:generate` runs it for both.
import { defineConfig } from "drizzle-kit";

const dialect = process.env.ATELIER_DB_DIALECT ?? "sqlite";
if (dialect !== "sqlite" && dialect !== "postgres") {
  throw new Error(`ATELIER_DB_DIALECT must be sqlite or postgres, not ${JSON.stringify(dialect)}`);
}

export default dialect === "postgres"
  ? defineConfig({
      dialect: "postgresql",
      schema: "./src/db/postgres/schema/index.ts",
      out: "./migrations/postgres",
      casing: "snake_case",
    })
  : defineConfig({
      dialect: "sqlite",
      schema: "./src/db/schema/tables.ts",
      out: "./migrations/sqlite",
      casing: "snake_case",
    });
