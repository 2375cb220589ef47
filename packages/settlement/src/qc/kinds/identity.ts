/** Identity checks: the resident identity card number, its checksum and agreement with birth date and sex. */

import { isKnownSex } from "@yibao/kernel/sex";
import { idCardBirthDate, idCardProblem, idCardSex } from "../../idcard.js";
import { showValue } from "../../template.js";
import type { QcCheckKindModule } from "../kind.js";
import { strArrayParam } from "../params.js";
import { emit } from "../run.js";

export const idCardChecksumKind: QcCheckKindModule = {
  kind: "idCardChecksum",
  params: ["certTypes"],
  compile: (r) => {
    const types = new Set(strArrayParam(r.rule, "certTypes"));
    return (run) => {
      const { patnCertType, certno } = run.list.info;
      if (patnCertType === null || certno === null || !types.has(patnCertType)) return;
      const reason = idCardProblem(certno);
      if (reason !== null) emit(run, r, "setlinfo.certno", { value: showValue(certno), reason });
    };
  },
};

export const idCardConsistencyKind: QcCheckKindModule = {
  kind: "idCardConsistency",
  params: ["certTypes"],
  compile: (r, env) => {
    const types = new Set(strArrayParam(r.rule, "certTypes"));
    const gend = env.tables.get("gend");
    return (run) => {
      const { patnCertType, certno, brdy, gend: sex } = run.list.info;
      if (
        patnCertType === null ||
        certno === null ||
        !types.has(patnCertType) ||
        idCardProblem(certno) !== null
      )
        return;
      const birth = idCardBirthDate(certno) as string;
      if (brdy !== null && birth !== brdy) {
        emit(run, r, "setlinfo.brdy", { certno, label: "出生日期", idValue: birth, value: brdy });
      }
      const idSex = idCardSex(certno);
      if (isKnownSex(sex) && sex !== idSex) {
        emit(run, r, "setlinfo.gend", {
          certno,
          label: "性别",
          idValue: gend?.get(idSex) ?? idSex,
          value: gend?.get(sex) ?? sex,
        });
      }
    };
  },
};
