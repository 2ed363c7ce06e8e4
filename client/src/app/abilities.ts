import type { AppAction, AppPage } from "../../../shared/api/abilities";
import type { MeResponse } from "../../../shared/api/auth";

/**
 * Reads the abilities the server computed for the signed-in person (GET /api/me). The client decides nothing from
 * a role: a page or an action is offered exactly when it is listed here.
 */
export const mayOpen = (me: MeResponse, page: AppPage) => me.abilities.pages.includes(page);
export const mayDo = (me: MeResponse, action: AppAction) => me.abilities.actions.includes(action);
