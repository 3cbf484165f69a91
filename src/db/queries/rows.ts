// The stored rows the queries return, by name, for the adapters that show them: the web pages read
// through db/queries and never the schema, so what a page may know of a row is what a query hands it.
export type {
  Account,
  Announcement,
  DatasetAttribution,
  DatasetExport,
  DatasetLicense,
  Filter,
  FilterAction,
  FilterContext,
  FilterKeyword,
  FilterStatus,
  GenerationJob,
  List,
  MediaAttachment,
  Notification,
  PreviewCard,
  RepliesPolicy,
  ScheduledStatus,
  Status,
  User,
  Visibility,
} from "../schema/index.ts";
