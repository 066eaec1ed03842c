// The NHS header: service name, the signed-in user, the organisation switcher and sign-out.
import { Form } from "@remix-run/react";
import { Header } from "nhsuk-react-components";
import { FormProtection } from "./form-protection.tsx";

type HeaderUser = {
  name: string;
  activeOrganisationId: string | null;
  memberships: { organisationId: string; name: string; role: string }[];
} | null;

export function SiteHeader({ user }: { user: HeaderUser }) {
  return (
    <Header service={{ text: "Clinical safety workflow", href: "/" }}>
      {user ? (
        <div className="nhsuk-width-container app-header-tools">
          <p className="app-user-name">Signed in as {user.name}</p>
          {user.memberships.length > 0 ? (
            <Form method="post" action="/switch-organisation" className="app-org-switcher">
              <FormProtection />
              <div>
                <label htmlFor="organisation-switcher">Organisation</label>
                <select id="organisation-switcher" name="organisationId" className="nhsuk-select" defaultValue={user.activeOrganisationId ?? undefined}>
                  {user.memberships.map((m) => (
                    <option key={m.organisationId} value={m.organisationId}>
                      {m.name} ({m.role})
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="nhsuk-button nhsuk-button--reverse nhsuk-button--small">Switch</button>
            </Form>
          ) : null}
          <Form method="post" action="/sign-out">
            <FormProtection />
            <button type="submit" className="nhsuk-button nhsuk-button--reverse nhsuk-button--small">Sign out</button>
          </Form>
        </div>
      ) : null}
    </Header>
  );
}
