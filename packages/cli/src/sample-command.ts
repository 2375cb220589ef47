/**
 * `yibao sample-list`: 4101 settlement-list envelopes (示例结算清单) for one hospital, dated relative
 * to today, that the hospital's account can upload as they are and that pass QC.
 */
import { sampleSettlementMessage } from "@yibao/server/sample-lists";
import { buildFacilities, DEFAULT_PROFILE } from "@yibao/synth";

/** The most lists one run writes: what one upload request takes (the intake's default limit). */
export const MAX_SAMPLE_LISTS = 2000;

/** `setl_id` and `mdtrt_id` are at most 30 characters; `mdtrt_id` is `MD` + the setl_id. */
const MAX_SETL_ID = 28;

export interface SampleListOptions {
  readonly hospitalCode: string;
  /** The hospital's name; default: the demo region's hospital of that code. */
  readonly hospitalName?: string;
  readonly count: number;
  /** The serial number of the first list (default 1): another range gives other setl_ids. */
  readonly first?: number;
  /** The upload day (yyyy-MM-dd), default today: the lists were settled 1–5 days before it. */
  readonly today?: string;
}

/** The name of the demo region's hospital with `code` (the demo hospitals do not depend on the seed). */
export function demoHospitalName(code: string): string | undefined {
  return buildFacilities(DEFAULT_PROFILE, 0).hospitals.find((h) => h.code === code)?.name;
}

/** The envelopes; every problem with the options is an error in Chinese. */
export function sampleLists(o: SampleListOptions): Record<string, unknown>[] {
  if (!/^[0-9A-Za-z]{1,20}$/.test(o.hospitalCode))
    throw new Error(`医疗机构编码应为 1–20 位字母或数字：${o.hospitalCode}`);
  const name = o.hospitalName ?? demoHospitalName(o.hospitalCode);
  if (name === undefined || name.trim() === "")
    throw new Error(`${o.hospitalCode} 不是演示地区的医院，请用 --name 给出医疗机构名称`);
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > MAX_SAMPLE_LISTS)
    throw new Error(`清单份数应在 1 到 ${MAX_SAMPLE_LISTS} 之间：${o.count}`);
  const first = o.first ?? 1;
  // The hospital's code in every setl_id: no two hospitals' samples share one (a setl_id has one owner).
  const prefix = `SL${o.hospitalCode}`;
  const last = first + o.count - 1;
  if (prefix.length + Math.max(10, String(last).length) > MAX_SETL_ID)
    throw new Error(`医疗机构编码过长，生成的结算ID会超过 ${MAX_SETL_ID} 位：${o.hospitalCode}`);
  const lists: Record<string, unknown>[] = [];
  for (let n = first; n <= last; n++)
    lists.push(
      sampleSettlementMessage(n, {
        hospitalCode: o.hospitalCode,
        hospitalName: name,
        prefix,
        ...(o.today !== undefined ? { today: o.today } : {}),
      }),
    );
  return lists;
}

/** The text written: one envelope per line, or one JSON array (what one upload request takes). */
export function formatSampleLists(lists: readonly Record<string, unknown>[], array: boolean): string {
  return array ? `${JSON.stringify(lists, null, 2)}\n` : lists.map((l) => `${JSON.stringify(l)}\n`).join("");
}
