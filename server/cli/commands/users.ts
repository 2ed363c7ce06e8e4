import { parseArgs } from "node:util";
import { AccountError, addAccount, listAccounts, nameFromEmail, setAccountRole } from "../../auth/accounts";
import { generatePassword } from "../../auth/password";
import { ROLES, Role } from "../../../shared/domain";
import type { CliCommand } from "../command";
import { promptHidden } from "../prompt";
import { processCliEnv, type CliEnv } from "./cliEnv";

const help = `Usage: npm run chai -- users <subcommand> [options]

Manage accounts in the configured database (PGlite under DATA_DIR, or DATABASE_URL).

Subcommands:
  add --email E --role R [--name N] [--password P]
      Create an account. Without --password: prompts for one on a terminal, otherwise generates one and prints it.
  list
      List every account: email, role, name, active.
  set-role --email E --role R
      Change a person's role (takes effect on their next request).

Roles: ${ROLES.join(", ")}

Examples:
  npm run chai -- users add --email jo@example.com --role reviewer --name "Jo Smith"
  npm run chai -- users set-role --email jo@example.com --role lead`;

const options = {
  email: { type: "string" },
  role: { type: "string" },
  name: { type: "string" },
  password: { type: "string" },
} as const;

function parseRole(value: string | undefined): Role {
  const role = Role.safeParse(value);
  if (!role.success) throw new AccountError(`--role must be one of: ${ROLES.join(", ")}.`);
  return role.data;
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

/** `users add|list|set-role`; returns the exit code. */
export async function runUsers(args: string[], env: CliEnv): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !["add", "list", "set-role"].includes(sub)) {
    env.err(`${sub ? `Unknown subcommand "${sub}".` : "Missing subcommand."}\n\n${help}`);
    return 2;
  }
  let values: { email?: string; role?: string; name?: string; password?: string };
  try {
    values = parseArgs({ args: rest, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    env.err(`${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  const { db, close } = await env.openDb();
  try {
    if (sub === "list") {
      const all = await listAccounts(db);
      if (all.length === 0) env.out("(no users)");
      for (const u of all) {
        env.out(`${u.email.padEnd(32)} ${u.role.padEnd(10)} ${u.active ? "active  " : "inactive"} ${u.displayName}`);
      }
      return 0;
    }
    if (!values.email) throw new AccountError("--email is required.");
    const role = parseRole(values.role);
    if (sub === "set-role") {
      const u = await setAccountRole(db, values.email, role);
      env.out(`${u.email} is now ${u.role}.`);
      return 0;
    }
    const { password, generated } = await choosePassword(env, values.password);
    const u = await addAccount(db, { email: values.email, role, displayName: values.name ?? nameFromEmail(values.email), password });
    env.out(`Created ${u.email} (${u.role}, "${u.displayName}").`);
    if (generated) env.out(`Generated password (shown once): ${password}`);
    return 0;
  } catch (err) {
    if (err instanceof AccountError) {
      env.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    await close();
  }
}

export const usersCommand: CliCommand = {
  name: "users",
  summary: "add, list and change accounts (users add --email E --role R)",
  help,
  run: (args) => runUsers(args, processCliEnv()),
};

export default usersCommand;
