// Entry point of the Pulumi program (`pulumi up`, `pulumi preview`), and of `socle render`.
import { loadConfig } from "./src/config";
import { configChecks } from "./src/checks";
import { deploy } from "./src/program";

export = deploy(loadConfig(configChecks));
