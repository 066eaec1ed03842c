import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getSessionUser } from "./auth.server.ts";
import { GeneralErrorBoundary } from "./components/error-boundary.tsx";
import { SiteHeader } from "./components/site-header.tsx";
import { formProtection } from "./form-post.server.ts";
import { useNonce } from "./nonce.tsx";
import appStyles from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/nhsuk/nhsuk-frontend.min.css" },
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "Clinical safety workflow" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return {
    user: user && {
      name: user.name,
      email: user.email,
      activeOrganisationId: user.activeOrganisationId,
      memberships: user.memberships.map((m) => ({ organisationId: m.organisationId, name: m.organisationName, slug: m.slug, role: m.role })),
    },
    // The session's CSRF token and a fresh submission key for this render's forms.
    form: formProtection(user),
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;
export const useRootData = () => useRouteLoaderData<typeof loader>("root");

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="nhsuk-frontend-supported">
        <a className="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
        <SiteHeader user={data?.user ?? null} />
        <div className="nhsuk-width-container app-width-container">
          <main className="nhsuk-main-wrapper" id="maincontent" role="main">
            {children}
          </main>
        </div>
        <footer role="contentinfo" className="nhsuk-footer">
          <div className="nhsuk-width-container">
            <p className="nhsuk-body-s app-footer-text">Clinical risk management under DCB0129 and DCB0160. Hazard logs hold no patient-identifiable data.</p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
