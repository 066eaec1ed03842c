// Express middleware: runs the rest of each request inside the app's request scope
// (db/request-scope.ts), which requireUser / requireApiUser fill with the caller's organisations so
// the database applies row-level security to that caller. AsyncLocalStorage follows the request
// through the later middleware (static files, compression) and Remix's handler, callbacks included.
/** @param {{ runInRequestScope: (fn: () => void) => void }} app the built entry module */
export function requestScope(app) {
  return (_req, _res, next) => app.runInRequestScope(next);
}
