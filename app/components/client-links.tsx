// Plain <a href> links inside this area still navigate within the app (no full page load), as a
// Remix <Link> would, without each link's work on every server render: a log page carries about a
// hundred (one per hazard row, one per heatmap cell), and <Link> resolves its path through the
// router each time (issue 9). One listener on the area handles the clicks.
import { useEffect, useRef, type ReactNode } from "react";
import { useNavigate } from "@remix-run/react";

export function ClientLinks({ children, preventScrollReset = false, className }: { children: ReactNode; preventScrollReset?: boolean; className?: string }) {
  const area = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest("a") : null;
      if (!link || !el.contains(link) || link.target || link.hasAttribute("download")) return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin) return;
      e.preventDefault();
      navigate(url.pathname + url.search + url.hash, { preventScrollReset });
    };
    el.addEventListener("click", onClick);
    return () => el.removeEventListener("click", onClick);
  }, [navigate, preventScrollReset]);
  return <div ref={area} className={className}>{children}</div>;
}
