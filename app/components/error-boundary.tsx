// One error page for every route: per-status messages, never a stack trace.
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "There is a problem with the request", body: "Check what you entered and try again." },
  401: { title: "Sign in to continue", body: "Your session has ended." },
  403: { title: "You do not have permission to do that", body: "Your role in this organisation does not allow it. Ask your organisation's administrator if you need it." },
  404: { title: "Page not found", body: "If you typed the web address, check it is correct. The page may also be one you do not have access to." },
  409: { title: "Someone else changed this", body: "Reload the page to see the latest version." },
  429: { title: "Too many attempts", body: "Wait a few minutes and try again." },
};

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  // A form refused by the web defences (app/form-post.server.ts) says why, and what to do.
  const refused = isRouteErrorResponse(error) && typeof (error.data as { refused?: unknown } | null)?.refused === "string" ? (error.data as { refused: string }).refused : null;
  const message = refused ? { title: "The form could not be sent", body: refused } : MESSAGES[status] ?? { title: "Sorry, there is a problem with the service", body: "Try again later. Nothing you submitted was half-saved." };
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>{message.title}</h1>
        <p>{message.body}</p>
        <p>
          <Link to="/">Go to your home page</Link>
        </p>
      </div>
    </div>
  );
}
