import { unzipSync } from "fflate";
import { deterministicZip } from "../../lib/canary/deterministic-zip";

/** The Unix mode each entry of the zip's central directory records. */
function unixModes(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const modes: number[] = [];
  for (let offset = 0; offset + 46 <= bytes.length; offset++) {
    if (view.getUint32(offset, true) === 0x02014b50) modes.push(view.getUint32(offset + 38, true) >>> 16);
  }
  return modes;
}

describe("deterministicZip", () => {
  afterEach(() => jest.useRealTimers());

  test("the same files give the same bytes, whenever and in whatever order they are zipped", () => {
    // GIVEN two zips made at two different times (a zip recording the time would differ)
    jest.useFakeTimers().setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const first = deterministicZip({ "index.js": "exports.handler = async () => 1;\n", "b.txt": "b" });
    jest.setSystemTime(new Date("2031-06-30T12:34:56Z"));
    const second = deterministicZip({ "b.txt": "b", "index.js": "exports.handler = async () => 1;\n" });
    // THEN
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.sha256Base64).toBe(first.sha256Base64);
  });

  test("a changed file gives another hash", () => {
    expect(deterministicZip({ "index.js": "a" }).sha256Hex).not.toBe(deterministicZip({ "index.js": "b" }).sha256Hex);
  });

  test("unzips to the same files, each a world-readable regular file (0644, what Lambda expects)", () => {
    const zip = deterministicZip({ "index.js": "exports.handler = async () => 1;\n" });
    expect(new TextDecoder().decode(unzipSync(zip.bytes)["index.js"])).toBe("exports.handler = async () => 1;\n");
    expect(unixModes(zip.bytes)).toEqual([0o100644]);
  });

  test("the sha256 fields are Lambda's source_code_hash (base64) and the hex digest of the same bytes", () => {
    const zip = deterministicZip({ "index.js": "x" });
    expect(Buffer.from(zip.sha256Base64, "base64").toString("hex")).toBe(zip.sha256Hex);
  });
});
