/**
 * The registry of QC check kinds that run on a parsed list (the parse-phase kinds run in the
 * parser): one module per kind, found by the name a rule gives in `check`.
 */
import type { QcCheckKind } from "../rules.js";
import type { QcCheckKindModule } from "./kind.js";
import {
  anaesthesiaMethodKind,
  daysWithinStayKind,
  duplicateDiagnosisKind,
  durationWithinStayKind,
  externalCauseMissingKind,
  principalNotAllowedKind,
  requiredByRuleKind,
} from "./kinds/clinical.js";
import {
  ageSpecificDiagnosisKind,
  asteriskPrincipalKind,
  diagnosisCountKind,
  diagnosisMappedKind,
  diagnosisUnmappedKind,
  principalDiagnosisCountKind,
  principalProcedureKind,
  principalProcedureMismatchKind,
  procedureCountKind,
  procedureMappedKind,
  procedureUnmappedKind,
  sexSpecificDiagnosisKind,
} from "./kinds/coding.js";
import {
  actualStayDaysKind,
  ageDaysKind,
  ageYearsKind,
  dateOrderKind,
  newbornWeightRangeKind,
  newbornWeightRequiredKind,
  notAfterUploadKind,
  procedureDateInStayKind,
  uploadDeadlineKind,
  uploadDeadlineNearKind,
} from "./kinds/dates.js";
import {
  ageRequiredKind,
  codeTableKind,
  conditionalRequiredKind,
  lengthKind,
  patternKind,
  required4101Kind,
  requiredKind,
} from "./kinds/fields.js";
import { idCardChecksumKind, idCardConsistencyKind } from "./kinds/identity.js";
import { itemSumKind, moneyIdentityKind } from "./kinds/money.js";

const MODULES: readonly QcCheckKindModule[] = [
  diagnosisMappedKind,
  diagnosisUnmappedKind,
  procedureMappedKind,
  procedureUnmappedKind,
  principalDiagnosisCountKind,
  asteriskPrincipalKind,
  principalNotAllowedKind,
  externalCauseMissingKind,
  duplicateDiagnosisKind,
  anaesthesiaMethodKind,
  durationWithinStayKind,
  daysWithinStayKind,
  requiredByRuleKind,
  sexSpecificDiagnosisKind,
  ageSpecificDiagnosisKind,
  principalProcedureKind,
  principalProcedureMismatchKind,
  diagnosisCountKind,
  procedureCountKind,
  dateOrderKind,
  actualStayDaysKind,
  notAfterUploadKind,
  procedureDateInStayKind,
  ageYearsKind,
  ageDaysKind,
  newbornWeightRequiredKind,
  newbornWeightRangeKind,
  uploadDeadlineKind,
  uploadDeadlineNearKind,
  lengthKind,
  patternKind,
  requiredKind,
  required4101Kind,
  ageRequiredKind,
  conditionalRequiredKind,
  codeTableKind,
  idCardChecksumKind,
  idCardConsistencyKind,
  itemSumKind,
  moneyIdentityKind,
];

/** Check kind → its module. */
export const QC_CHECK_KIND_MODULES: ReadonlyMap<QcCheckKind, QcCheckKindModule> = new Map(
  MODULES.map((m) => [m.kind, m]),
);
