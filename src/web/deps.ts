// What the web router needs from the composition root.
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { DatasetExportService } from "../domain/datasets/jobs.ts";
import type { BulkImportService } from "../domain/imports/jobs.ts";
import type { LocalUrls } from "../domain/local-urls.ts";
import type { PollService } from "../domain/poll-endings.ts";
import type { ScheduledStatusService } from "../domain/scheduled-statuses.ts";
import type { LoginThrottle } from "../domain/sign-in-throttle.ts";
import type { SignUpThrottle } from "../domain/sign-up-throttle.ts";
import type { GenerationService } from "../generation/jobs.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { MediaService } from "../media/service.ts";
import type { WebServices } from "./services.ts";
import type { StaticAssets } from "./static.ts";

export interface WebRouterDeps {
  config: Config;
  db: Database;
  urls: LocalUrls;
  services: WebServices;
  assets: StaticAssets;
  throttle: LoginThrottle;
  /** Sign-ups per address (the same one POST /api/v1/accounts counts in). */
  signUpThrottle: SignUpThrottle;
  cookies: { secure: boolean };
  /** Schedules delivery of recorded domain events (federation, streaming) after a change. */
  events: { kick(): void };
  generation: GenerationService;
  media: MediaService;
  /** The scheduler the API's scheduled statuses use (compose's "schedule for", /scheduled). */
  scheduledStatuses: ScheduledStatusService;
  /** Votes in polls (the same service the API calls). */
  polls: PollService;
  /** Dataset exports the admin page starts (run where work runs). */
  datasetExports: DatasetExportService;
  /** CSV imports (Settings → Import; the worker applies them). */
  imports: BulkImportService;
  /** E-mail (the sign-up's confirmation). */
  mailer: Mailer;
}
