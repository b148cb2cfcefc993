import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgramOffline, type CapturedResource } from "../../offline/runtime";
import { stackConfig } from "../helpers/stack";

// A real `pulumi up` (not a preview) of the shipped prod stack: Pulumi's state is global, so this file has its own process.
describe("pulumi up with placeholders left in the stack", () => {
    // After the program stops, Pulumi's runtime leaves its stack's own promises rejected with the same error; the
    // command lines ignore that echo (cli/common/command.ts runAsProcess), and so does this file, for that error only.
    const echoes: unknown[] = [];
    let previous: NodeJS.UnhandledRejectionListener[] = [];
    const ignoreEcho = (reason: unknown) => {
        if (reason instanceof Error && reason.message.startsWith("the stack still has")) echoes.push(reason);
        else previous.forEach((listener) => listener(reason, Promise.resolve()));
    };
    beforeAll(() => {
        previous = process.listeners("unhandledRejection");
        process.removeAllListeners("unhandledRejection");
        process.on("unhandledRejection", ignoreEcho);
    });
    afterAll(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        process.off("unhandledRejection", ignoreEcho);
        previous.forEach((listener) => process.on("unhandledRejection", listener));
    });

    it("stops before registering any resource, with one message naming every placeholder", async () => {
        const registered: CapturedResource[] = [];
        const run = runProgramOffline({ stack: "prod", config: stackConfig("prod"), preview: false, registered });
        const error = await run.then(() => undefined, (failure: unknown) => failure as Error);
        expect(error?.message).toContain("the stack still has 2 placeholders; replace them before pulumi up creates anything:");
        expect(error?.message).toContain("aks-zero-trust:cluster.adminGroupObjectIds[0]: 00000000-0000-4000-8000-000000000000 is an example GUID");
        expect(error?.message).toContain("aks-zero-trust:cluster.apiServer.authorizedIpRanges[0]: 203.0.113.0/24 is a documentation address range (203.0.113.0/24, RFC 5737)");
        expect(registered).toEqual([]);
    });
});
