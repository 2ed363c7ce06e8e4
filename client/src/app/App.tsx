import { useCallback, useEffect, useState } from "react";
import type { MeResponse } from "../../../shared/api/auth";
import { api, ApiError, errorMessage, setUnauthorizedHandler } from "./api";
import { TopBar, type TopBarSection } from "../ui/TopBar";
import { mayDo, mayOpen } from "./abilities";
import { Link } from "../ui/Link";
import { LoginPage } from "../features/auth/LoginPage";
import { QueuePage } from "../features/queue/QueuePage";
import { SpecPage } from "../features/spec/SpecPage";
import { TaskPage } from "../features/task/TaskPage";
import { FiguresPage } from "../features/lead/FiguresPage";
import { TrainerPage } from "../features/training/TrainerPage";
import { CoachingPage } from "../features/training/CoachingPage";
import { DiffPage } from "../features/diff/DiffPage";
import { DashboardPage } from "../features/dashboard/DashboardPage";
import { ExportsPage } from "../features/exports/ExportsPage";
import { loginHref, matchRoute, navigate, safeNext, useLocation } from "./router";

type Session = { status: "checking" } | { status: "signedOut"; notice: string | null } | { status: "signedIn"; me: MeResponse };

export function App() {
  const location = useLocation();
  const route = matchRoute(location.pathname);
  const [session, setSession] = useState<Session>({ status: "checking" });
  const [loggingOut, setLoggingOut] = useState(false);
  const [bootError, setBootError] = useState<string | null>(null);

  useEffect(() => {
    api.me().then(
      (me) => setSession({ status: "signedIn", me }),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setSession({ status: "signedOut", notice: null });
        else setBootError(errorMessage(err));
      },
    );
  }, []);

  // Any request that finds the session gone sends the user to sign in, then back to where they were.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession({ status: "signedOut", notice: "Your session ended. Sign in again to continue." });
      const here = window.location.pathname + window.location.search;
      navigate(loginHref(here.startsWith("/login") ? undefined : here), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  // Keep the URL honest: signed-out users see /login, signed-in users never do.
  useEffect(() => {
    if (session.status === "signedOut" && route.name !== "login") {
      navigate(loginHref(location.pathname + location.search), { replace: true });
    } else if (session.status === "signedIn" && route.name === "login") {
      navigate(safeNext(new URLSearchParams(location.search).get("next")), { replace: true });
    }
  }, [session.status, route.name, location.pathname, location.search]);

  useEffect(() => {
    if (route.name !== "task") document.title = "CHAI Studio";
  }, [route.name]);

  const logout = useCallback(async () => {
    setLoggingOut(true);
    try {
      await api.logout();
    } catch {
      // Signed out locally either way; the server forgets an unknown session on its own.
    }
    setLoggingOut(false);
    setSession({ status: "signedOut", notice: "You are signed out." });
    navigate("/login", { replace: true });
  }, []);

  if (bootError) {
    return (
      <main className="page center">
        <p className="alert alert-error" role="alert">
          {bootError}
        </p>
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Retry
        </button>
      </main>
    );
  }
  if (session.status === "checking") return <div className="boot" aria-busy="true" />;
  if (session.status === "signedOut") {
    return <LoginPage notice={session.notice} onSignedIn={(me) => setSession({ status: "signedIn", me })} />;
  }

  const me = session.me;
  const current: TopBarSection = route.name === "queue" || route.name === "task" || route.name === "spec" || route.name === "figures" || route.name === "training" || route.name === "dashboard" || route.name === "exports" ? route.name : "other";
  return (
    <div className="app">
      <TopBar me={me} current={current} onLogout={() => void logout()} busy={loggingOut} />
      {route.name === "queue" && <QueuePage me={me} search={location.search} />}
      {route.name === "task" && <TaskPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "spec" && <SpecPage search={location.search} />}
      {route.name === "figures" && <FiguresPage canEditRules={mayDo(me, "edit_reward_rules")} />}
      {route.name === "training" && <TrainerPage me={me} />}
      {route.name === "coaching" && <CoachingPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "diff" && <DiffPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "dashboard" && <DashboardPage />}
      {route.name === "exports" && mayOpen(me, "exports") && <ExportsPage />}
      {(route.name === "notFound" || route.name === "login") && (
        <main className="page">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Go to your tasks</Link>
          </p>
        </main>
      )}
    </div>
  );
}
