import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
const ARGON2 = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(digest: string, password: string): Promise<boolean> {
  try {
    return await verify(digest, password);
  } catch {
    return false;
  }
}

// A real hash of a random string: verifying against it when no user exists keeps the timing of
// "unknown e-mail" the same as "wrong password", so the login page cannot be used to find accounts.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string) {
  dummy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await dummy, password);
}

export { PASSWORD_MIN } from "./password.constants";
