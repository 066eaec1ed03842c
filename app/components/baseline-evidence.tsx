// Safety case page: the evidence files the frozen baseline relies on, each with the SHA-256 the
// signatures bind to (recorded in the baseline's canonical content).
import { EvidenceTag } from "./evidence.tsx";

type Item = { id: string; sha256: string; state: string; filename: string; hazardRef: string };

export function BaselineEvidence({ items }: { items: Item[] }) {
  return (
    <>
      <h3 className="nhsuk-heading-s">Evidence in this baseline</h3>
      {items.length === 0 ? (
        <p>The baseline relies on no uploaded evidence files.</p>
      ) : (
        <table className="nhsuk-table app-table-compact">
          <caption className="nhsuk-u-visually-hidden">Evidence files the baseline relies on, with their SHA-256</caption>
          <thead className="nhsuk-table__head"><tr><th scope="col">Hazard</th><th scope="col">File</th><th scope="col">State when frozen</th><th scope="col">SHA-256</th></tr></thead>
          <tbody className="nhsuk-table__body">
            {items.map((e) => (
              <tr key={e.id}>
                <td>{e.hazardRef}</td>
                <td><a href={`/api/v1/evidence/${e.id}/file`} download>{e.filename || "file"}</a></td>
                <td><EvidenceTag state={e.state} /></td>
                <td><code className="app-hash">{e.sha256}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
