/**
 * `mlx-manager create-admin`: creates an administrator (or makes an account
 * one, with a new password) directly in the database, for headless setups
 * and recovery. Works whether or not the server is running.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openDb } from "../db/mod.ts";
import { EventBus } from "../services/events.ts";
import { Accounts } from "../services/accounts/mod.ts";
import { loadOrCreateSecret, TokenSigner } from "../services/accounts/tokens.ts";
import { Email, NewPassword } from "../services/accounts/schemas.ts";
import { ask, CliError, EXIT, type ExitCode, print, readPassword, usageError } from "./io.ts";
import { commandConfig } from "./config.ts";

/** Help of `create-admin`. */
export const CREATE_ADMIN_HELP = `Usage: mlx-manager create-admin --email <email> [--password-stdin]

Create an approved administrator in this machine's database, or make an
existing account an administrator with a new password (its sessions end).

Options:
      --email <email>     The account (asked for on a terminal when missing)
      --password-stdin    Read the password from standard input; otherwise
                          it is asked for twice without echo
  -h, --help              Print this help

Exit codes: 0 ok, 1 failure, 2 usage or invalid email/password
`;

/** Runs `create-admin`. */
export async function createAdmin(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: "string" },
      "password-stdin": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    print(CREATE_ADMIN_HELP.trimEnd());
    return EXIT.ok;
  }
  const config = commandConfig();
  let rawEmail = values.email;
  if (rawEmail === undefined) {
    if (values["password-stdin"] || !Deno.stdin.isTerminal()) {
      throw usageError("Pass --email", "create-admin");
    }
    rawEmail = ask("Email:") ?? "";
  }
  const email = Email.safeParse(rawEmail);
  if (!email.success) throw new CliError(email.error.issues[0].message, EXIT.usage);
  const password = NewPassword.safeParse(
    await readPassword(values["password-stdin"] ?? false, "create-admin", { confirm: true }),
  );
  if (!password.success) throw new CliError(password.error.issues[0].message, EXIT.usage);

  const db = openDb(config.databasePath);
  let accounts: Accounts | null = null;
  try {
    const secret = config.jwtSecret ?? await loadOrCreateSecret(config.dataDir);
    accounts = new Accounts(db, new EventBus(), new TokenSigner(secret, config.jwtExpireDays * 86400));
    const { user, created } = await accounts.ensureAdmin(email.data, password.data);
    print(
      created
        ? `Created the administrator ${user.email}`
        : `${user.email} is now an approved administrator with the new password`,
    );
  } finally {
    accounts?.close();
    db.close();
  }
  return EXIT.ok;
}
