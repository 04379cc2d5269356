// `npm run vendor:reset-2fa -- --email a@example.jp`: break-glass two-factor reset for a vendor who
// lost their authenticator and recovery codes. Logic: app/features/vendor/vendor-cli.server.ts.
import { runVendorCli } from "../app/features/vendor/vendor-cli.server";

await runVendorCli("reset-2fa", process.argv.slice(2));
