import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../offline/mockRuntime";
import { deployerRoleAssignment, runStack, stackConfig } from "./helpers/stack";

describe("prod stack deployed by a person (az login)", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("prod", stackConfig("prod"), "user");
    });

    it("grants the deploying user cluster admin with principalType User, read from the access token", () => {
        expect(deployerRoleAssignment(run).inputs.principalType).toBe("User");
    });
});
