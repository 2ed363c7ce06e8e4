import type { Role } from "../../shared/domain";

/**
 * The signed-in person, as the server knows them (never as the client claims). A leaf module: services take it
 * without depending on the HTTP context (server/context.ts re-exports it for routes).
 */
export type SessionUser = { id: string; email: string; displayName: string; role: Role };
