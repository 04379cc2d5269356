// Client-safe: the minimum password length shown in forms and checked on the server.
export const PASSWORD_MIN = 12;
