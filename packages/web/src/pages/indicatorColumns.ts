import type { Meta } from "../api";
import type { Column } from "../components";

/** Table columns of the indicator catalogue, in catalogue order (upload rate left out: no settlement counts). */
export function indicatorColumns<R>(meta: Meta, skip: string[] = ["uploadRate", "settlements"]): Column<R>[] {
  return meta.indicators
    .filter((d) => !skip.includes(d.id))
    .map((d) => ({
      key: d.id,
      title: d.unit && d.kind !== "ratio" ? `${d.name}(${d.unit})` : d.name,
      kind: d.kind,
      ...(d.kind === "statistic" ? { digits: d.id === "avgLos" || d.id === "totalWeight" ? 2 : 4 } : {}),
    }));
}
