import { startLineEmulator } from "./server";

/**
 * CLI: `npx tsx emulators/line/main.ts`. Port from LINE_EMULATOR_PORT (default 3100, where the app's
 * dev defaults for LINE_API_BASE and LINE_DATA_API_BASE point). SIGTERM / SIGINT close it cleanly.
 */

const raw = process.env.LINE_EMULATOR_PORT ?? "3100";
const port = Number(raw);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`LINE_EMULATOR_PORT must be a port number, got "${raw}"`);
  process.exit(1);
}

const emulator = await startLineEmulator({ port, host: process.env.LINE_EMULATOR_HOST || undefined });
console.log(`LINE emulator on ${emulator.url}`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await emulator.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
