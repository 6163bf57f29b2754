import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "../..");

/** The pages a reader follows: the README, every page of docs/, and every example's README. */
const PAGES = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`),
  ...readdirSync(path.join(ROOT, "examples")).sort().map((d) => `examples/${d}/README.md`).filter((f) => existsSync(path.join(ROOT, f))),
];

/** The lines of a Markdown text outside fenced code blocks (``` or ~~~, of any length). */
function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    } else if (marker) {
      fence = marker;
    } else {
      lines.push(line);
    }
  }
  return lines;
}

/** GitHub's anchor of a heading: its text lower-cased, punctuation dropped, spaces as hyphens (github-slugger). */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/`([^`]*)`/g, "$1") // code spans keep their text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links and images keep their text
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, "$2"); // emphasis
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a page has: one per heading, repeats numbered as GitHub numbers them. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(readFileSync(file, "utf8"))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}

/** Every inline link target of a page's prose (code spans and fenced blocks are not links). */
function linksOf(file: string): string[] {
  const prose = proseLines(readFileSync(file, "utf8")).join("\n").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** Why `target`, linked from `page`, does not resolve; undefined when it does. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: ...: not this test's to fetch
  const [file, anchor] = target.split("#", 2);
  const resolved = file ? path.resolve(path.dirname(path.join(ROOT, page)), decodeURIComponent(file)) : path.join(ROOT, page);
  if (!resolved.startsWith(ROOT)) return `${target}: outside the repository`;
  if (!existsSync(resolved)) return `${target}: no such file ${path.relative(ROOT, resolved)}`;
  if (anchor === undefined) return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith(".md")) return `${target}: an anchor into a file that is not Markdown`;
  const anchors = anchorsOf(resolved);
  return anchors.has(anchor) ? undefined : `${target}: no heading of ${path.relative(ROOT, resolved)} has the anchor #${anchor}`;
}

describe("links and anchors of the README, docs/ and the examples' READMEs", () => {
  test("GitHub's slugs: punctuation dropped, code kept as text, spaces as hyphens", () => {
    expect(githubSlug("API Gateway's CloudWatch role: an account-wide setting")).toBe("api-gateways-cloudwatch-role-an-account-wide-setting");
    expect(githubSlug("The emulated suite: `npm run test:emulated`")).toBe("the-emulated-suite-npm-run-testemulated");
    expect(githubSlug("Beyond peering: where it stops being the right tool")).toBe("beyond-peering-where-it-stops-being-the-right-tool");
    expect(githubSlug("`npm test`")).toBe("npm-test");
    expect(githubSlug("Another CI: GitLab, Jenkins")).toBe("another-ci-gitlab-jenkins");
  });

  test("fenced code blocks hold no headings and no links", () => {
    expect(proseLines("# a\n````markdown\n### b\n```diff\n[x](nowhere.md)\n```\n````\n## c").filter((l) => l.startsWith("#"))).toEqual(["# a", "## c"]);
  });

  test.each(PAGES)("%s: every relative link names a file that exists, and every #anchor a heading of it", (page) => {
    const links = linksOf(path.join(ROOT, page));
    expect([page, links.map((target) => brokenLink(page, target)).filter((problem) => problem !== undefined)]).toEqual([page, []]);
  });

  test.each(PAGES.filter((p) => p.startsWith("docs/")))("%s: starts with its title, then the question it answers", (page) => {
    const [title, blank, question] = readFileSync(path.join(ROOT, page), "utf8").split("\n");
    expect([page, /^# \S/.test(title), blank, question.trim().endsWith("?")]).toEqual([page, true, "", true]);
  });

  test("the README links every page of docs/", () => {
    const linked = new Set(linksOf(path.join(ROOT, "README.md")).map((target) => target.split("#")[0]));
    expect(PAGES.filter((p) => p.startsWith("docs/") && !linked.has(p))).toEqual([]);
  });
});
