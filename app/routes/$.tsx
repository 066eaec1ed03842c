// Unknown pages: the app's own 404 page.
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
