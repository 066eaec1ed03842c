// Unknown API paths answer a JSON 404, never the HTML page.
const notFound = () => Response.json({ error: { code: "not_found", message: "No such API endpoint" } }, { status: 404 });
export const loader = notFound;
export const action = notFound;
