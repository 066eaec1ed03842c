// The NHS Digital example risk scheme (Hazard Log template v3.6 / DCB0129 IG v3.2), exactly as
// domain reference §4.3–§4.5 gives it. Seeded as data; the app reads it from the database.
export const NHS_RISK_SCHEME = {
  name: "NHS Digital example scheme (Hazard Log template v3.6 / DCB0129 IG v3.2)",
  version: 1,
  likelihoods: [
    { code: "very_low", label: "Very low", text: "Negligible or nearly negligible possibility of occurring" },
    { code: "low", label: "Low", text: "Could occur but in the great majority of occasions will not" },
    { code: "medium", label: "Medium", text: "Possible" },
    { code: "high", label: "High", text: "Not certain but very possible; reasonably expected to occur in the majority of cases" },
    { code: "very_high", label: "Very high", text: "Certain or almost certain; highly likely to occur" },
  ],
  severities: [
    { code: "minor", label: "Minor" },
    { code: "significant", label: "Significant" },
    { code: "considerable", label: "Considerable" },
    { code: "major", label: "Major" },
    { code: "catastrophic", label: "Catastrophic" },
  ],
  // rows: likelihood very_low → very_high; columns: severity minor → catastrophic
  matrix: [
    [1, 1, 2, 2, 3],
    [1, 2, 2, 3, 4],
    [2, 2, 3, 3, 4],
    [2, 3, 3, 4, 5],
    [3, 4, 4, 5, 5],
  ],
  acceptability: {
    "1": "Acceptable, no further action required",
    "2": "Acceptable where cost of further reduction outweighs benefits gained or where further risk reduction is impractical",
    "3": "Undesirable level of risk. Attempts should be made to eliminate the hazard or implement control measures to reduce risk to an acceptable level. Shall only be acceptable when further risk reduction is impractical",
    "4": "Mandatory elimination of hazard or addition of control measure to reduce risk to an acceptable level",
    "5": "Unacceptable level of risk",
  },
  labels: { "1": "Acceptable", "2": "Acceptable (conditional)", "3": "Undesirable", "4": "Mandatory elimination", "5": "Unacceptable" },
  colours: { "1": "#9EFEB5", "2": "#FFFF66", "3": "#FABF8F", "4": "#D99594", "5": "#E36C0A" },
};
