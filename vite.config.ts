import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// The server build bundles React and the packages that render with it, with NODE_ENV fixed to
// "production" in them: left external, React picks its development build whenever NODE_ENV is unset
// at run time (the demo, the benchmark), which made server rendering of the log page about twice as
// slow. The app itself reads NODE_ENV from process.env at run time (app/env.server.ts), untouched.
// Every package importing React must be in the list, or two copies of React would meet.
const REACT_PACKAGES = ["react", "react-dom", "react-router", "react-router-dom", "@remix-run/react", "nhsuk-react-components", "scheduler"];

export default defineConfig(({ command, isSsrBuild }) => ({
  server: { port: 3000 },
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  build: { target: "es2022" },
  ...(command === "build" && isSsrBuild ? { define: { "process.env.NODE_ENV": JSON.stringify("production") } } : {}),
  ssr: {
    external: ["@electric-sql/pglite", "postgres", "@node-rs/argon2", "pdfkit", "fontkit", "exceljs"],
    ...(command === "build" ? { noExternal: REACT_PACKAGES } : {}),
  },
}));
