// vitest setup file, run before each test file. Files share their worker's process (isolate: false),
// so what one file switched process-wide is switched back: a file that opened the instance store on
// PostgreSQL left every table binding on PostgreSQL (src/db/schema/index.ts).
import { useSqliteTables } from "../../src/db/schema/index.ts";

useSqliteTables();
