/**
 * @yibao/indicators: the indicator catalogue (指标目录) and its pure computation — CMI, cost and
 * time consumption indices, readmission rates, grouping, upload and QC rates, surplus or loss,
 * audit results — per region, hospital, department, physician, DRG or period.
 */

export * from "./agree.js";
export * from "./catalogue.js";
export * from "./compute.js";
export * from "./stay.js";
export * from "./targets.js";
