/** The worker thread of `yibao group`: loads the scheme once, then groups chunks. */
import { loadSchemeDir } from "@yibao/grouper/load";
import { workerData } from "piscina";
import { type Chunk, type ChunkResult, type GroupRunOptions, groupChunk } from "./group-core.js";

interface WorkerData extends GroupRunOptions {
  readonly schemeDir: string;
  readonly as: "jsonl" | "cells";
}

const data = workerData as WorkerData;
const scheme = await loadSchemeDir(data.schemeDir);

export default function run(chunk: Chunk): ChunkResult {
  return groupChunk(scheme, chunk, data, data.as);
}
