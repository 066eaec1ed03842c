// A risk rating shown as colour AND text (never colour alone), with the acceptability text on hover.
export type RiskDisplay = { rating: number; label: string; acceptability: string; colour: string };

export function RiskBadge({ risk }: { risk: RiskDisplay | null }) {
  if (!risk) return <span className="nhsuk-body-s">Not assessed</span>;
  return (
    <span className="app-risk" style={{ backgroundColor: risk.colour }} title={risk.acceptability}>
      {`${risk.rating} `}<span className="nhsuk-u-visually-hidden">–</span>
      <span className="nhsuk-body-s">{` ${risk.label}`}</span>
    </span>
  );
}

