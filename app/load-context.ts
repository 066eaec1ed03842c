// What the HTTP server hands every loader and action (server/start.js).
export type AppLoadContext = { cspNonce: string; requestId: string; clientIp: string };

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
    requestId: string;
    clientIp: string;
  }
}
