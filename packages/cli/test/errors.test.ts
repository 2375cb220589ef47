import { readFile } from "node:fs/promises";
import { describeError } from "@yibao/cli/errors";
import { translateCommanderError } from "@yibao/cli/localize";
import { describe, expect, it } from "vitest";

describe("error texts", () => {
  it("a system error names its path in Chinese", async () => {
    const e = await readFile("/no/such/file.jsonl").catch((x: unknown) => x);
    expect(describeError(e)).toBe("文件或目录不存在：/no/such/file.jsonl");
    expect(describeError(new Error("分组失败"))).toBe("分组失败");
  });

  it("commander's messages, with its suggestion, in Chinese", () => {
    expect(translateCommanderError("error: unknown option '--inptu'\n(Did you mean --input?)\n")).toBe(
      "错误：未知选项 --inptu\n（是否想用 --input？）\n",
    );
    expect(
      translateCommanderError("error: too many arguments for 'scheme'. Expected 1 argument but got 2.\n"),
    ).toBe("错误：命令 scheme 的参数过多，应为 1 个，实际 2 个\n");
  });
});
