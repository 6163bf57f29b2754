import { createHash } from "crypto";
import { zipSync } from "fflate";

/** The earliest time a zip entry can record (the DOS epoch): the same for every build. */
const FIXED_TIME = new Date("1980-01-01T00:00:00Z");
/** A regular file readable by everyone (0644), as Lambda expects, in the Unix attribute bits. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const UNIX = 3;

/** A zip archive and what identifies it. */
export interface DeterministicZip {
  readonly bytes: Uint8Array;
  /** Base64 SHA-256 of `bytes`: Lambda's `source_code_hash`. */
  readonly sha256Base64: string;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256Hex: string;
}

/**
 * Zips `files` (name to content) so that the bytes depend on the names and contents only: entries
 * in name order, one fixed time and mode for every entry, fixed compression. A zip that recorded
 * the files' modification times would differ on every fresh clone, and so would the function's
 * hash: every deploy from CI would update the function.
 */
export function deterministicZip(files: Record<string, string | Uint8Array>): DeterministicZip {
  const entries = Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((name) => {
        const content = files[name];
        const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
        return [name, [data, { mtime: FIXED_TIME, os: UNIX, attrs: FILE_ATTRIBUTES, level: 9 }]];
      }),
  );
  const bytes = zipSync(entries as never);
  const digest = createHash("sha256").update(bytes);
  const sha256Hex = digest.digest("hex");
  return { bytes, sha256Hex, sha256Base64: Buffer.from(sha256Hex, "hex").toString("base64") };
}
