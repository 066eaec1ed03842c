// NHS breadcrumbs: where this page sits, from Home.
import { Link } from "@remix-run/react";
import { Breadcrumb } from "nhsuk-react-components";

export function Breadcrumbs({ items }: { items: { label: string; to: string }[] }) {
  return (
    <Breadcrumb>
      <Breadcrumb.Item asElement={Link} to="/">Home</Breadcrumb.Item>
      {items.map((i) => (
        <Breadcrumb.Item key={i.to} asElement={Link} to={i.to}>{i.label}</Breadcrumb.Item>
      ))}
    </Breadcrumb>
  );
}
