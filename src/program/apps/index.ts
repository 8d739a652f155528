import type { AppName } from "../../config/schema";
import type { AppDeployer } from "../context";
import { deployWiki } from "./wiki";

/** The deployer of each app; an enabled app without one is reported, not silently skipped. */
export const APP_DEPLOYERS: Partial<Record<AppName, AppDeployer>> = {
  wiki: deployWiki,
};
