import assert from "node:assert/strict";
import { escapeXml, plistXml } from "../../../services/launchd/plist.ts";
import { buildPlist, jobLogPath, type LaunchdJob, profileLabel } from "../../../services/launchd/job.ts";
import { parsePlistStrict } from "../../helpers/plist_parser.ts";

const NASTY = `a & b < c > d "quoted" 'single' ]]> <!-- not a comment --> &amp; ünïcødé 🚀\ttab\nline`;

function job(overrides: Partial<LaunchdJob> = {}): LaunchdJob {
  return {
    label: profileLabel(3),
    program: "/opt/homebrew/bin/mlx-openai-server",
    args: ["launch", "--model-path", "mlx-community/Qwen3-4B-4bit", "--port", "10240", "--no-log-file"],
    env: { PYTHONUNBUFFERED: "1", HOME: "/Users/ada", PATH: "/opt/homebrew/bin:/usr/bin:/bin" },
    runAtLoad: true,
    logDir: "/Users/ada/.mlx-manager/logs",
    ...overrides,
  };
}

Deno.test("the strict reader refuses malformed XML and invalid plists", () => {
  const wrap = (body: string) =>
    plistXml({ A: "x" }).replace("<dict>\n\t<key>A</key>\n\t<string>x</string>\n</dict>", body);
  assert.deepEqual(parsePlistStrict(wrap("<dict><key>A</key><string>ok</string></dict>")), { A: "ok" });
  for (
    const bad of [
      "<dict><key>A</key><string>a & b</string></dict>",
      "<dict><key>A</key><string>a < b</string></dict>",
      "<dict><key>A</key><string>x</dict>",
      "<dict><key>A</key><string>&nbsp;</string></dict>",
      "<dict><key>A</key></dict>",
      "<dict><string>x</string><key>A</key></dict>",
      "<dict><key>A</key><string>x</string></dict><dict/>",
      "<dict>loose text<key>A</key><string>x</string></dict>",
    ]
  ) {
    assert.throws(() => parsePlistStrict(wrap(bad)), SyntaxError, bad);
  }
  assert.throws(() => parsePlistStrict("<plist><dict/></plist>"), SyntaxError, "no declaration");
});

Deno.test("every value round-trips through the XML, however awkward the text", () => {
  const value = {
    [NASTY]: NASTY,
    list: [NASTY, "", 0, -12, 1.5, true, false, [], {}],
    nested: { deeper: { deepest: [1, "two"] } },
  };
  assert.deepEqual(parsePlistStrict(plistXml(value)), value);
  assert.equal(escapeXml("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
});

Deno.test("text XML cannot hold is refused instead of written", () => {
  assert.throws(() => plistXml({ Env: "a\u0000b" }), /control character/);
  assert.throws(() => plistXml({ Env: "\u001b[31m" }), /control character/);
  assert.throws(() => plistXml({ N: Number.NaN }), RangeError);
});

Deno.test("a job's plist runs the command as given, restarts it on crash and logs to the data dir", () => {
  const xml = buildPlist(job());
  assert.deepEqual(parsePlistStrict(xml), {
    Label: "com.mlx-manager.profile-3",
    ProgramArguments: [
      "/opt/homebrew/bin/mlx-openai-server",
      "launch",
      "--model-path",
      "mlx-community/Qwen3-4B-4bit",
      "--port",
      "10240",
      "--no-log-file",
    ],
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 30,
    ProcessType: "Interactive",
    StandardOutPath: "/Users/ada/.mlx-manager/logs/com.mlx-manager.profile-3.log",
    StandardErrorPath: "/Users/ada/.mlx-manager/logs/com.mlx-manager.profile-3.log",
    EnvironmentVariables: {
      PYTHONUNBUFFERED: "1",
      HOME: "/Users/ada",
      PATH: "/opt/homebrew/bin:/usr/bin:/bin",
    },
  });
  assert.equal(jobLogPath(job()), "/Users/ada/.mlx-manager/logs/com.mlx-manager.profile-3.log");
});

Deno.test("RunAtLoad follows auto-start, and arguments with spaces or markup stay single arguments", () => {
  const plist = parsePlistStrict(buildPlist(job({
    runAtLoad: false,
    args: ["launch", "--model-path", "/Users/ada/My Models/<qwen> & co"],
    env: { NOTE: NASTY },
    workingDirectory: "/Users/ada/.mlx-manager",
  }))) as Record<string, unknown>;
  assert.equal(plist.RunAtLoad, false);
  assert.deepEqual((plist.ProgramArguments as string[]).slice(1), [
    "launch",
    "--model-path",
    "/Users/ada/My Models/<qwen> & co",
  ]);
  assert.deepEqual(plist.EnvironmentVariables, { NOTE: NASTY });
  assert.equal(plist.WorkingDirectory, "/Users/ada/.mlx-manager");
});

Deno.test("a plist needs an absolute program and a label of ours", () => {
  assert.throws(() => buildPlist(job({ program: "mlx-openai-server" })), /absolute path/);
  assert.throws(() => buildPlist(job({ label: "org.example.other" })), /com\.mlx-manager\./);
  assert.equal(profileLabel(12), "com.mlx-manager.profile-12");
});
