import type { AppName } from "../../config/schema";
import type { AppModule } from "../context";
import { chat } from "./chat";
import { docs } from "./docs";
import { identity } from "./identity";
import { mail } from "./mail";
import { wiki } from "./wiki";

/**
 * The one registry of apps. A `Record` over every name of `APP_NAMES` (src/config/schema.ts): a name without
 * its module, or a module without one of its fields, does not compile. Adding an app: its name in `APP_NAMES`,
 * its module here, its images in the catalog.
 */
export const APPS: Readonly<Record<AppName, AppModule>> = { identity, wiki, docs, chat, mail };
