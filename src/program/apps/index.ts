import type { AppName } from "../../config/schema";
import type { AppDeployer } from "../context";
import { deployChat } from "./chat";
import { deployDocs } from "./docs";
import { deployIdentity } from "./identity";
import { deployMail } from "./mail";
import { deployWiki } from "./wiki";

/** The deployer of each app; an enabled app without one is reported, not silently skipped. */
export const APP_DEPLOYERS: Partial<Record<AppName, AppDeployer>> = {
  identity: deployIdentity,
  wiki: deployWiki,
  mail: deployMail,
  docs: deployDocs,
  chat: deployChat,
};
