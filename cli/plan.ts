/**
 * `npm run plan -- [--stack dev] [--config FILE] [--format text|json]`
 * Runs the real program under Pulumi's runtime mocks and prints what the stack would create.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runProgramOffline } from "../offline/mockRuntime";
import { planJson, planText } from "../offline/planReport";
import { readStackFile, stackFilePath, StackFileError } from "../offline/stackFile";
import { reportFailure, UsageError } from "./failure";

const USAGE = "usage: npm run plan -- [--stack NAME] [--config FILE] [--format text|json]";

async function main(argv: string[]): Promise<number> {
    const options = parseOptions(argv);
    const projectDir = path.resolve(__dirname, "..");
    const configFile = options.config ? path.resolve(options.config) : stackFilePath(projectDir, options.stack);
    const config = readStackFile(configFile);
    const run = await runProgramOffline({ stack: options.stack, config });
    process.stdout.write(options.format === "json" ? `${JSON.stringify(planJson(run), null, 2)}\n` : `${planText(run)}\n`);
    return 0;
}

function parseOptions(argv: string[]): { stack: string; config?: string; format: "text" | "json" } {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", default: "dev" },
                config: { type: "string" },
                format: { type: "string", default: "text" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    if (values.format !== "text" && values.format !== "json") {
        throw new UsageError(`--format must be text or json, got "${values.format}"\n${USAGE}`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(values.stack)) {
        throw new UsageError(`--stack must be a stack name such as dev or prod, got "${values.stack}"`);
    }
    return { stack: values.stack, config: values.config, format: values.format };
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => process.exit(reportFailure(error, [StackFileError])),
);
