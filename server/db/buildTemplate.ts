import { MIGRATIONS_DIR } from "./index";
import { buildTemplate } from "./pgliteTemplate";

/** `npm run build`: the embedded database's template cluster, next to the built client. */
const file = await buildTemplate(MIGRATIONS_DIR);
console.log(`[build] embedded database template: ${file}`);
