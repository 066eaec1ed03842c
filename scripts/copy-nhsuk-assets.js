// Copies the NHS design system's compiled CSS, JS and images from node_modules into public/, so the
// app serves them itself (no CDN). The @font-face rules point at assets.nhs.uk (Frutiger is
// licensed and not in the package): they are dropped and the design system's Arial fallback is used.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dist = join(dirname(require.resolve("nhsuk-frontend/package.json")), "dist", "nhsuk");
const { version } = JSON.parse(readFileSync(join(dist, "..", "..", "package.json"), "utf8"));

mkdirSync("public/nhsuk", { recursive: true });
const css = readFileSync(join(dist, `nhsuk-frontend-${version}.min.css`), "utf8").replace(/@font-face\{[^}]*\}/g, "");
writeFileSync("public/nhsuk/nhsuk-frontend.min.css", css);
cpSync(join(dist, `nhsuk-frontend-${version}.min.js`), "public/nhsuk/nhsuk-frontend.min.js");
cpSync(join(dist, "assets"), "public/assets", { recursive: true });
