import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { ratingTable } from "#app/domain/risk.ts";
import { getDefaultRiskScheme } from "#app/risk-schemes.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  return handleApi(async () => {
    await requireApiUser(request);
    const scheme = await getDefaultRiskScheme();
    return {
      scheme: { id: scheme.id, name: scheme.name, version: scheme.version },
      severities: scheme.severities.map((s) => s.code),
      likelihoods: scheme.likelihoods.map((l) => l.code),
      rating: ratingTable(scheme),
      acceptability: scheme.acceptability,
      labels: scheme.labels,
      colours: scheme.colours,
    };
  });
}
