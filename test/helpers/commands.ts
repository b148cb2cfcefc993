/**
 * Every command's spec (cli/common/commandLine.ts): the bin's commands and the npm scripts that run a command line.
 * test/cli/commandLine.test.ts holds this list to package.json's scripts, so a new command cannot miss the help and
 * width tests that read it.
 */
import type { CommandSpec } from "../../cli/common/commandLine";
import { BENCH } from "../../cli/bench";
import { DIFF } from "../../cli/diff";
import { DRIFT } from "../../cli/drift";
import { PACK_POLICY } from "../../cli/packPolicy";
import { PLAN } from "../../cli/plan";
import { REACH } from "../../cli/reach";
import { REVIEW } from "../../cli/review";
import { SUGGEST } from "../../cli/suggest";

export const SPECS: readonly CommandSpec[] = [PLAN, DIFF, SUGGEST, REVIEW, DRIFT, REACH, BENCH, PACK_POLICY];

/** The commands of the package's bin (`npx aks-zero-trust <command>`): all but pack:policy, an npm script only. */
export const BIN_COMMANDS: readonly string[] = SPECS.map((spec) => spec.name).filter((name) => name !== PACK_POLICY.name);
