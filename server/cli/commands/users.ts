import { Command } from "commander";
import { AccountError, addAccount, listAccounts, nameFromEmail, setAccountRole } from "../../auth/accounts";
import { generatePassword } from "../../auth/password";
import { ROLES, Role } from "../../../shared/domain";
import { runCommand, withDb, type CliCommand, type CliEnv } from "../command";
import { promptHidden } from "../prompt";

/** A person's email and role; missing or wrong ones are account errors (exit 1), as the database's are. */
function who(opts: AccountOptions): { email: string; role: Role } {
  if (!opts.email) throw new AccountError("--email is required.");
  const role = Role.safeParse(opts.role);
  if (!role.success) throw new AccountError(`--role must be one of: ${ROLES.join(", ")}.`);
  return { email: opts.email, role: role.data };
}

async function choosePassword(env: CliEnv, given: string | undefined): Promise<{ password: string; generated: boolean }> {
  if (given !== undefined) return { password: given, generated: false };
  if (env.interactive) {
    const first = await promptHidden("Password (at least 8 characters): ");
    const again = await promptHidden("Repeat password: ");
    if (first !== again) throw new AccountError("The passwords differ.");
    return { password: first, generated: false };
  }
  return { password: generatePassword(), generated: true };
}

type AccountOptions = { email?: string; role?: string; name?: string; password?: string };

/** `users add|list|set-role`: accounts in the configured database. */
export const usersCommand: CliCommand = {
  userErrors: [AccountError],
  build(env) {
    const users = new Command("users")
      .usage("<subcommand> [options]")
      .description("Manage accounts in the configured database (PGlite under DATA_DIR, or DATABASE_URL).");
    users
      .command("add")
      .usage("--email E --role R [--name N] [--password P]")
      .description("Create an account. Without --password: prompts for one on a terminal, otherwise generates one and prints it.")
      .option("--email <E>", "the person's email (required)")
      .option("--role <R>", `one of: ${ROLES.join(", ")} (required)`)
      .option("--name <N>", "display name (default: from the email)")
      .option("--password <P>", "the password (default: prompted for, or generated)")
      .action(async (opts: AccountOptions) => {
        const { email, role } = who(opts);
        const { password, generated } = await choosePassword(env, opts.password);
        const u = await withDb(env, (db) =>
          addAccount(db, { email, role, displayName: opts.name ?? nameFromEmail(email), password }),
        );
        env.out(`Created ${u.email} (${u.role}, "${u.displayName}").`);
        if (generated) env.out(`Generated password (shown once): ${password}`);
      });
    users
      .command("list")
      .description("List every account: email, role, name, active.")
      .action(async () => {
        const all = await withDb(env, listAccounts);
        if (all.length === 0) env.out("(no users)");
        for (const u of all) {
          env.out(`${u.email.padEnd(32)} ${u.role.padEnd(10)} ${u.active ? "active  " : "inactive"} ${u.displayName}`);
        }
      });
    users
      .command("set-role")
      .usage("--email E --role R")
      .description("Change a person's role (takes effect on their next request).")
      .option("--email <E>", "the person's email (required)")
      .option("--role <R>", `one of: ${ROLES.join(", ")} (required)`)
      .action(async (opts: AccountOptions) => {
        const { email, role } = who(opts);
        const u = await withDb(env, (db) => setAccountRole(db, email, role));
        env.out(`${u.email} is now ${u.role}.`);
      });
    return users.addHelpText(
      "after",
      `
Examples:
  npm run chai -- users add --email jo@example.com --role reviewer --name "Jo Smith"
  npm run chai -- users set-role --email jo@example.com --role lead`,
    );
  },
};

/** `users …` over `env`; returns the exit code. */
export const runUsers = (args: string[], env: CliEnv): Promise<number> => runCommand(usersCommand, args, env);
