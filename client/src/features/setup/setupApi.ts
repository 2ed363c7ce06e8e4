import { get, post } from "../../app/api";
import { MeResponse } from "../../../../shared/api/auth";
import { AcceptInviteRequest, InviteInfo, PEOPLE_PATHS, SetupStatus, type SetupRequest } from "../../../../shared/api/people";
import type { z } from "zod";

/** Calls made before anyone is signed in: first-run setup and one-time links (their 401s are their own). */
export const setupApi = {
  status: () => get(PEOPLE_PATHS.setup, { schema: SetupStatus, quiet401: true }),
  create: (body: SetupRequest) => post(PEOPLE_PATHS.setup, body, { schema: MeResponse, quiet401: true }),
  invite: (token: string) => get(PEOPLE_PATHS.invite(token), { schema: InviteInfo, quiet401: true }),
  accept: (token: string, body: z.input<typeof AcceptInviteRequest>) => post(PEOPLE_PATHS.invite(token), body, { schema: MeResponse, quiet401: true }),
};
