// `npm run vendor:create -- --email a@example.jp --name 表示名`: a one-time invitation link for a
// vendor account (the first one, or any). Logic: app/features/vendor/vendor-cli.server.ts.
import { runVendorCli } from "../app/features/vendor/vendor-cli.server";

await runVendorCli("create", process.argv.slice(2));
