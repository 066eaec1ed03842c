// A risk rating shown as colour AND text (never colour alone). The acceptability text is written out
// where a rating is read closely (the hazard page, the assessment fields), not put in a hover
// title: a title is out of reach of keyboard and touch users, and on the log page it repeated
// ~280 characters in each of 100 badges, a quarter of the page (issue 9).
export type RiskDisplay = { rating: number; label: string; colour: string; acceptability?: string };

export function RiskBadge({ risk }: { risk: RiskDisplay | null }) {
  if (!risk) return <span className="nhsuk-body-s">Not assessed</span>;
  return (
    <span className="app-risk" style={{ backgroundColor: risk.colour }}>
      {`${risk.rating} `}<span className="nhsuk-u-visually-hidden">–</span>
      <span className="nhsuk-body-s">{` ${risk.label}`}</span>
    </span>
  );
}

